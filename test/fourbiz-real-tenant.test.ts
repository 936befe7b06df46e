import * as fs from 'node:fs'
import * as path from 'node:path'
import { FourbizClient } from '../src/fourbiz/client'
import { instanceMemory } from '../src/fourbiz/session'
import { fourbizRefusal, javaStackTrace, REAL_TEXTS } from './fakes/fourbiz'
import { anotherInstance, quietLogs, startFileServer, startWorld, World } from './fourbiz-setup'
import { Chat, startChat, stopChat } from './routing-setup'

/**
 * What a real 4biz tenant answers (the CITSmart server source's texts and behaviours, shared/reference/
 * 4biz-server-evidence.md) and what the integration now does, through the handler. Each row of the
 * closing note's table comes from one of these tests (test-results/fourbiz-real-tenant.md).
 */

const rows: string[] = []
const row = (behaviour: string, now: string) =>
  rows.push(`| ${behaviour} | ${now} | ${expect.getState().currentTestName} |`)
afterAll(() => {
  const dir = path.join(__dirname, '..', 'test-results')
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(
    path.join(dir, 'fourbiz-real-tenant.md'),
    ['| real 4biz text or behaviour | what the integration does | test |', '|---|---|---|', ...rows].join('\n') + '\n'
  )
})

describe('refusals by meaning', () => {
  let w: World
  let restore: () => void
  beforeEach(async () => {
    restore = quietLogs()
    w = await startWorld()
  })
  afterEach(async () => {
    await w.stop()
    restore()
  })
  const PSID = '7400000000000001'

  it('duplicate numberOrigin, INPUT "Solicitação de serviço já cadastrada no CITSmart": the retried createTicket returns the existing ticket', async () => {
    const { userId } = w.messengerUser(PSID, 'Maria')
    const first = await w.action('createTicket', { description: 'Impressora', userId, idempotencyKey: 'mid.1' })
    const again = await w.action('createTicket', { description: 'Impressora', userId, idempotencyKey: 'mid.1' })
    expect(again.json.output).toMatchObject({ ticketNumber: first.json.output.ticketNumber, created: false })
    const refusal = w.fourbiz.callsToOperation('request/create').length
    expect(refusal).toBe(2)
    expect(w.fourbiz.callsToOperation('request/getById').at(-1)!.body).toMatchObject({
      numberOrigin: first.json.output.numberOrigin,
    })
    expect(w.fourbiz.tickets.size).toBe(1)
    row(
      `INPUT "${REAL_TEXTS.duplicate}" on a repeated create`,
      'read back with getById by numberOrigin → the existing ticket (created: false)'
    )
  })

  it('a duplicate raised as an exception (INTERNAL + Java stack trace) resolves the same way', async () => {
    w.fourbiz.duplicateAsException = true
    const { userId } = w.messengerUser(PSID, 'Maria')
    const first = await w.action('createTicket', { description: 'Impressora', userId, idempotencyKey: 'mid.2' })
    const again = await w.action('createTicket', { description: 'Impressora', userId, idempotencyKey: 'mid.2' })
    expect(again.json.output).toMatchObject({ ticketNumber: first.json.output.ticketNumber, created: false })
    row(
      'INTERNAL + stack trace "…LogicException: Solicitação de serviço já cadastrada…"',
      'read back → the existing ticket'
    )
  })

  it('a create refused in words no rule knows is still checked by reading the numberOrigin back', async () => {
    const { userId } = w.messengerUser(PSID, 'Maria')
    const first = await w.action('createTicket', { description: 'Impressora', userId, idempotencyKey: 'mid.3' })
    w.fourbiz.fault = (call) =>
      call.path.endsWith('/request/create')
        ? fourbizRefusal('INPUT', 'Registro rejeitado pela regra de negócio RN-17')
        : undefined
    const again = await w.action('createTicket', { description: 'Impressora', userId, idempotencyKey: 'mid.3' })
    expect(again.json.output).toMatchObject({ ticketNumber: first.json.output.ticketNumber, created: false })
    // and when no ticket has that numberOrigin, the refusal is reported verbatim, naming the operation
    const other = await w.action('createTicket', { description: 'Outra', userId, idempotencyKey: 'mid.4' })
    expect(other.status).toBe(400)
    expect(other.json.message).toBe(
      '4biz refused the data sent while creating the ticket (web-service operation request_create). (4biz INPUT: Registro rejeitado pela regra de negócio RN-17)'
    )
    row(
      'any other refusal of a create (unknown wording)',
      'read back by numberOrigin; if absent, RuntimeError quoting 4biz and naming request_create'
    )
  })

  it('ticket not found, INPUT "Solicitacação de serviço não encontrada" (typo of the source), and without accents', async () => {
    const res = await w.action('getTicket', { ticketNumber: '4242' })
    expect(res.json.message).toBe(
      '4biz has no ticket "4242" (reading the ticket). Check the ticket number. (4biz INPUT: Solicitacação de serviço não encontrada)'
    )
    w.fourbiz.fault = (call) =>
      call.path.endsWith('/request/getById')
        ? fourbizRefusal('INPUT', 'Solicitacao de servico nao encontrada')
        : undefined
    expect((await w.action('getTicket', { ticketNumber: '4243' })).json.message).toMatch(/^4biz has no ticket "4243"/)
    row(
      `INPUT "${REAL_TEXTS.ticketNotFound}" (and unaccented)`,
      'unknownTicket: "4biz has no ticket"; routing unlinks (the lead\'s side)'
    )
  })

  it('unknown user, PARAM "Dados do usuário não cadastrados": listTickets of a new Messenger user is []', async () => {
    const { userId } = w.messengerUser(PSID, 'Maria')
    const res = await w.action('listTickets', { userId })
    expect(res.json.output).toEqual({ tickets: [] })
    expect(w.fourbiz.callsToOperation('request/getByUser')).toHaveLength(1)
    row(`PARAM "${REAL_TEXTS.unknownUser}" on getByUser`, 'listTickets answers { tickets: [] }')
  })

  it('an INTERNAL error is reported with the exception message only, never the stack trace', async () => {
    const { userId } = w.messengerUser(PSID, 'Maria')
    const { ticketNumber } = (await w.action('createTicket', { description: 'x', userId })).json.output
    w.fourbiz.fault = (call) =>
      call.path.endsWith('/request/createOccurrence')
        ? fourbizRefusal('INTERNAL', javaStackTrace('java.sql.SQLException', 'ORA-01400: não é possível inserir NULL'))
        : undefined
    const res = await w.action('addTicketComment', { ticketNumber, text: 'x' })
    expect(res.json.message).toBe(
      '4biz had an internal error while adding the follow-up (web-service operation request_createOccurrence). Try again later; if it persists, ask the 4biz administrator to check the 4biz log for the web-service operation request_createOccurrence. (4biz INTERNAL: ORA-01400: não é possível inserir NULL)'
    )
    expect(res.body).not.toContain('\\tat ')
    expect(res.json.metadata.fourbizDescription).toBe('ORA-01400: não é possível inserir NULL')
    row(
      'INTERNAL + Java stack trace',
      'RuntimeError with the exception message only (≤ 200 chars), naming the operation'
    )
  })

  it('addAttachments HTTP 500 "Campos obrigatórios não informados" is a refusal, not an outage', async () => {
    const files = await startFileServer({ '/a.txt': { body: 'abc', type: 'text/plain' } })
    try {
      const { userId } = w.messengerUser(PSID, 'Maria')
      w.fourbiz.fault = (call) =>
        call.path.endsWith('/request/addAttachments')
          ? fourbizRefusal(
              'INTERNAL',
              javaStackTrace('java.lang.IllegalArgumentException', 'Campos obrigatórios não informados'),
              500
            )
          : undefined
      const res = await w.action('createTicket', { description: 'x', userId, attachmentUrls: [`${files.url}/a.txt`] })
      expect(res.json.message).toMatch(/^4biz refused attaching files because a field is missing or malformed/)
      expect(res.json.message).toContain('(4biz INTERNAL: Campos obrigatórios não informados)')
      row(
        'addAttachments HTTP 500 + INTERNAL "Campos obrigatórios não informados"',
        'a refusal (not an outage: never redelivered), message without the trace'
      )
    } finally {
      await files.stop()
    }
  })

  it('refusals in XML or plain text are read by their words too', async () => {
    w.fourbiz.refusalFormat = 'xml'
    expect((await w.action('getTicket', { ticketNumber: '1' })).json.message).toMatch(/^4biz has no ticket "1"/)
    w.fourbiz.refusalFormat = 'text'
    expect((await w.action('getTicket', { ticketNumber: '2' })).json.message).toMatch(/^4biz has no ticket "2"/)
    w.fourbiz.setPermission('botpress.integration', 'request_getById', false)
    expect((await w.action('getTicket', { ticketNumber: '3' })).json.message).toMatch(
      /has no permission for the web-service operation request_getById/
    )
    row('non-JSON refusals (JAXB XML, text/plain 412)', 'classified by their text like JSON ones')
  })
})

describe('requesters as 4biz requires', () => {
  let w: World
  let restore: () => void
  beforeEach(async () => {
    restore = quietLogs()
    w = await startWorld()
  })
  afterEach(async () => {
    await w.stop()
    restore()
  })
  const PSID = '7400000000000002'

  it('a new requester gets name, e-mail, phone and unit; later tickets send no contact and no synchronize', async () => {
    const { userId } = w.messengerUser(PSID, 'Maria Souza')
    await w.action('createTicket', { description: 'um', userId })
    const [first] = w.fourbiz.callsToOperation('request/create')
    expect(first!.body.synchronize).toBe(true)
    expect(first!.body.sourceRequest.contact).toEqual({
      name: 'Maria Souza',
      email: `fb.${PSID}@messenger.invalid`,
      phoneNumber: PSID,
      department: 'Atendimento Digital',
    })
    expect(w.fourbiz.requesters.get(`fb.${PSID}`)).toMatchObject({
      name: 'Maria Souza',
      email: `fb.${PSID}@messenger.invalid`,
      phoneNumber: PSID,
      unit: 'Atendimento Digital',
    })

    await w.action('createTicket', { description: 'dois', userId })
    const second = w.fourbiz.callsToOperation('request/create')[1]!
    expect(second.body.synchronize).toBe(false)
    expect(second.body.sourceRequest.contact).toBeUndefined()
    row(
      'contact.email / phoneNumber "(obrigatório)" for a new requester',
      'sent from requesterEmail / requesterPhone placeholders, only when the integration creates the person'
    )
  })

  it('placeholders are configurable', async () => {
    const { userId } = w.messengerUser(PSID, 'Maria Souza')
    await w.action(
      'createTicket',
      { description: 'um', userId },
      { requesterEmail: 'messenger+{psid}@empresa.com.br', requesterPhone: '0000000000' }
    )
    expect(w.fourbiz.requesters.get(`fb.${PSID}`)).toMatchObject({
      email: `messenger+${PSID}@empresa.com.br`,
      phoneNumber: '0000000000',
    })
  })

  it('an existing 4biz person named by the requesterLogin tag is never overwritten', async () => {
    w.fourbiz.addRequester('maria.silva', 'Maria Silva', 'Financeiro', 'Colaboradores', {
      email: 'maria.silva@empresa.com.br',
      phoneNumber: '6133330000',
    })
    const { userId } = w.messengerUser(PSID, 'Mari (Messenger)')
    w.botpress.users.find((u) => u.id === userId)!.tags.requesterLogin = 'maria.silva'
    const res = await w.action('createTicket', { description: 'Preciso de acesso', userId })
    expect(res.json.output).toMatchObject({ created: true, requesterLogin: 'maria.silva' })
    expect(w.fourbiz.callsToOperation('request/create')[0]!.body).toMatchObject({ synchronize: false })
    expect(w.fourbiz.requesters.get('maria.silva')).toMatchObject({
      name: 'Maria Silva',
      unit: 'Financeiro',
      email: 'maria.silva@empresa.com.br',
    })
    expect(w.fourbiz.requesters.get('maria.silva')!.updatedBy).toBeUndefined()
    row(
      'synchronize "criados ou atualizados" would overwrite an employee',
      'no synchronize and no contact for a person the integration did not create'
    )
  })

  it('a tag naming a person 4biz does not know is an error to fix, never a new person', async () => {
    const { userId } = w.messengerUser(PSID, 'Mari')
    w.botpress.users.find((u) => u.id === userId)!.tags.requesterLogin = 'joao.ninguem'
    const res = await w.action('createTicket', { description: 'x', userId })
    expect(res.json.message).toContain(
      '4biz does not know the requester "joao.ninguem" that the Botpress user\'s requesterLogin tag names'
    )
    expect(w.fourbiz.requesters.has('joao.ninguem')).toBe(false)
  })

  it('a person the integration created and 4biz lost is created again', async () => {
    const { userId } = w.messengerUser(PSID, 'Maria')
    await w.action('createTicket', { description: 'um', userId })
    w.fourbiz.requesters.delete(`fb.${PSID}`)
    const res = await w.action('createTicket', { description: 'dois', userId })
    expect(res.json.output.created).toBe(true)
    expect(w.fourbiz.callsToOperation('request/create').map((c) => c.body.synchronize)).toEqual([true, false, true])
    expect(w.fourbiz.requesters.get(`fb.${PSID}`)).toMatchObject({ name: 'Maria' })
  })
})

describe('sessions and paths as real tenants behave', () => {
  let w: World
  let restore: () => void
  afterEach(async () => {
    await w.stop()
    restore()
  })
  const start = async (opts: Parameters<typeof startWorld>[0] = {}) => {
    restore = quietLogs()
    w = await startWorld(opts)
  }
  const PSID = '7400000000000003'

  it('keeps and resends the cookies the login set (a tenant that binds sessions to a node)', async () => {
    await start({ cookieBound: true })
    const { userId } = w.messengerUser(PSID, 'Maria')
    const res = await w.action('createTicket', { description: 'x', userId })
    expect(res.json.output.created).toBe(true)
    expect(w.fourbiz.loginCount).toBe(1)
    const cookies = w.fourbiz.calls.filter((c) => !c.path.endsWith('/login')).map((c) => String(c.headers.cookie))
    expect(cookies.every((c) => /^JSESSIONID=[0-9A-F]{32}; AWSALB=node-[0-9A-F]{8}$/.test(c))).toBe(true)
    row(
      'session bound to the login cookies (JSESSIONID, load balancer)',
      'cookies kept with the session and resent on every call'
    )
  })

  it('another instance on a node-bound tenant reuses the stored session with its cookies: no login of its own', async () => {
    await start({ cookieBound: true })
    w.fourbiz.addRequester('maria', 'Maria')
    expect((await w.action('listTickets', { requesterLogin: 'maria' })).status).toBe(200)
    const second = anotherInstance()
    expect((await second('listTickets', { requesterLogin: 'maria' }, w.config())).json.output).toEqual({ tickets: [] })
    expect((await second('listTickets', { requesterLogin: 'maria' }, w.config())).json.output).toEqual({ tickets: [] })
    expect(w.fourbiz.loginCount).toBe(1)
    expect(w.session()).toMatchObject({
      cookies: expect.stringMatching(/^JSESSIONID=[0-9A-F]{32}; AWSALB=node-[0-9A-F]{8}$/),
    })
    expect((await w.action('listTickets', { requesterLogin: 'maria' })).status).toBe(200)
    expect(w.fourbiz.loginCount).toBe(1)
    row(
      'the session is bound to a server node (cookies)',
      'the stored session carries its cookies: every copy reuses it, one login in all'
    )
  })

  it('logs in without platform where the tenant rejects the field, and remembers it', async () => {
    await start({ loginPlatform: 'unknownField' })
    expect((await w.action('listTickets', { requesterLogin: 'x' })).status).toBe(200)
    w.fourbiz.expireSessions()
    expect((await w.action('listTickets', { requesterLogin: 'x' })).status).toBe(200)
    expect(w.fourbiz.callsToOperation('login').map((c) => 'platform' in c.body)).toEqual([true, false, false])
    row(
      'login with or without platform (2025 clients omit it; an old Jackson rejects unknown fields)',
      'tries with, falls back without on HTTP 400 / a platform refusal, remembered per instance'
    )
  })

  it('and with platform where the tenant requires it', async () => {
    await start({ loginPlatform: 'required' })
    expect((await w.action('listTickets', { requesterLogin: 'x' })).status).toBe(200)
    expect(w.fourbiz.callsToOperation('login').map((c) => c.body.platform)).toEqual(['BOTPRESS'])
  })

  it('finds addAttachments under /webmvc/services/ after a 404, and goes straight there next time', async () => {
    await start({ attachmentsPath: 'webmvc' })
    const files = await startFileServer({ '/a.txt': { body: 'abc', type: 'text/plain' } })
    try {
      const { userId } = w.messengerUser(PSID, 'Maria')
      await w.action('createTicket', { description: 'um', userId, attachmentUrls: [`${files.url}/a.txt`] })
      await w.action('createTicket', { description: 'dois', userId, attachmentUrls: [`${files.url}/a.txt`] })
      expect(w.fourbiz.callsTo('addAttachments').map((c) => c.path)).toEqual([
        '/4biz/services/request/addAttachments',
        '/4biz/webmvc/services/request/addAttachments',
        '/4biz/webmvc/services/request/addAttachments',
      ])
      expect([...w.fourbiz.tickets.values()].map((t) => t.attachments.length)).toEqual([1, 1])
      row(
        'addAttachments at /webmvc/services/ (one 4biz doc)',
        'tried after a 404 on /services/, remembered per instance'
      )
    } finally {
      await files.stop()
    }
  })

  it('a bare 401 is a refused session: one new login, the call retried', async () => {
    await start({ expiredSessionStatus: 401 })
    w.fourbiz.addRequester('maria', 'Maria')
    expect((await w.action('listTickets', { requesterLogin: 'maria' })).status).toBe(200)
    w.fourbiz.expireSessions()
    expect((await w.action('listTickets', { requesterLogin: 'maria' })).json.output).toEqual({ tickets: [] })
    expect(w.fourbiz.loginCount).toBe(2)
    row('HTTP 401 without body', 'a refused session: one new login, one retry')
  })

  it('10 simultaneous actions of an instance without a session make one login (single flight)', async () => {
    await start()
    w.fourbiz.addRequester('maria', 'Maria')
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => w.action('listTickets', { requesterLogin: 'maria' }))
    )
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200))
    expect(w.fourbiz.loginCount).toBe(1)
    // and after 4biz expires it, the 10 refused calls share one new login
    w.fourbiz.expireSessions()
    await Promise.all(Array.from({ length: 10 }, () => w.action('listTickets', { requesterLogin: 'maria' })))
    expect(w.fourbiz.loginCount).toBe(2)
    row('10 simultaneous calls, no stored session (issue 14: 8 logins)', '1 login; 1 more after an expiry')
  })

  it('a call never runs past the caller deadline or the overall budget, whatever the retries', async () => {
    await start()
    w.fourbiz.fault = (call) => (call.path.endsWith('/request/getById') ? 'hang' : undefined)
    const store = { load: () => Promise.resolve(undefined), save: () => Promise.resolve() }
    const base = {
      baseUrl: `${w.fourbiz.url}/4biz`,
      userName: 'botpress.integration',
      password: 'fourbiz-password',
      platform: 'BOTPRESS',
      store,
    }
    const budget = new FourbizClient({ ...base, budgetMs: 300, memory: instanceMemory('budget-test') })
    await expect(budget.getRequest({ number: '1' })).rejects.toMatchObject({
      failure: 'unavailable',
      fourbizDescription: expect.stringContaining('within the time left for this call'),
    })
    // the per-attempt timeout (10 s) and two retries would have sent getById 3 times
    expect(w.fourbiz.callsToOperation('request/getById')).toHaveLength(1)

    const controller = new AbortController()
    const caller = new FourbizClient({ ...base, signal: controller.signal, memory: instanceMemory('signal-test') })
    const pending = caller.getRequest({ number: '1' })
    setImmediate(() => setTimeout(() => controller.abort(), 50))
    await expect(pending).rejects.toMatchObject({
      failure: 'unavailable',
      fourbizDescription: expect.stringContaining('the caller stopped waiting'),
    })

    const late = new FourbizClient({ ...base, deadline: Date.now() - 1, memory: instanceMemory('deadline-test') })
    await expect(late.getRequest({ number: '1' })).rejects.toMatchObject({ failure: 'unavailable' })
    expect(w.fourbiz.loginCount).toBe(2) // the late client sent nothing
  })
})

describe('only analysts\u2019 follow-ups reach the user', () => {
  let chat: Chat
  let restore: () => void
  beforeAll(async () => {
    restore = quietLogs()
    chat = await startChat()
  })
  afterAll(async () => {
    await stopChat(chat)
    restore()
  })
  const PSID = '7400000000000004'

  it('system follow-ups (ticket opened, status, SLA, automatic, execution notes) never; the analyst reply yes', async () => {
    const fourbiz = chat.world.fourbiz
    await chat.say(PSID, 'Oi')
    const conversationId = chat.conversationOf(PSID).id
    const { ticketNumber } = (await chat.action('startHandoff', { conversationId, description: 'Quero um analista' }))
      .json.output
    chat.received(PSID)

    fourbiz.setStatus(ticketNumber, 'Suspensa', 'aguardando peça', 'carla.n2') // Atualizacao by the analyst
    fourbiz.systemFollowUp(ticketNumber, 'MudancaSLA', 'Mudança de SLA', 'Automático')
    fourbiz.analystFollowUp(ticketNumber, 'Registro interno: troquei o cabo', 'carla.n2', 'Execucao')
    fourbiz.analystFollowUp(ticketNumber, 'Nota automática do fluxo', 'Automático', 'Acompanhamento')
    fourbiz.analystFollowUp(ticketNumber, 'Maria, pode testar agora?', 'carla.n2', 'Acompanhamento')
    fourbiz.setStatus(ticketNumber, 'EmAndamento', undefined, 'carla.n2')
    const sync = await chat.action('syncTicketUpdates', { ticketNumber })
    expect(sync.json.output).toMatchObject({ relayed: 1 })
    const sent = chat.received(PSID).filter((l) => !/Em andamento|Suspensa/.test(l))
    expect(sent).toEqual([`[Chamado ${ticketNumber}] Maria, pode testar agora?`])
    row(
      'system follow-ups (Criacao, Atualizacao, InicioSLA, MudancaSLA, "Automático", Execucao)',
      'never relayed: only category Acompanhamento by a person other than the integration, a system author or a requester'
    )
  })

  it('the categories relayed are configurable', async () => {
    const fourbiz = chat.world.fourbiz
    const conversationId = chat.conversationOf(PSID).id
    const ticketNumber =
      chat.world.botpress.conversations.find((c) => c.id === conversationId)!.tags.ticketNumber ??
      [...fourbiz.tickets.keys()].at(-1)!
    fourbiz.analystFollowUp(ticketNumber, 'Retorno pelo telefone registrado', 'carla.n2', 'Retorno')
    await chat.action(
      'syncTicketUpdates',
      { ticketNumber },
      { analystFollowUpCategories: 'Acompanhamento, Retorno do Cliente' }
    )
    expect(chat.received(PSID).filter((l) => l.includes('Retorno'))).toEqual([
      `[Chamado ${ticketNumber}] Retorno pelo telefone registrado`,
    ])
  })
})
