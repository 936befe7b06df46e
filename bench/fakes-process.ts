import { performance } from 'node:perf_hooks'
import { BotpressFake } from '../test/fakes/botpress'
import { FourbizFake } from '../test/fakes/fourbiz'
import { GraphFake } from '../test/fakes/graph'
import type { RecordedCall } from '../test/fakes/http'

/**
 * The bench's fakes, in their own process (forked by bench/fakes.ts): the Botpress, Graph and 4biz
 * fakes of the tests with injected latency, so that their work never counts in the measured process.
 * Commands arrive over IPC; the recorded calls go back summarised (service, operation, request bytes).
 */

export type CallSummary = {
  service: 'botpress' | 'graph' | '4biz'
  op: string
  bytes: number
  /** arrival, ms (high resolution) */ t: number
}
export type Marks = { botpress: number; graph: number; fourbiz: number }
export type FakeUrls = { botpress: string; botpressToken: string; graph: string; fourbiz: string }

const botpress = new BotpressFake({ botUserId: 'user_bot' })
const graph = new GraphFake()
const fourbiz = new FourbizFake()
const INTEGRATION_ID = 'intg_test'

// every recorded call gets its high-resolution arrival time: the order across fakes and what overlapped
for (const fake of [botpress, graph, fourbiz]) {
  fake.calls.push = function (...calls: RecordedCall[]) {
    for (const c of calls) (c as RecordedCall & { t?: number }).t = performance.now()
    return Array.prototype.push.apply(this, calls)
  }
}

/** A Botpress call named as the client method that makes it (the counts read like the code). */
function botpressOp(c: RecordedCall): string {
  const { method, path } = c
  const b = c.body ?? {}
  const state = path.match(/^\/v1\/chat\/states\/[^/]+\/[^/]+\/([^/]+)(\/get-or-set)?$/)
  if (state) {
    const name = decodeURIComponent(state[1]!)
    if (method === 'GET') return `getState(${name})`
    if (state[2]) return `getOrSetState(${name})`
    if (method === 'PATCH') return `patchState(${name})`
    return b.payload === null ? `setState(${name}: null)` : `setState(${name})`
  }
  if (path === '/v1/chat/users/get-or-create') return 'getOrCreateUser'
  if (/^\/v1\/chat\/users\/[^/]+$/.test(path)) return method === 'PUT' ? 'updateUser' : 'getUser'
  if (path === '/v1/chat/conversations/get-or-create') return 'getOrCreateConversation'
  if (path === '/v1/chat/conversations') return 'listConversations'
  if (/^\/v1\/chat\/conversations\/[^/]+$/.test(path))
    return method === 'PUT' ? 'updateConversation' : 'getConversation'
  if (path === '/v1/chat/messages/get-or-create')
    return b.origin === 'synthetic' ? 'getOrCreateMessage(synthetic record)' : 'getOrCreateMessage'
  if (path === '/v1/chat/messages') return method === 'GET' ? 'listMessages' : 'createMessage'
  if (/^\/v1\/chat\/messages\/[^/]+$/.test(path)) return method === 'PUT' ? 'updateMessage' : 'getMessage'
  if (path === '/v1/chat/events') return `createEvent(${b.type ?? '?'})`
  if (path.startsWith('/v1/files')) return `files ${method} ${path.replace(/^\/v1\/files\/?[^/]*/, '')}`.trim()
  return `${method} ${path}`
}

function graphOp(c: RecordedCall): string {
  const path = c.path.replace(/^\/v\d+\.\d+/, '')
  if (/\/messages$/.test(path)) return c.body?.sender_action ? `send ${c.body.sender_action}` : 'send message'
  if (c.method === 'GET' && /^\/\d+$/.test(path)) return 'user profile'
  return `${c.method} ${path}`
}

const fourbizOp = (c: RecordedCall) => c.path.replace(/^.*\/services\//, '')

const summarise = (
  from: number,
  list: RecordedCall[],
  service: CallSummary['service'],
  op: (c: RecordedCall) => string
): CallSummary[] =>
  list.slice(from).map((c) => ({
    service,
    op: op(c),
    bytes: Buffer.byteLength(c.rawBody ?? '', 'utf8'),
    t: (c as RecordedCall & { t: number }).t,
  }))

type Command = { id: number; cmd: string; args?: any }

const commands: Record<string, (args: any) => unknown> = {
  async start({ latencyMs }: { latencyMs: number }): Promise<FakeUrls> {
    await botpress.start()
    await graph.start()
    await fourbiz.start()
    commands.latency!({ ms: latencyMs })
    return { botpress: botpress.url, botpressToken: botpress.token, graph: graph.url, fourbiz: `${fourbiz.url}/4biz` }
  },
  latency({ ms }: { ms: number }) {
    botpress.latencyMs = ms
    graph.latencyMs = ms
    fourbiz.latencyMs = ms
  },
  mark(): Marks {
    return { botpress: botpress.calls.length, graph: graph.calls.length, fourbiz: fourbiz.calls.length }
  },
  calls({ since }: { since: Marks }): CallSummary[] {
    return [
      ...summarise(since.botpress, botpress.calls, 'botpress', botpressOp),
      ...summarise(since.graph, graph.calls, 'graph', graphOp),
      ...summarise(since.fourbiz, fourbiz.calls, '4biz', fourbizOp),
    ].sort((a, b) => a.t - b.t)
  },
  /** Known Messenger users: a profile to give and an open 24-hour window. */
  users({ psids }: { psids: string[] }) {
    for (const [i, psid] of psids.entries()) {
      graph.setProfile(psid, {
        first_name: 'Pessoa',
        last_name: String(i),
        profile_pic: `https://cdn.example/${psid}.jpg`,
      })
      graph.userMessaged(psid)
    }
  },
  /** The stored 4biz session is gone (a new instance finds none): the next 4biz call must log in. */
  forgetFourbizSession() {
    botpress.states.delete(botpress.stateKey('integration', INTEGRATION_ID, 'fourbizSession'))
    fourbiz.expireSessions()
  },
  /** Forgets what Botpress holds and what every fake recorded (between series: nothing grows across rows). */
  clear() {
    botpress.reset()
    graph.calls.length = 0
    fourbiz.calls.length = 0
  },
  logins: () => fourbiz.loginCount,
  /** Bytes of a conversation state as stored (what a read of it returns). */
  stateBytes({ conversationId, name }: { conversationId: string; name: string }) {
    const payload = botpress.getStatePayload('conversation', conversationId, name)
    return payload === undefined ? 0 : Buffer.byteLength(JSON.stringify(payload), 'utf8')
  },
  /** A bot message on a conversation, as Botpress would pass it to message_created. */
  botMessage({ conversationId, text }: { conversationId: string; text: string }) {
    const conversation = botpress.conversations.find((c) => c.id === conversationId)!
    const message = botpress.createBotMessage(conversationId, 'text', { text })
    const user = botpress.users.find((u) => u.tags.psid === conversation.tags.psid)
    return { type: 'text', payload: { text }, conversation, message, user }
  },
  userOf({ psid }: { psid: string }) {
    return botpress.users.find((u) => u.tags.psid === psid)?.id
  },
  conversationOf({ tag, value }: { tag: string; value: string }) {
    return botpress.conversations.find((c) => c.tags[tag] === value)?.id
  },
  async stop() {
    await fourbiz.stop()
    await graph.stop()
    await botpress.stop()
    setImmediate(() => process.exit(0))
  },
}

/** Answers the parent in every case, failures included: nothing is left for the caller of a message handler. */
async function answer({ id, cmd, args }: Command) {
  try {
    const result = await commands[cmd]!(args)
    process.send!({ id, ok: true, result })
  } catch (err) {
    process.send!({ id, ok: false, error: String((err as Error)?.stack ?? err) })
  }
}
process.on('message', (command: Command) => void answer(command))
process.on('disconnect', () => process.exit(0))
