import { fourbizRefusal } from './fakes/fourbiz'
import { anotherInstance, quietLogs, startWorld, World } from './fourbiz-setup'
import { IDS } from './harness'
import { FourbizClient } from '../src/fourbiz/client'
import type { FourbizSession } from '../src/fourbiz/session'

/** The 4biz session: cached in integration state, renewed before expiry, re-login once on refusal. */

let w: World
let restoreLogs: () => void
afterEach(async () => {
  await w.stop()
  restoreLogs()
})
const start = async (opts: Parameters<typeof startWorld>[0] = {}) => {
  restoreLogs = quietLogs()
  w = await startWorld(opts)
}
const PSID = '7300000000000002'

it('logs in once for many actions within the token lifetime, and keeps the session in integration state', async () => {
  await start()
  const { userId } = w.messengerUser(PSID)
  const created = await w.action('createTicket', { description: 'x', userId })
  const number = created.json.output.ticketNumber
  for (let i = 0; i < 10; i++) {
    expect((await w.action('getTicket', { ticketNumber: number })).status).toBe(200)
    expect((await w.action('addTicketComment', { ticketNumber: number, text: `nota ${i}` })).status).toBe(200)
  }
  expect(w.fourbiz.loginCount).toBe(1)
  const stored = w.session()!
  expect(w.fourbiz.calls.every((c) => c.path.endsWith('/login') || c.body.sessionID === stored.sessionId)).toBe(true)
  // reused until one minute before the 10-minute lifetime (the fake's token is a UUID: no exp to read)
  const loginAt = w.fourbiz.calls[0]!.at
  expect(stored.expiresAt).toBeGreaterThanOrEqual(loginAt + 9 * 60_000 - 1000)
  expect(stored.expiresAt).toBeLessThanOrEqual(loginAt + 9 * 60_000 + 1000)
})

it('renews the session when 4biz expires it in the middle of a flow: one new login, the call retried once', async () => {
  await start()
  const { userId } = w.messengerUser(PSID)
  const number = (await w.action('createTicket', { description: 'x', userId })).json.output.ticketNumber
  const oldSession = w.session()!.sessionId

  w.fourbiz.expireSessions()
  const before = w.fourbiz.calls.length
  const res = await w.action('addTicketComment', { ticketNumber: number, text: 'depois da expiração' })
  expect(res.status).toBe(200)
  expect(
    w.fourbiz.calls
      .slice(before)
      .map((c) => `${c.path.replace('/4biz/services/', '')} ${c.body.sessionID === oldSession ? 'old' : 'new'}`)
  ).toEqual(['request/createOccurrence old', 'login new', 'request/createOccurrence new'])
  expect(w.fourbiz.ticket(number)!.occurrences).toHaveLength(1)
  expect(w.session()!.sessionId).not.toBe(oldSession)

  // the flow goes on with the new session, no further login
  expect((await w.action('cancelTicket', { ticketNumber: number, reason: 'fim' })).status).toBe(200)
  expect(w.fourbiz.loginCount).toBe(2)
})

it('another instance reuses the stored session; an instance logs in again without a failed call once the session is due', async () => {
  await start()
  const { userId } = w.messengerUser(PSID)
  await w.action('createTicket', { description: 'x', userId })
  const stored = w.session()!.sessionId
  const second = anotherInstance()
  expect((await second('getTicket', { ticketNumber: '1001' }, w.config())).status).toBe(200)
  expect(w.fourbiz.loginCount).toBe(1)
  expect(w.fourbiz.callsToOperation('request/getById').at(-1)!.body.sessionID).toBe(stored)

  // a third instance finds the stored session due: it logs in first, no call is refused
  w.botpress.states.get(`integration/${IDS.integrationId}/fourbizSession`)!.payload.expiresAt = Date.now() - 1
  const before = w.fourbiz.calls.length
  await anotherInstance()('getTicket', { ticketNumber: '1001' }, w.config())
  expect(w.fourbiz.calls.slice(before).map((c) => c.path)).toEqual([
    '/4biz/services/login',
    '/4biz/services/request/getById',
  ])
})

it('reads the expiry of a JWT session (exp) instead of assuming 10 minutes', async () => {
  await start({ jwtSessions: true, sessionTtlMs: 30 * 60_000 })
  await w.action('getTicket', { ticketNumber: '1' })
  const { sessionId, expiresAt } = w.session()!
  const exp = JSON.parse(Buffer.from(sessionId.split('.')[1]!, 'base64url').toString()).exp * 1000
  expect(expiresAt).toBe(exp - 60_000)
})

it('understands an XML login answer (<SessionID>)', async () => {
  await start({ xmlLogin: true })
  const { userId } = w.messengerUser(PSID)
  const res = await w.action('createTicket', { description: 'via XML', userId })
  expect(res.json.output).toMatchObject({ ticketNumber: '1001', created: true })
  const login = w.fourbiz.calls[0]!
  expect(login.path).toBe('/4biz/services/login')
  expect(w.fourbiz.calls[1]!.body.sessionID).toBe(w.session()!.sessionId)
})

it('gives up after one new login when 4biz keeps refusing the session, without leaking it', async () => {
  await start()
  w.fourbiz.fault = (call) =>
    call.path.endsWith('/request/getById')
      ? fourbizRefusal('SESSION', `Sessão ${call.body.sessionID} não existe ou está expirada`)
      : undefined
  const res = await w.action('getTicket', { ticketNumber: '1001' })
  expect(res.status).toBe(400)
  expect(w.fourbiz.callsToOperation('login')).toHaveLength(2)
  expect(w.fourbiz.callsToOperation('request/getById')).toHaveLength(2)
  expect(res.json.message).toContain('refused the session again right after a new login')
  for (const c of w.fourbiz.calls) if (c.body.sessionID) expect(res.body).not.toContain(c.body.sessionID)
  expect(res.body).toContain('Sessão *** não existe')
  expect(res.body).not.toContain('fourbiz-password')
})

it('treats HTTP 401 as a refused session too', async () => {
  await start()
  let refused = 0
  w.fourbiz.fault = (call) =>
    call.path.endsWith('/request/getById') && refused++ === 0 ? { status: 401, raw: '', headers: {} } : undefined
  const res = await w.action('getTicket', { ticketNumber: '1001' })
  // after the new login the call went through (and 4biz said the ticket does not exist)
  expect(w.fourbiz.callsToOperation('login')).toHaveLength(2)
  expect(res.json.message).toContain('4biz has no ticket "1001"')
})

it('concurrent calls of one instance share one login (single flight)', async () => {
  await start()
  let saved: FourbizSession | undefined
  const store = { load: () => Promise.resolve(saved), save: (s: FourbizSession) => Promise.resolve(void (saved = s)) }
  const client = new FourbizClient({
    baseUrl: `${w.fourbiz.url}/4biz`,
    userName: 'botpress.integration',
    password: 'fourbiz-password',
    platform: 'BOTPRESS',
    store,
  })
  w.fourbiz.addRequester('maria', 'Maria')
  const lists = await Promise.all([1, 2, 3, 4, 5].map(() => client.getRequestsByUser('maria')))
  expect(lists).toEqual([[], [], [], [], []])
  expect(w.fourbiz.loginCount).toBe(1)
  expect(saved?.sessionId).toBe(w.fourbiz.callsToOperation('request/getByUser')[0]!.body.sessionID)

  // after an expiry, concurrent refusals lead to one new login as well
  w.fourbiz.expireSessions()
  await Promise.all([1, 2, 3].map(() => client.getRequestsByUser('maria')))
  expect(w.fourbiz.loginCount).toBe(2)
})
