import { format } from 'node:util'
import type { BotpressFake } from './fakes/botpress'
import { GraphFake, startGraph } from './fakes/graph'
import { baseConfig, callAction, PAGE_ID, PAGE_TOKEN, startBotpress } from './harness'

/** The Messenger actions through `handler` (action_triggered), against the Botpress and Graph fakes. */

const PSID = '7000000000000004'
const config = baseConfig()

let botpress: BotpressFake
let graph: GraphFake
let output: string[]

beforeAll(async () => {
  botpress = await startBotpress()
  graph = await startGraph()
})
afterAll(() => Promise.all([botpress.stop(), graph.stop()]))
beforeEach(() => {
  botpress.reset()
  graph.clearTraffic()
  graph.fault = undefined
  graph.setProfile(PSID, { first_name: 'Ana', last_name: 'Conceição', profile_pic: 'https://cdn.example/ana.jpg' })
  graph.userMessaged(PSID)
  output = []
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const)
    jest.spyOn(console, level).mockImplementation((...args: unknown[]) => void output.push(format(...args)))
})
afterEach(() => jest.restoreAllMocks())

const profileCalls = () => graph.calls.filter((c) => c.method === 'GET' && c.path === `/v25.0/${PSID}`)

describe('getOrCreateUser (proactive)', () => {
  it('creates the user with the Messenger profile, fetched once', async () => {
    const first = await callAction('getOrCreateUser', { user: { psid: PSID } }, config)
    expect(first.status).toBe(200)
    const userId = first.json.output.userId
    expect(botpress.users).toEqual([
      expect.objectContaining({
        id: userId,
        name: 'Ana Conceição',
        pictureUrl: 'https://cdn.example/ana.jpg',
        tags: { psid: PSID, profileFetched: 'true' },
      }),
    ])
    const again = await callAction('getOrCreateUser', { user: { psid: PSID } }, config)
    expect(again.json.output).toEqual({ userId })
    expect(profileCalls()).toHaveLength(1)
    // the second call costs one Botpress API call and no Graph call
    expect(botpress.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'POST /v1/chat/users/get-or-create',
      `PUT /v1/chat/users/${userId}`,
      'POST /v1/chat/users/get-or-create',
    ])
  })

  it('no profile (2018218) is logged, never thrown, and not asked again', async () => {
    graph.setProfile(PSID, undefined)
    const res = await callAction('getOrCreateUser', { user: { psid: PSID } }, config)
    expect(res.status).toBe(200)
    expect(botpress.users[0]).toMatchObject({ tags: { psid: PSID, profileFetched: 'true' } })
    expect(botpress.users[0]!.name).toBeUndefined()
    expect(output.join('\n')).toContain(`No Messenger profile for PSID ${PSID} (parameter, Meta error 100/2018218)`)
    await callAction('getOrCreateUser', { user: { psid: PSID } }, config)
    expect(profileCalls()).toHaveLength(1)
  })

  it('a temporary profile failure is not cached: the next call asks again (and no retry delays it)', async () => {
    graph.failNext(1, { code: 2 })
    await callAction('getOrCreateUser', { user: { psid: PSID } }, config)
    expect(botpress.users[0]!.tags.profileFetched).toBeUndefined()
    expect(profileCalls()).toHaveLength(1)
    await callAction('getOrCreateUser', { user: { psid: PSID } }, config)
    expect(botpress.users[0]).toMatchObject({ name: 'Ana Conceição', tags: { profileFetched: 'true' } })
    expect(profileCalls()).toHaveLength(2)
    expect(output.join('\n')).not.toContain(PAGE_TOKEN)
  })

  it.each([
    [{}, /Invalid input for getOrCreateUser: "user" required/],
    [{ user: {} }, /Invalid input for getOrCreateUser: "user.psid" required/],
    [{ user: { psid: 'ana' } }, /"user.psid" must be a numeric psid/],
    [{ psid: PSID }, /"user" required/],
  ])('bad input %p → RuntimeError naming the field', async (input, message) => {
    const res = await callAction('getOrCreateUser', input, config)
    expect(res.status).toBe(400)
    expect(res.json).toMatchObject({ type: 'Runtime', message: expect.stringMatching(message) })
    expect(botpress.users).toEqual([])
  })
})

describe('getOrCreateConversation (proactive)', () => {
  it('one conversation per (PSID, page) on the messenger channel', async () => {
    const a = await callAction('getOrCreateConversation', { conversation: { psid: PSID } }, config)
    const b = await callAction('getOrCreateConversation', { conversation: { psid: PSID } }, config)
    expect(a.json.output.conversationId).toBe(b.json.output.conversationId)
    expect(botpress.conversations).toEqual([
      expect.objectContaining({
        id: a.json.output.conversationId,
        channel: 'messenger',
        tags: { psid: PSID, pageId: PAGE_ID },
      }),
    ])
    expect(botpress.calls[0]!.body).toEqual({
      channel: 'messenger',
      tags: { psid: PSID, pageId: PAGE_ID },
      discriminateByTags: ['psid', 'pageId'],
    })
    expect(graph.calls).toHaveLength(0)
  })

  it('bad input → RuntimeError', async () => {
    const res = await callAction('getOrCreateConversation', { conversation: { psid: '12a' } }, config)
    expect(res.status).toBe(400)
    expect(res.json.message).toMatch(/Invalid input for getOrCreateConversation: "conversation.psid"/)
  })
})

describe('typing indicators', () => {
  const conversation = async () =>
    (await callAction('getOrCreateConversation', { conversation: { psid: PSID } }, config)).json.output
      .conversationId as string

  it('startTypingIndicator sends mark_seen then typing_on, each alone', async () => {
    const conversationId = await conversation()
    const res = await callAction('startTypingIndicator', { conversationId, messageId: 'msg_1' }, config)
    expect(res.status).toBe(200)
    expect(res.json.output).toEqual({})
    expect(graph.senderActions(PSID)).toEqual(['mark_seen', 'typing_on'])
    expect(graph.calls.map((c) => c.body)).toEqual([
      { recipient: { id: PSID }, sender_action: 'mark_seen' },
      { recipient: { id: PSID }, sender_action: 'typing_on' },
    ])
  })

  it('stopTypingIndicator sends typing_off', async () => {
    const conversationId = await conversation()
    await callAction('stopTypingIndicator', { conversationId, messageId: 'msg_1' }, config)
    expect(graph.senderActions(PSID)).toEqual(['typing_off'])
  })

  it('a Graph failure is logged, not thrown, and not retried (it is cosmetic)', async () => {
    const conversationId = await conversation()
    graph.failNext(1, { code: 613 })
    const res = await callAction('startTypingIndicator', { conversationId, messageId: 'msg_1' }, config)
    expect(res.status).toBe(200)
    expect(graph.senderActions(PSID)).toEqual(['typing_on'])
    expect(graph.calls).toHaveLength(2)
    expect(output.join('\n')).toMatch(/startTypingIndicator: Messenger did not take "mark_seen" .* 613/)
  })

  it.each([
    [{ messageId: 'msg_1' }, /"conversationId" required/],
    [{ conversationId: 'conv_missing' }, /"messageId" required/],
    [
      { conversationId: 'conv_missing', messageId: 'msg_1' },
      /"conversationId" conv_missing is not a conversation of this bot/,
    ],
    [{ conversationId: '', messageId: 'msg_1' }, /"conversationId"/],
  ])('bad input %p → RuntimeError', async (input, message) => {
    const res = await callAction('startTypingIndicator', input, config)
    expect(res.status).toBe(400)
    expect(res.json.message).toMatch(message)
    expect(graph.calls).toHaveLength(0)
  })

  it('a conversation that is not a Messenger one → RuntimeError', async () => {
    const now = new Date().toISOString()
    botpress.conversations.push({
      id: 'conv_web',
      channel: 'messenger',
      integration: 'fourbiz-messenger',
      tags: {},
      createdAt: now,
      updatedAt: now,
    })
    const res = await callAction('stopTypingIndicator', { conversationId: 'conv_web', messageId: 'msg_1' }, config)
    expect(res.status).toBe(400)
    expect(res.json.message).toContain('is not a Messenger conversation of this integration (it has no psid tag)')
  })
})
