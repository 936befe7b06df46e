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

const register = (overrides: Partial<bp.Configuration> = {}) => callOperation('register', { webhookUrl: 'https://webhook.botpress.cloud/wh_test' }, w.config(overrides))

it('logs in, checks the seven operations without creating anything, and keeps the session for later calls', async () => {
  const res = await register()
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
  ])
  expect(w.fourbiz.tickets.size).toBe(0)
  expect(w.fourbiz.requesters.size).toBe(0)
  expect(w.session()?.sessionId).toBe(w.fourbiz.calls[1]!.body.sessionID)

  const { userId } = w.messengerUser('7300000000000004')
  await w.action('createTicket', { description: 'depois do register', userId })
  expect(w.fourbiz.loginCount).toBe(1)
})

it('names every operation the 4biz user may not run', async () => {
  w.fourbiz.users['botpress.integration']!.permissions = ['request_create', 'request_getById']
  const res = await register()
  expect(res.status).toBe(400)
  expect(res.json.message).toBe(
    '4biz login works, but user "botpress.integration" has no permission for request_getByUser, request_createOccurrence, request_listOccurrences, request_updateStatus, request_addAttachments: in Sistema > Web Service > Operação de Web Service, add a group of this user to each of them.'
  )
})

it('names operations the web-service scripts did not register', async () => {
  w.fourbiz.registeredOperations.delete('request_addAttachments')
  const res = await register()
  expect(res.json.message).toBe(
    '4biz login works, but the web-service operations request_addAttachments are not registered: load them in Sistema > Banco de Dados > Scripts > Carga de Scripts Webservice.'
  )
})

it('fails with a clear error on wrong credentials', async () => {
  const res = await register({ fourbizPassword: 'errada' })
  expect(res.status).toBe(400)
  expect(res.json.message).toContain('4biz refused the login of user "botpress.integration". Check fourbizUser and fourbizPassword')
  expect(res.body).not.toContain('errada')
})

it('fails with a clear error on a bad URL: refused connection, unknown host, wrong context path', async () => {
  const refused = await register({ fourbizUrl: 'http://127.0.0.1:9/4biz' })
  expect(refused.json.message).toMatch(/^4biz is unavailable while logging in: connection refused by http:\/\/127\.0\.0\.1:9\/4biz\/services\/login/)
  const dns = await register({ fourbizUrl: 'http://fourbiz.invalid/4biz' })
  expect(dns.json.message).toContain('does not resolve (ENOTFOUND)')
  const context = await register({ fourbizUrl: w.fourbiz.url })
  expect(context.json.message).toContain('did not answer like the 4biz web services while logging in: HTTP 404')
})
