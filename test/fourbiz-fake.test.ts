import { FourbizFake, REAL_TEXTS } from './fakes/fourbiz'

/**
 * The 4biz fake is as strict as the reference says the real service is; these tests pin that down, so
 * the integration's tests cannot pass against a lenient fake.
 */

let fake: FourbizFake
beforeEach(async () => {
  fake = new FourbizFake()
  await fake.start()
})
afterEach(() => fake.stop())

async function post(operation: string, body: unknown, headers: Record<string, string> = {}, prefix = 'services') {
  const res = await fetch(`${fake.url}/4biz/${prefix}/${operation}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify(body),
  })
  const text = await res.text()
  let json: any
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  return {
    status: res.status,
    text,
    json,
    type: res.headers.get('content-type') ?? '',
    cookies: res.headers.getSetCookie(),
  }
}
const login = async (platform = 'BOTPRESS') =>
  (await post('login', { userName: 'botpress.integration', password: 'fourbiz-password', platform })).json
    .sessionID as string
const source = (extra: object = {}) => ({
  numberOrigin: 'o-1',
  type: 'R',
  description: 'Teste',
  userID: 'fb.1',
  contact: {
    name: 'Fulano',
    email: 'fulano@example.com',
    phoneNumber: '5561999990000',
    department: 'Atendimento Digital',
  },
  service: { code: '170' },
  ...extra,
})

it('login answers JSON with sessionID, dateTime, operationID and a null error; XML when asked for it', async () => {
  const json = await post('login', {
    userName: 'botpress.integration',
    password: 'fourbiz-password',
    platform: 'BOTPRESS',
  })
  expect(json.status).toBe(200)
  expect(json.json).toEqual({
    sessionID: expect.any(String),
    dateTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
    operationID: expect.any(String),
    error: null,
  })
  const xml = await post(
    'login',
    { userName: 'botpress.integration', password: 'fourbiz-password', platform: 'BOTPRESS' },
    { accept: 'application/xml' }
  )
  expect(xml.type).toContain('application/xml')
  expect(xml.text).toMatch(/<SessionID>[0-9a-f-]{36}<\/SessionID>/)
  const wrong = await post('login', { userName: 'botpress.integration', password: 'x', platform: 'BOTPRESS' })
  expect(wrong.status).toBe(412)
  expect(wrong.json.error).toEqual({ code: 'SESSION', description: REAL_TEXTS.badLogin })
})

it('every operation needs a valid sessionID in the body (not in a header), and sessions expire', async () => {
  const id = await login()
  const inHeader = await post('request/getById', { number: '1001' }, { authorization: `Bearer ${id}` })
  expect(inHeader.status).toBe(412)
  expect(inHeader.json.error).toEqual({ code: 'SESSION', description: 'Sessão não existe ou está expirada' })
  expect((await post('request/getById', { sessionID: id, number: '1001' })).json.error.code).toBe('INPUT')
  fake.expireSessions()
  expect((await post('request/getById', { sessionID: id, number: '1001' })).json.error.code).toBe('SESSION')

  fake.sessionTtlMs = 0
  const shortLived = await login()
  expect((await post('request/getById', { sessionID: shortLived, number: '1001' })).json.error.code).toBe('SESSION')
})

it('checks in the CITSmart order: session, operation registered, permission, then fields', async () => {
  fake.users['botpress.integration']!.permissions = ['request_getById']
  const id = await login()
  expect((await post('request/nope', { sessionID: id })).json.error).toEqual({
    code: 'PARAM',
    description: 'Operação não cadastrada',
  })
  expect((await post('request/create', { sessionID: id })).json.error).toEqual({
    code: 'PARAM',
    description: REAL_TEXTS.noAccess,
  })
  expect((await post('request/create', {})).json.error.code).toBe('SESSION')
  expect((await post('request/getById', { sessionID: id })).json.error.code).toBe('PARAM')
})

it('request/create: required fields, unknown attributes, synchronize, activity, numberOrigin unique per platform', async () => {
  const id = await login()
  expect(
    (await post('request/create', { sessionID: id, synchronize: true, sourceRequest: source({ description: '' }) }))
      .json.error
  ).toEqual({
    code: 'PARAM',
    description: 'Campo obrigatório não informado: sourceRequest.description',
  })
  expect(
    (await post('request/create', { sessionID: id, synchronize: true, sourceRequest: source({ title: 'x' }) })).json
      .error.description
  ).toBe('Atributo desconhecido: sourceRequest.title')
  expect(
    (await post('request/create', { sessionID: id, synchronize: 'true', sourceRequest: source() })).json.error.code
  ).toBe('PARAM')
  expect((await post('request/create', { sessionID: id, sourceRequest: source() })).json.error).toEqual({
    code: 'PARAM',
    description: REAL_TEXTS.unknownUser,
  })
  // a new requester needs e-mail and phone (webservices-esp.md: "obrigatório")
  expect(
    (
      await post('request/create', {
        sessionID: id,
        synchronize: true,
        sourceRequest: source({ contact: { name: 'Fulano' } }),
      })
    ).json.error
  ).toEqual({
    code: 'PARAM',
    description:
      'Campo obrigatório não informado: sourceRequest.contact.email (obrigatório para criar o solicitante fb.1)',
  })
  expect(
    (
      await post('request/create', {
        sessionID: id,
        synchronize: true,
        sourceRequest: source({ service: { code: '180' } }),
      })
    ).json.error.code
  ).toBe('INPUT')

  const created = await post('request/create', { sessionID: id, synchronize: true, sourceRequest: source() })
  expect(created.status).toBe(200)
  expect(created.json.request).toMatchObject({
    number: '1001',
    numberOrigin: 'o-1',
    userID: 'fb.1',
    status: { code: 'EmAndamento', name: 'Em andamento' },
    contractID: '1',
  })
  expect(fake.requesters.get('fb.1')).toMatchObject({
    name: 'Fulano',
    unit: 'Atendimento Digital',
    group: 'Solicitantes Facebook',
    email: 'fulano@example.com',
  })
  expect(fake.ticket('1001')).toMatchObject({ origin: 'Facebook', createdBy: 'botpress.integration' })

  const duplicate = await post('request/create', {
    sessionID: id,
    synchronize: true,
    sourceRequest: source({ description: 'outro' }),
  })
  expect(duplicate.status).toBe(412)
  expect(duplicate.json.error).toEqual({ code: 'INPUT', description: REAL_TEXTS.duplicate })
  // another platform has its own numberOrigin space
  const other = await login('OUTRA')
  expect(
    (await post('request/create', { sessionID: other, synchronize: true, sourceRequest: source() })).json.request.number
  ).toBe('1002')
  expect((await post('request/getById', { sessionID: other, numberOrigin: 'o-1' })).json.request.number).toBe('1002')
})

it('occurrences, statuses and attachments, with the analyst helpers and the snapshot', async () => {
  const id = await login()
  await post('request/create', { sessionID: id, synchronize: true, sourceRequest: source() })
  const occ = await post('request/createOccurrence', {
    sessionID: id,
    requestNumber: '1001',
    occurrence: { description: 'Oi', date: '2026-01-02', hour: '09:30', category: { code: 'Acompanhamento' } },
  })
  expect(occ.json.occurrence).toMatchObject({
    number: '5001',
    userID: 'botpress.integration',
    category: { code: 'Acompanhamento' },
    date: '2026-01-02',
    hour: '09:30',
  })
  expect(
    (
      await post('request/createOccurrence', {
        sessionID: id,
        requestNumber: '1001',
        occurrence: { description: 'x', category: { code: 'Followup' } },
      })
    ).json.error.code
  ).toBe('INPUT')
  expect(
    (
      await post('request/createOccurrence', {
        sessionID: id,
        requestNumber: '1001',
        occurrence: { description: 'x', hour: '9h', category: { code: 'Acompanhamento' } },
      })
    ).json.error.code
  ).toBe('INPUT')
  fake.analystFollowUp('1001', 'Estamos verificando', 'ana.souza')
  const logs = await post('request/listOccurrences', { sessionID: id, requestNumber: '1001' })
  // 4biz's own follow-ups (ticket opened, SLA start) come first, listed with the written ones
  expect(logs.json.amount).toBe(4)
  expect(logs.json.logs.map((o: any) => [o.category.code, o.userID])).toEqual([
    ['Criacao', 'botpress.integration'],
    ['InicioSLA', 'Automático'],
    ['Acompanhamento', 'botpress.integration'],
    ['Acompanhamento', 'ana.souza'],
  ])
  expect(logs.json.logs[3]).toMatchObject({
    number: '5002',
    category: { code: 'Acompanhamento', name: 'Acompanhamento com o Cliente' },
  })

  expect(
    (await post('request/updateStatus', { sessionID: id, number: '1001', status: { code: 'Cancelled' } })).json.error
      .code
  ).toBe('INPUT')
  expect(
    (
      await post('request/updateStatus', {
        sessionID: id,
        number: '1001',
        status: { code: 'Suspensa', details: 'aguardando' },
      })
    ).json.request.status
  ).toEqual({ code: 'Suspensa', name: 'Suspensa' })
  fake.setStatus('1001', 'Fechada')
  expect(
    (await post('request/updateStatus', { sessionID: id, number: '1001', status: { code: 'Cancelada' } })).json.error
      .description
  ).toBe('A solicitação 1001 está fechada e não pode mudar de situação')

  const attached = await post('request/addAttachments', {
    sessionID: id,
    mediaType: 'application/json',
    requestNumber: '1001',
    attachments: [{ name: 'a.txt', extension: 'txt', content: Buffer.from('abc').toString('base64') }],
  })
  expect(attached.json).toMatchObject({ error: null, dateTimeMilliseconds: expect.any(Number) })
  const missing = await post('request/addAttachments', { sessionID: id, requestNumber: '1001' })
  expect(missing.status).toBe(500)
  expect(missing.json.error.code).toBe('INTERNAL')
  expect(missing.json.error.description).toMatch(
    /^------\njava\.lang\.IllegalArgumentException: Campos obrigatórios não informados\n\tat br\.com\.centralit/
  )
  expect(
    (
      await post('request/addAttachments', {
        sessionID: id,
        requestNumber: '1001',
        attachments: [{ name: 'a', extension: 'txt', content: '###' }],
      })
    ).json.error.code
  ).toBe('INPUT')

  const snap = fake.snapshot()
  expect(snap.parameters['45 LDAP - ID Grupo Padrão']).toBe('Solicitantes Facebook')
  expect(snap.tickets[0]).toMatchObject({
    number: '1001',
    status: { code: 'Fechada' },
    attachments: [{ name: 'a.txt', extension: 'txt', size: 3 }],
  })
  expect(snap.tickets[0].occurrences).toHaveLength(2)
  expect(snap.tickets[0].statusHistory.map((h: any) => h.code)).toEqual(['EmAndamento', 'Suspensa', 'Fechada'])
  expect(JSON.stringify(snap)).not.toContain('fourbiz-password')
  expect(JSON.stringify(snap)).not.toContain(id)
})

it('answers a path outside the web services like Tomcat, and only POST JSON', async () => {
  const page = await fetch(`${fake.url}/citsmart/services/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  })
  expect(page.status).toBe(404)
  expect(page.headers.get('content-type')).toContain('text/html')
  expect((await fetch(`${fake.url}/4biz/services/login`)).status).toBe(405)
  expect((await fetch(`${fake.url}/4biz/services/login`, { method: 'POST', body: 'userName=x' })).status).toBe(415)
})

it('the real texts: not found (with the typo), unknown user, a duplicate raised as an exception', async () => {
  const id = await login()
  expect((await post('request/getById', { sessionID: id, number: '4242' })).json.error).toEqual({
    code: 'INPUT',
    description: 'Solicitacação de serviço não encontrada',
  })
  expect((await post('request/getByUser', { sessionID: id, userID: 'ninguem' })).json.error).toEqual({
    code: 'PARAM',
    description: 'Dados do usuário não cadastrados',
  })
  fake.duplicateAsException = true
  await post('request/create', { sessionID: id, synchronize: true, sourceRequest: source() })
  const dup = await post('request/create', { sessionID: id, synchronize: true, sourceRequest: source() })
  expect(dup.json.error.code).toBe('INTERNAL')
  expect(dup.json.error.description).toContain(
    'br.com.citframework.excecao.LogicException: Solicitação de serviço já cadastrada no CITSmart\n\tat '
  )
})

it('synchronize overwrites an existing person ("criados ou atualizados")', async () => {
  fake.addRequester('maria.silva', 'Maria Silva', 'Financeiro', 'Colaboradores', { email: 'maria@empresa.com.br' })
  const id = await login()
  await post('request/create', { sessionID: id, synchronize: true, sourceRequest: source({ userID: 'maria.silva' }) })
  expect(fake.requesters.get('maria.silva')).toMatchObject({
    name: 'Fulano',
    email: 'fulano@example.com',
    unit: 'Atendimento Digital',
    updatedBy: 'synchronize (botpress.integration)',
  })
})

it('sessions: cookies set by the login, bound to them on a multi-node tenant; 401 on webmvc-style tenants', async () => {
  const res = await post('login', { userName: 'botpress.integration', password: 'fourbiz-password' })
  expect(res.status).toBe(200) // platform is optional (2025 4biz clients omit it)
  expect(res.cookies.map((c) => c.split('=')[0])).toEqual(['JSESSIONID', 'AWSALB'])
  const id = res.json.sessionID
  const jsession = res.cookies[0]!.split(';')[0]!
  fake.addRequester('maria', 'Maria')
  fake.cookieBound = true
  expect((await post('request/getByUser', { sessionID: id, userID: 'maria' })).json.error).toEqual({
    code: 'SESSION',
    description: REAL_TEXTS.session,
  })
  expect((await post('request/getByUser', { sessionID: id, userID: 'maria' }, { cookie: jsession })).json.amount).toBe(
    0
  )
  fake.expiredSessionStatus = 401
  const refused = await post('request/getByUser', { sessionID: id, userID: 'maria' })
  expect([refused.status, refused.text]).toEqual([401, ''])
})

it('login platform: optional, required, or an unknown field (HTTP 400 from an old Jackson)', async () => {
  fake.loginPlatform = 'required'
  expect(
    (await post('login', { userName: 'botpress.integration', password: 'fourbiz-password' })).json.error.code
  ).toBe('PARAM')
  fake.loginPlatform = 'unknownField'
  const old = await post('login', {
    userName: 'botpress.integration',
    password: 'fourbiz-password',
    platform: 'BOTPRESS',
  })
  expect([old.status, old.text]).toEqual([
    400,
    'Unrecognized field "platform" (Class br.com.centralit.citsmart.rest.schema.CtLogin), not marked as ignorable',
  ])
  expect((await post('login', { userName: 'botpress.integration', password: 'fourbiz-password' })).status).toBe(200)
})

it('refusals in XML or plain text; addAttachments under /webmvc/services/ on some versions; permissions removed one by one', async () => {
  const id = await login()
  fake.refusalFormat = 'xml'
  const xml = await post('request/getById', { sessionID: id, number: '1' })
  expect(xml.type).toContain('application/xml')
  expect(xml.text).toContain(
    '<Error><Code>INPUT</Code><Description>Solicitacação de serviço não encontrada</Description></Error>'
  )
  fake.refusalFormat = 'text'
  expect(await post('request/getById', { sessionID: id, number: '1' })).toMatchObject({
    status: 412,
    text: 'Solicitacação de serviço não encontrada',
  })
  fake.refusalFormat = 'json'

  await post('request/create', { sessionID: id, synchronize: true, sourceRequest: source() })
  const body = {
    sessionID: id,
    mediaType: 'application/json',
    requestNumber: '1001',
    attachments: [{ name: 'a', extension: 'txt', content: 'YWJj' }],
  }
  fake.attachmentsPath = 'webmvc'
  expect((await post('request/addAttachments', body)).status).toBe(404)
  expect((await post('request/addAttachments', body, {}, 'webmvc/services')).json.error).toBeNull()

  fake.setPermission('botpress.integration', 'request_updateStatus', false)
  expect(
    (await post('request/updateStatus', { sessionID: id, number: '1001', status: { code: 'Suspensa' } })).json.error
  ).toEqual({ code: 'PARAM', description: REAL_TEXTS.noAccess })
  expect((await post('request/getById', { sessionID: id, number: '1001' })).json.request.number).toBe('1001')
  fake.setPermission('botpress.integration', 'request_updateStatus', true)
  expect(
    (await post('request/updateStatus', { sessionID: id, number: '1001', status: { code: 'Suspensa' } })).json.error
  ).toBeNull()
})

it('mobile API lookups: v2/contracts and v2/units', async () => {
  const id = await login()
  expect((await post('v2/contracts', { sessionID: id })).json.contracts).toEqual([
    { id: 1, description: 'Contrato 1' },
    { id: 2, description: 'Contrato 2' },
  ])
  expect((await post('v2/units', { sessionID: id, contractID: 1 })).json.units).toEqual([
    { id: 1, description: 'Geral' },
    { id: 2, description: 'Atendimento Digital' },
  ])
  expect((await post('v2/units', { sessionID: id, contractID: 9 })).json.error.code).toBe('INPUT')
})
