import { GraphFake, startGraph } from './fakes/graph'
import { startWorld, World } from './fourbiz-setup'
import { callOperation, PAGE_TOKEN } from './harness'
import type * as bp from '../src/typings'

/** register validates what the bot builder typed: required keys, the Page token, then 4biz. */

let w: World
let graph: GraphFake
beforeAll(async () => {
  w = await startWorld()
  graph = await startGraph({ pageName: 'Suporte TI' })
})
afterAll(async () => {
  await graph.stop()
  await w.stop()
})

const WEBHOOK = 'https://webhook.botpress.cloud/wh_test'
const register = (overrides: Partial<bp.Configuration> = {}) =>
  callOperation('register', { webhookUrl: WEBHOOK }, w.config(overrides))

function logged(fn: () => Promise<unknown>) {
  const lines: string[] = []
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
    jest.spyOn(console, m).mockImplementation((...args) => void lines.push(args.join(' ')))
  )
  return fn().then(
    (r) => (spies.forEach((s) => s.mockRestore()), { r, lines }),
    (e) => {
      spies.forEach((s) => s.mockRestore())
      throw e
    }
  )
}

it('logs the webhook URL and every field to subscribe when everything is right; secrets never logged', async () => {
  const { r, lines } = await logged(() => register())
  expect((r as { status: number }).status).toBe(200)
  const text = lines.join('\n')
  expect(text).toContain(`callback URL to ${WEBHOOK}`)
  for (const field of [
    'messages',
    'message_echoes',
    'messaging_postbacks',
    'message_reactions',
    'messaging_handovers',
    'standby',
  ])
    expect(text).toContain(field)
  expect(text).toContain('"Suporte TI"')
  expect(text).not.toContain(PAGE_TOKEN)
  expect(text).not.toContain('fourbiz-password')
})

it('names every missing or malformed required key', async () => {
  const res = await register({
    pageId: 'minha-pagina',
    defaultActivity: '',
    fourbizUrl: 'not a url',
    verifyToken: undefined as unknown as string,
  })
  expect(res.status).toBe(400)
  expect(res.json.message).toMatch(/pageId: Must be the numeric Facebook Page id/)
  expect(res.json.message).toMatch(/defaultActivity/)
  expect(res.json.message).toMatch(/fourbizUrl/)
  expect(res.json.message).toMatch(/verifyToken/)
})

it('a bad Page token says how to get a new one, without showing it', async () => {
  const res = await register({ pageAccessToken: 'EAAWRONGTOKEN' })
  expect(res.status).toBe(400)
  expect(res.json.message).toMatch(/Page access token/i)
  expect(res.json.message).not.toContain('EAAWRONGTOKEN')
})

it('a token of another page is refused, naming both pages', async () => {
  const res = await register({ pageId: '999999999999999' })
  expect(res.status).toBe(400)
  expect(res.json.message).toMatch(
    /belongs to the page "Suporte TI" \(104857600123456\), not to pageId 999999999999999/
  )
})

it('a bad 4biz login fails register with what to fix', async () => {
  const res = await register({ fourbizPassword: 'errada' })
  expect(res.status).toBe(400)
  expect(res.json.message).toMatch(/fourbizUser and fourbizPassword/)
})

it('unregister answers 200', async () => {
  expect((await callOperation('unregister', { webhookUrl: WEBHOOK }, w.config())).status).toBe(200)
})
