import * as fs from 'node:fs'
import * as path from 'node:path'
import { fourbizRefusal } from './fakes/fourbiz'
import { quietLogs, startWorld, World } from './fourbiz-setup'

/**
 * Every kind of 4biz failure, as the bot builder sees it (the RuntimeError the action answers). The
 * table of what was seen is written to test-results/fourbiz-error-messages.md.
 */

let w: World
let restoreLogs: () => void
const seen: { case: string; code: string; message: string }[] = []

beforeEach(async () => {
  restoreLogs = quietLogs()
  w = await startWorld()
})
afterEach(async () => {
  delete process.env.FOURBIZ_HTTP_TIMEOUT_MS
  await w.stop()
  restoreLogs()
})
afterAll(() => {
  const dir = path.join(__dirname, '..', 'test-results')
  fs.mkdirSync(dir, { recursive: true })
  const rows = seen.map((r) => `| ${r.case} | ${r.code} | ${r.message.replace(/\|/g, '\\|')} |`)
  fs.writeFileSync(
    path.join(dir, 'fourbiz-error-messages.md'),
    ['| 4biz answer | fourbizCode | message the bot builder sees |', '|---|---|---|', ...rows].join('\n') + '\n'
  )
})

const PSID = '7300000000000003'

/** Runs an action that must fail; records and returns what the bot builder sees. */
async function failing(label: string, type: string, input: unknown, overrides = {}) {
  const res = await w.action(type, input, overrides)
  expect(res.status).toBe(400)
  expect(res.json.type).toBe('Runtime')
  expect(res.body).not.toContain('fourbiz-password')
  seen.push({ case: label, code: res.json.metadata?.fourbizCode ?? '—', message: res.json.message })
  return {
    message: res.json.message as string,
    metadata: res.json.metadata as { fourbizCode: string; fourbizDescription: string; operation: string },
  }
}

async function oneTicket() {
  const { userId, conversationId } = w.messengerUser(PSID, 'Maria')
  const res = await w.action('createTicket', { description: 'Base', userId })
  return { userId, conversationId, ticketNumber: res.json.output.ticketNumber as string }
}

describe('4biz refusals (HTTP 412 error{code, description})', () => {
  it('SESSION on login: wrong credentials', async () => {
    const { message, metadata } = await failing(
      'login → 412 SESSION "Usuário não encontrado e/ou senha inválida"',
      'getTicket',
      { ticketNumber: '1' },
      { fourbizPassword: 'wrong' }
    )
    expect(message).toBe(
      '4biz refused the login of user "botpress.integration". Check fourbizUser and fourbizPassword (directory users log in as DOMINIO\\login) and that the user is active in 4biz. (4biz SESSION: Usuário não encontrado e/ou senha inválida)'
    )
    expect(metadata).toEqual({
      fourbizCode: 'SESSION',
      fourbizDescription: 'Usuário não encontrado e/ou senha inválida',
      operation: 'login',
    })
    expect(w.fourbiz.loginCount).toBe(1) // a refused login is not repeated
  })

  it('SESSION again right after a new login', async () => {
    w.fourbiz.fault = (call) =>
      call.path.endsWith('/request/getById')
        ? fourbizRefusal('SESSION', 'Sessão não existe ou está expirada')
        : undefined
    const { message } = await failing('any operation → 412 SESSION, again after a new login', 'getTicket', {
      ticketNumber: '1001',
    })
    expect(message).toContain(
      '4biz refused the session again right after a new login while reading the ticket. Check that user "botpress.integration" is active'
    )
  })

  it('PERMISSION: the user has no group linked to the operation', async () => {
    w.fourbiz.permissionErrorCode = 'PERMISSION'
    w.fourbiz.users['botpress.integration']!.permissions = ['request_getById']
    const { userId } = w.messengerUser(PSID)
    const { message, metadata } = await failing(
      'request/create → 412 PERMISSION "Usuário não tem acesso à operação"',
      'createTicket',
      { description: 'x', userId }
    )
    expect(message).toBe(
      '4biz user "botpress.integration" has no permission for the web-service operation request_create (needed for creating the ticket). In 4biz, link a group of this user to the operation: Sistema > Web Service > Operação de Web Service > request_create > Adicionar Grupo. (4biz PERMISSION: Usuário não tem acesso à operação)'
    )
    expect(metadata.operation).toBe('request/create')
  })

  it('PARAM "Usuário não tem acesso à operação" (how CITSmart reports it) means the same', async () => {
    w.fourbiz.permissionErrorCode = 'PARAM'
    w.fourbiz.users['botpress.integration']!.permissions = ['request_create', 'request_getById']
    await oneTicket()
    const { message } = await failing(
      'request/createOccurrence → 412 PARAM "Usuário não tem acesso à operação"',
      'addTicketComment',
      { ticketNumber: '1001', text: 'x' }
    )
    expect(message).toContain('has no permission for the web-service operation request_createOccurrence')
  })

  it('PARAM "Operação não cadastrada": the web-service scripts were not loaded', async () => {
    await oneTicket()
    w.fourbiz.registeredOperations.delete('request_updateStatus')
    const { message } = await failing('request/updateStatus → 412 PARAM "Operação não cadastrada"', 'cancelTicket', {
      ticketNumber: '1001',
      reason: 'x',
    })
    expect(message).toContain(
      'The web-service operation request_updateStatus is not registered in this 4biz. Ask the 4biz administrator to load the web-service scripts'
    )
  })

  it('PARAM: a field the tenant requires', async () => {
    w.fourbiz.fault = (call) =>
      call.path.endsWith('/request/create')
        ? fourbizRefusal('PARAM', 'Campo obrigatório não informado: sourceRequest.contact.email')
        : undefined
    const { userId } = w.messengerUser(PSID)
    const { message } = await failing(
      'request/create → 412 PARAM "Campo obrigatório não informado: …"',
      'createTicket',
      { description: 'x', userId }
    )
    expect(message).toContain(
      '4biz refused creating the ticket because a field is missing or malformed; the 4biz description names it.'
    )
    expect(message).toContain('(4biz PARAM: Campo obrigatório não informado: sourceRequest.contact.email)')
  })

  it('INPUT: unknown activity (defaultActivity)', async () => {
    const { userId } = w.messengerUser(PSID)
    const { message } = await failing(
      'request/create → 412 INPUT "Atividade … não encontrada"',
      'createTicket',
      { description: 'x', userId },
      { defaultActivity: '999' }
    )
    expect(message).toBe(
      '4biz does not accept the activity "999" while creating the ticket. Check defaultActivity (or the activity input): it must be the code of an activity that is active and in production in the 4biz portfolio, and the contract must offer it. (4biz INPUT: Atividade 999 não encontrada: informe uma atividade ativa e em produção no portfólio)'
    )
  })

  it('INPUT: inactive activity given in the action', async () => {
    const { userId } = w.messengerUser(PSID)
    const { message } = await failing('request/create → 412 INPUT (inactive activity)', 'createTicket', {
      description: 'x',
      userId,
      activity: '180',
    })
    expect(message).toContain('4biz does not accept the activity "180"')
  })

  it('INPUT: unknown contract (defaultContract)', async () => {
    const { userId } = w.messengerUser(PSID)
    const { message } = await failing(
      'request/create → 412 INPUT "Contrato … não encontrado"',
      'createTicket',
      { description: 'x', userId },
      { defaultContract: '77' }
    )
    expect(message).toContain(
      '4biz does not accept the contract "77" while creating the ticket. Check defaultContract (leave it empty to use 4biz parameter 118).'
    )
  })

  it('INPUT: unknown ticket', async () => {
    const { message } = await failing(
      'request/getById → 412 INPUT "Solicitacação de serviço não encontrada" (typo of the source)',
      'getTicket',
      { ticketNumber: '9999' }
    )
    expect(message).toBe(
      '4biz has no ticket "9999" (reading the ticket). Check the ticket number. (4biz INPUT: Solicitacação de serviço não encontrada)'
    )
  })

  it('INPUT: status spelling of another tenant language (statusCancelled)', async () => {
    await oneTicket()
    const { message } = await failing(
      'request/updateStatus → 412 INPUT "Situação … inválida"',
      'cancelTicket',
      { ticketNumber: '1001', reason: 'x' },
      { statusCancelled: 'CANCELED' }
    )
    expect(message).toContain(
      '4biz does not accept the status "CANCELED" while changing the ticket status. Set statusCancelled / statusResolved / statusClosed'
    )
  })

  it('INPUT: follow-up category of another tenant language (followUpCategory)', async () => {
    await oneTicket()
    const { message } = await failing(
      'request/createOccurrence → 412 INPUT "Categoria … não cadastrada"',
      'addTicketComment',
      { ticketNumber: '1001', text: 'x' },
      { followUpCategory: 'Monitoring' }
    )
    expect(message).toContain('4biz does not accept the follow-up category "Monitoring". Set followUpCategory')
  })

  it('INPUT: attachment extension forbidden by parameter 318', async () => {
    const { LoopbackFake } = await import('./fakes/http')
    const files = new LoopbackFake(() => ({
      status: 200,
      raw: 'MZ',
      headers: { 'content-type': 'application/octet-stream' },
    }))
    await files.start()
    try {
      const { userId } = w.messengerUser(PSID)
      const { message } = await failing(
        'request/addAttachments → 412 INPUT "Extensão … não permitida"',
        'createTicket',
        { description: 'x', userId, attachmentUrls: [`${files.url}/setup.exe`] }
      )
      expect(message).toBe(
        '4biz refused the data sent while attaching files (web-service operation request_addAttachments). (4biz INPUT: Extensão exe não permitida para anexos (parâmetro 318))'
      )
    } finally {
      await files.stop()
    }
  })

  it('INPUT duplicate numberOrigin that cannot be read back', async () => {
    const { userId } = w.messengerUser(PSID)
    await w.action('createTicket', { description: 'x', userId })
    // as if the platform had changed: 4biz refuses the numberOrigin but getById cannot find it
    w.fourbiz.fault = (call) =>
      call.path.endsWith('/request/getById') ? fourbizRefusal('INPUT', 'Solicitação não encontrada') : undefined
    const { message } = await failing(
      'request/create → 412 INPUT duplicate numberOrigin, not found by getById',
      'createTicket',
      { description: 'x', userId }
    )
    expect(message).toContain(
      '4biz says a ticket with the same origin number was already sent, but it could not be read back. Check that fourbizPlatform did not change'
    )
  })

  it('an error given as a bare string (some 4biz versions) is read too', async () => {
    w.fourbiz.fault = (call) =>
      call.path.endsWith('/request/getById')
        ? { status: 412, body: { dateTime: null, operationID: '1', error: 'Solicitação 77 não encontrada' } }
        : undefined
    const { message } = await failing(
      'request/getById → 412 error: "Solicitação 77 não encontrada" (string)',
      'getTicket',
      { ticketNumber: '77' }
    )
    expect(message).toBe(
      '4biz has no ticket "77" (reading the ticket). Check the ticket number. (4biz UNKNOWN: Solicitação 77 não encontrada)'
    )
    expect(w.fourbiz.callsToOperation('login')).toHaveLength(1)
  })

  it('INTERNAL', async () => {
    await oneTicket()
    w.fourbiz.fault = (call) =>
      call.path.endsWith('/request/createOccurrence')
        ? fourbizRefusal('INTERNAL', 'java.lang.NullPointerException')
        : undefined
    const { message } = await failing('request/createOccurrence → 412 INTERNAL', 'addTicketComment', {
      ticketNumber: '1001',
      text: 'x',
    })
    expect(message).toBe(
      '4biz had an internal error while adding the follow-up (web-service operation request_createOccurrence). Try again later; if it persists, ask the 4biz administrator to check the 4biz log for the web-service operation request_createOccurrence. (4biz INTERNAL: java.lang.NullPointerException)'
    )
  })
})

describe('4biz unreachable, or not 4biz', () => {
  it('connection refused (4biz down)', async () => {
    await w.fourbiz.stop()
    const { message, metadata } = await failing('4biz down (connection refused)', 'getTicket', { ticketNumber: '1001' })
    expect(message).toMatch(
      /^4biz is unavailable while logging in: connection refused by http:\/\/127\.0\.0\.1:\d+\/4biz\/services\/login\. Try again later \(repeating createTicket, or addTicketComment with an idempotencyKey, never duplicates\)\. If it persists, check fourbizUrl and that 4biz is up\.$/
    )
    expect(metadata.fourbizCode).toBe('UNAVAILABLE')
  })

  it('HTTP 503, retried for a read', async () => {
    await oneTicket()
    w.fourbiz.fault = (call) =>
      call.path.endsWith('/request/getById')
        ? { status: 503, raw: '<html>Service Unavailable</html>', headers: { 'content-type': 'text/html' } }
        : undefined
    const { message } = await failing('HTTP 503 (after 2 retries of a read)', 'getTicket', { ticketNumber: '1001' })
    expect(message).toMatch(
      /^4biz is unavailable while reading the ticket: HTTP 503 from http:\/\/127\.0\.0\.1:\d+\/4biz\/services\/request\/getById\./
    )
    expect(w.fourbiz.callsToOperation('request/getById')).toHaveLength(3)
  })

  it('timeout of a write is not repeated', async () => {
    await oneTicket()
    process.env.FOURBIZ_HTTP_TIMEOUT_MS = '300'
    w.fourbiz.fault = (call) => (call.path.endsWith('/request/createOccurrence') ? 'hang' : undefined)
    const { message } = await failing('no answer (timeout) to a write', 'addTicketComment', {
      ticketNumber: '1001',
      text: 'x',
    })
    expect(message).toMatch(/^4biz is unavailable while adding the follow-up: no answer from .* within 300 ms\./)
    expect(w.fourbiz.callsToOperation('request/createOccurrence')).toHaveLength(1)
  })

  it('wrong context path (Tomcat 404 page)', async () => {
    const { message } = await failing(
      'HTTP 404 HTML (fourbizUrl without /4biz)',
      'getTicket',
      { ticketNumber: '1' },
      { fourbizUrl: w.fourbiz.url + '/citsmart' }
    )
    expect(message).toMatch(
      /^The 4biz URL did not answer like the 4biz web services while logging in: HTTP 404 from http:\/\/127\.0\.0\.1:\d+\/citsmart\/services\/login\. Check fourbizUrl: it must be the 4biz address including the context path, e\.g\. https:\/\/empresa\.4biz\.one\/4biz \(CITSmart: \.\.\.\/citsmart\)\.$/
    )
  })

  it('a page that is not 4biz (single sign-on page answering 200)', async () => {
    w.fourbiz.fault = () => ({
      status: 200,
      raw: '<!doctype html><html><body>Entrar com Entra ID</body></html>',
      headers: { 'content-type': 'text/html' },
    })
    const { message } = await failing('HTTP 200 HTML (not the web services)', 'getTicket', { ticketNumber: '1' })
    expect(message).toContain('The 4biz URL did not answer like the 4biz web services while logging in')
  })

  it('host name that does not resolve', async () => {
    const { message } = await failing(
      'DNS failure',
      'getTicket',
      { ticketNumber: '1' },
      { fourbizUrl: 'http://fourbiz.invalid/4biz' }
    )
    expect(message).toContain(
      '4biz is unavailable while logging in: the host name of http://fourbiz.invalid/4biz/services/login does not resolve (ENOTFOUND)'
    )
  })
})

describe('4biz down: nothing lost, nothing duplicated', () => {
  it('a failed createTicket surfaces the error; the retried call creates exactly one ticket', async () => {
    const { userId, conversationId } = w.messengerUser(PSID)
    const port = Number(new URL(w.fourbiz.url).port)
    await w.fourbiz.stop()
    const down = await w.action('createTicket', { description: 'Urgente', conversationId })
    expect(down.status).toBe(400)
    expect(down.json.message).toMatch(/^4biz is unavailable while logging in/)
    await w.fourbiz.start(port)
    const up = await w.action('createTicket', { description: 'Urgente', conversationId })
    expect(up.json.output).toMatchObject({ created: true, ticketNumber: '1001' })
    const again = await w.action('createTicket', { description: 'Urgente', userId })
    expect(again.json.output).toMatchObject({ created: false, ticketNumber: '1001' })
    expect(w.fourbiz.tickets.size).toBe(1)
  })

  it('4biz created the ticket but the answer was lost: the automatic retry resolves it, one ticket, one event', async () => {
    const { userId } = w.messengerUser(PSID)
    let lost = 0
    w.fourbiz.fault = (call) => {
      if (!call.path.endsWith('/request/create') || lost++ > 0) return undefined
      w.fourbiz.process(call) // 4biz did the work...
      return { status: 502, raw: 'Bad Gateway', headers: { 'content-type': 'text/plain' } } // ...the proxy lost the answer
    }
    const res = await w.action('createTicket', { description: 'Resposta perdida', userId })
    expect(res.json.output).toMatchObject({ created: true, ticketNumber: '1001' })
    expect(w.fourbiz.callsToOperation('request/create')).toHaveLength(2)
    expect(w.fourbiz.tickets.size).toBe(1)
    expect(w.botpress.events.filter((e) => e.type === 'ticketCreated')).toHaveLength(1)
  })

  it('a create that times out after 4biz did the work is retried into the same ticket', async () => {
    process.env.FOURBIZ_HTTP_TIMEOUT_MS = '300'
    const { userId } = w.messengerUser(PSID)
    let slow = 0
    w.fourbiz.fault = (call) => {
      if (!call.path.endsWith('/request/create') || slow++ > 0) return undefined
      w.fourbiz.process(call)
      return 'hang'
    }
    const res = await w.action('createTicket', { description: 'Lento', userId })
    expect(res.json.output).toMatchObject({ created: true, ticketNumber: '1001' })
    expect(w.fourbiz.tickets.size).toBe(1)
  })

  it('answers lost on every attempt: the error surfaces, and the later call finds the one ticket', async () => {
    const { userId } = w.messengerUser(PSID)
    w.fourbiz.fault = (call) => {
      if (!call.path.endsWith('/request/create')) return undefined
      w.fourbiz.process(call)
      return { status: 504, raw: 'Gateway Timeout', headers: { 'content-type': 'text/plain' } }
    }
    const failed = await w.action('createTicket', { description: 'Instável', userId })
    expect(failed.json.message).toMatch(/^4biz is unavailable while creating the ticket: HTTP 504/)
    w.fourbiz.fault = undefined
    const later = await w.action('createTicket', { description: 'Instável', userId })
    expect(later.json.output).toMatchObject({ ticketNumber: '1001', created: false })
    expect(w.fourbiz.tickets.size).toBe(1)
  })

  it('a follow-up whose answer was lost is not repeated by the client, and a retry with the same key adds nothing', async () => {
    const { ticketNumber } = await oneTicket()
    let lost = 0
    w.fourbiz.fault = (call) => {
      if (!call.path.endsWith('/request/createOccurrence') || lost++ > 0) return undefined
      w.fourbiz.process(call)
      return { status: 503, raw: '', headers: {} }
    }
    const first = await w.action('addTicketComment', { ticketNumber, text: 'Uma vez', idempotencyKey: 'mid.42' })
    expect(first.json.message).toMatch(/^4biz is unavailable while adding the follow-up: HTTP 503/)
    expect(w.fourbiz.callsToOperation('request/createOccurrence')).toHaveLength(1)
    const retry = await w.action('addTicketComment', { ticketNumber, text: 'Uma vez', idempotencyKey: 'mid.42' })
    expect(retry.json.output).toEqual({ followUpNumber: '5001' })
    expect(w.fourbiz.ticket(ticketNumber)!.occurrences).toHaveLength(1)
  })
})
