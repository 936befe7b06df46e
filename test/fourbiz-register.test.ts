import { GraphFake } from './fakes/graph'
import { quietLogs, startWorld, World } from './fourbiz-setup'
import { callOperation } from './harness'
import type * as bp from '../src/typings'

/** register checks the 4biz side: login, and every web-service operation the integration uses. */

let w: World
let graph: GraphFake
let restoreLogs: () => void
beforeEach(async () => {
  restoreLogs = quietLogs()
  w = await startWorld()
  graph = new GraphFake()
  await graph.start()
  process.env.MESSENGER_GRAPH_URL = graph.url
})
afterEach(async () => {
  await graph.stop()
  await w.stop()
  restoreLogs()
})

const register = (overrides: Partial<bp.Configuration> = {}) =>
  callOperation('register', { webhookUrl: 'https://webhook.botpress.cloud/wh_test' }, w.config(overrides))

function logged<T>(fn: () => Promise<T>) {
  const lines: string[] = []
  restoreLogs()
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
    jest.spyOn(console, m).mockImplementation((...args) => void lines.push(args.join(' ')))
  )
  return fn()
    .finally(() => {
      spies.forEach((s) => s.mockRestore())
      restoreLogs = quietLogs()
    })
    .then((r) => ({ r, text: lines.join('\n') }))
}

it('register runs the setup check: logs in, asks each operation without creating anything, keeps the session, logs the list', async () => {
  const { r: res, text } = await logged(() => register())
  expect(res.status).toBe(200)
  const operations = w.fourbiz.calls.map((c) => c.path.replace('/4biz/services/', ''))
  expect(operations).toEqual([
    'login',
    'request/create',
    'request/getById',
    'request/getByUser',
    'request/createOccurrence',
    'request/listOccurrences',
    'request/updateStatus',
    'request/addAttachments',
    'v2/contracts',
    'v2/units',
  ])
  expect(w.fourbiz.tickets.size).toBe(0)
  expect(w.fourbiz.requesters.size).toBe(0)
  expect(w.session()?.sessionId).toBe(w.fourbiz.calls[1]!.body.sessionID)
  expect(text).toContain('Configuração do 4biz: nada a corrigir.')
  expect(text).toContain('[OK] request_updateStatus: cadastrada e permitida ao usuário.')
  expect(text).toContain('[OK] unidade "Atendimento Digital": existe no contrato 1')

  const { userId } = w.messengerUser('7300000000000004')
  await w.action('createTicket', { description: 'depois do register', userId })
  expect(w.fourbiz.loginCount).toBe(1)
})

it('register with operations the user may not run still succeeds, and logs what to fix', async () => {
  w.fourbiz.setPermission('botpress.integration', 'request_updateStatus', false)
  w.fourbiz.registeredOperations.delete('request_addAttachments')
  const { r: res, text } = await logged(() => register())
  expect(res.status).toBe(200)
  expect(text).toContain('Configuração do 4biz: 2 itens a corrigir.')
  expect(text).toContain(
    '[CORRIGIR] request_updateStatus: o usuário "botpress.integration" não tem acesso. Em Sistema > Web Service > Operação de Web Service > request_updateStatus > Adicionar Grupo, vincule um grupo deste usuário.'
  )
  expect(text).toContain(
    '[CORRIGIR] request_addAttachments: operação não cadastrada. Carregue os scripts em Sistema > Banco de Dados > Scripts > Carga de Scripts Webservice'
  )
})

describe('checkFourbizSetup action', () => {
  it('answers the list in the configured language, naming what to fix: a permission, a unit given by id, a contract', async () => {
    w.fourbiz.setPermission('botpress.integration', 'request_createOccurrence', false)
    const res = await w.action('checkFourbizSetup', {}, { defaultUnit: '2', defaultContract: '2', language: 'en' })
    expect(res.status).toBe(200)
    const out = res.json.output
    expect(out.ok).toBe(false)
    expect(out.problems).toEqual([
      'request_createOccurrence: user "botpress.integration" has no access. In Sistema > Web Service > Operação de Web Service > request_createOccurrence > Adicionar Grupo, link a group of this user.',
      'unit "2": defaultUnit must hold the unit\'s name, not its id: replace "2" with "Atendimento Digital".',
    ])
    expect(out.checks.map((c: any) => `${c.status} ${c.item}`)).toEqual([
      'ok login',
      'ok request_create',
      'ok request_getById',
      'ok request_getByUser',
      'fix request_createOccurrence',
      'ok request_listOccurrences',
      'ok request_updateStatus',
      'ok request_addAttachments',
      'unchecked activity 170',
      'ok contract 2',
      'fix unit "2"',
    ])
    expect(out.report.split('\n')[0]).toBe('4biz setup: 2 items to fix.')
    expect(w.fourbiz.tickets.size + w.fourbiz.requesters.size).toBe(0)
  })

  it('Spanish; a contract the user does not see; a unit spelled differently; a non-numeric activity', async () => {
    const res = await w.action(
      'checkFourbizSetup',
      { activity: 'Falha' },
      { defaultUnit: 'atendimento digital', defaultContract: '9', language: 'es' }
    )
    const out = res.json.output
    expect(out.problems).toEqual([
      'actividad Falha: defaultActivity debe ser el código numérico de la actividad (4biz lee service.code como número); "Falha" no lo es.',
      'contrato 9: el contrato 9 no está entre los visibles para el usuario (1 (Contrato 1), 2 (Contrato 2)). Corrija defaultContract o dé acceso al contrato.',
    ])
    // the units of contract 9 cannot be listed: 4biz refuses the unknown contract
    expect(out.checks.at(-1)).toMatchObject({ item: 'unidad "atendimento digital"', status: 'unchecked' })

    const spelled = (await w.action('checkFourbizSetup', {}, { defaultUnit: 'atendimento digital', language: 'es' }))
      .json.output
    expect(spelled.problems).toEqual([
      'unidad "atendimento digital": 4biz escribe la unidad "Atendimento Digital": ponga exactamente ese nombre en defaultUnit.',
    ])
  })

  it('a bad login is the first item, and nothing else is asked', async () => {
    const res = await w.action('checkFourbizSetup', {}, { fourbizPassword: 'errada' })
    expect(res.status).toBe(200)
    expect(res.json.output.ok).toBe(false)
    expect(res.json.output.checks).toHaveLength(1)
    expect(res.json.output.problems[0]).toContain('login: 4biz refused the login of user "botpress.integration"')
    expect(res.body).not.toContain('errada')
  })

  it('lookups the user may not run are reported as not checked, with what to grant', async () => {
    w.fourbiz.setPermission('botpress.integration', 'v2_contracts', false)
    w.fourbiz.setPermission('botpress.integration', 'v2_units', false)
    const out = (await w.action('checkFourbizSetup', {})).json.output
    expect(out.ok).toBe(true)
    expect(out.checks.slice(-2)).toEqual([
      {
        item: 'contrato',
        status: 'unchecked',
        detail:
          'a consulta v2/contracts não respondeu (Usuário não tem acesso à operação); para verificar, dê ao usuário acesso a v2/contracts.',
      },
      {
        item: 'unidade "Atendimento Digital"',
        status: 'unchecked',
        detail: 'sem contrato para consultar as unidades.',
      },
    ])
  })

  it('finds addAttachments under /webmvc/services/ and the platform the tenant accepts', async () => {
    w.fourbiz.attachmentsPath = 'webmvc'
    w.fourbiz.loginPlatform = 'unknownField'
    const out = (await w.action('checkFourbizSetup', {})).json.output
    expect(out.ok).toBe(true)
    expect(w.fourbiz.calls.map((c) => c.path.replace('/4biz/', ''))).toEqual(
      expect.arrayContaining(['services/request/addAttachments', 'webmvc/services/request/addAttachments'])
    )
    expect(w.fourbiz.callsToOperation('login').map((c) => 'platform' in c.body)).toEqual([true, false])
  })
})

it('fails with a clear error on wrong credentials', async () => {
  const res = await register({ fourbizPassword: 'errada' })
  expect(res.status).toBe(400)
  expect(res.json.message).toContain(
    '4biz refused the login of user "botpress.integration". Check fourbizUser and fourbizPassword'
  )
  expect(res.body).not.toContain('errada')
})

it('fails with a clear error on a bad URL: refused connection, unknown host, wrong context path', async () => {
  const refused = await register({ fourbizUrl: 'http://127.0.0.1:9/4biz' })
  expect(refused.json.message).toMatch(
    /^4biz is unavailable while logging in: connection refused by http:\/\/127\.0\.0\.1:9\/4biz\/services\/login/
  )
  const dns = await register({ fourbizUrl: 'http://fourbiz.invalid/4biz' })
  expect(dns.json.message).toContain('does not resolve (ENOTFOUND)')
  const context = await register({ fourbizUrl: w.fourbiz.url })
  expect(context.json.message).toContain('did not answer like the 4biz web services while logging in: HTTP 404')
})
