import floor from '../bench/floor'
import type { BotpressFake } from './fakes/botpress'
import { APP_SECRET, metaJson, PAGE_ID, postMessenger, startBotpress } from './harness'

/**
 * The bench's floor (bench/floor) does what the bench says it does, and nothing else: the official
 * Messenger integration's three calls per inbound text, one message per mid, signature required.
 * (Its speed is measured by `npm run bench`, never here.)
 */
let botpress: BotpressFake
const handler = floor.handler
const config = { appSecret: APP_SECRET } as any
const item = (psid: string, mid: string, text: string, timestamp: number) => ({
  sender: { id: psid },
  recipient: { id: PAGE_ID },
  timestamp,
  message: { mid, text },
})
const body = (items: object[]) =>
  metaJson({ object: 'page', entry: [{ id: PAGE_ID, time: Date.now(), messaging: items }] })

beforeAll(async () => {
  botpress = await startBotpress()
})
afterAll(() => botpress.stop())

it('an inbound text costs getOrCreateConversation, getOrCreateUser, getOrCreateMessage; a redelivery adds no message', async () => {
  const raw = body([item('7400000000000001', 'm_floor_1', 'olá', 1_790_000_000_000)])
  const before = botpress.calls.length
  expect((await postMessenger(raw, config, {}, handler)).status).toBe(200)
  expect(botpress.calls.slice(before).map((c) => c.path)).toEqual([
    '/v1/chat/conversations/get-or-create',
    '/v1/chat/users/get-or-create',
    '/v1/chat/messages/get-or-create',
  ])
  await postMessenger(raw, config, {}, handler)
  expect(botpress.messages.filter((m) => m.tags.id === 'm_floor_1').map((m) => m.payload)).toEqual([{ text: 'olá' }])
})

it("every event of a body is handled, each sender's in order", async () => {
  const items = [3, 1, 2].map((n) =>
    item('7400000000000002', `m_floor_order_${n}`, `texto ${n}`, 1_790_000_000_000 + n)
  )
  items.push(item('7400000000000003', 'm_floor_other', 'outro', 1_790_000_000_000))
  await postMessenger(body(items), config, {}, handler)
  const texts = (psid: string) => {
    const conv = botpress.conversations.find((c) => c.tags.id === psid)!
    return botpress.messages.filter((m) => m.conversationId === conv.id).map((m) => m.payload.text)
  }
  expect(texts('7400000000000002')).toEqual(['texto 1', 'texto 2', 'texto 3'])
  expect(texts('7400000000000003')).toEqual(['outro'])
})

it('a body without a valid signature is refused and calls nothing', async () => {
  const raw = body([item('7400000000000004', 'm_floor_forged', 'forjado', 1_790_000_000_000)])
  const before = botpress.calls.length
  const res = await postMessenger(raw, config, { 'x-hub-signature-256': 'sha256=' + '0'.repeat(64) }, handler)
  expect(res.status).toBe(401)
  expect(botpress.calls.length).toBe(before)
})
