import { BotpressFilesFake } from './botpress-files'
import { LoopbackFake, RecordedCall, Reply } from './http'

/**
 * A loopback fake of the Botpress runtime API (the part an integration calls: users, conversations,
 * messages, events, states). Same paths, bodies and error shapes as the cloud API; every request must
 * carry the bearer token and the x-bot-id / x-integration-id headers the SDK client sends.
 */
export type BpUser = {
  id: string
  tags: Record<string, string>
  name?: string
  pictureUrl?: string
  createdAt: string
  updatedAt: string
}
export type BpConversation = {
  id: string
  channel: string
  integration: string
  tags: Record<string, string>
  createdAt: string
  updatedAt: string
}
export type BpMessage = {
  id: string
  type: string
  payload: any
  direction: 'incoming' | 'outgoing'
  userId: string
  conversationId: string
  tags: Record<string, string>
  /** 'synthetic': a record of something that already happened; Botpress stores it without dispatching it. */
  origin?: 'synthetic'
  createdAt: string
  updatedAt: string
}
export type BpEvent = {
  id: string
  type: string
  payload: any
  conversationId?: string
  userId?: string
  messageId?: string
  createdAt: string
}
export type BpState = { id: string; type: string; name: string; payload: any; createdAt: string; updatedAt: string }

/** A path segment a route's pattern captured: its groups always take part in a match. */
function segment(m: RegExpMatchArray, group: number): string {
  const captured = m[group]
  if (captured === undefined) throw new Error(`The route's pattern has no group ${group}`)
  return decodeURIComponent(captured)
}

const apiError = (status: number, type: string, message: string): Reply => ({
  status,
  body: { id: `err_${Date.now()}`, code: status, type, message },
})

export type BotpressFakeOptions = {
  token?: string
  botUserId?: string
  integrationName?: string
}

export class BotpressFake extends LoopbackFake {
  readonly token: string
  readonly botUserId: string
  readonly integrationName: string
  users: BpUser[] = []
  conversations: BpConversation[] = []
  messages: BpMessage[] = []
  events: BpEvent[] = []
  states = new Map<string, BpState & { expiresAt?: number }>()
  /** Items per page of the list endpoints (Botpress pages its lists; callers must follow nextToken). */
  pageSize = 20
  /** Called after a message is created (not for a get-or-create that found one). */
  onMessageCreated: ((m: BpMessage) => void) | undefined
  onEventCreated: ((e: BpEvent) => void) | undefined
  /** The Files API and its storage (test/fakes/botpress-files.ts). */
  readonly files: BotpressFilesFake
  private seq = 0

  constructor(opts: BotpressFakeOptions = {}) {
    super((call) => this.handle(call))
    this.token = opts.token ?? 'bp-test-token'
    this.botUserId = opts.botUserId ?? 'user_bot'
    this.integrationName = opts.integrationName ?? 'fourbiz-messenger'
    this.files = new BotpressFilesFake(this.integrationName)
  }

  override async stop(): Promise<void> {
    await this.files.stop()
    await super.stop()
  }

  /** Everything the fake holds, for assertions and the local run. */
  reset() {
    this.users = []
    this.conversations = []
    this.messages = []
    this.events = []
    this.states.clear()
    this.calls.length = 0
  }

  nextId(prefix: string) {
    this.seq += 1
    return `${prefix}_${String(this.seq).padStart(6, '0')}`
  }

  stateKey(type: string, id: string, name: string) {
    return `${type}/${id}/${name}`
  }

  getStatePayload(type: string, id: string, name: string) {
    return this.states.get(this.stateKey(type, id, name))?.payload
  }

  /** Creates a message as the bot would (used by tests and the emulated runtime). */
  createBotMessage(conversationId: string, type: string, payload: any): BpMessage {
    const now = new Date().toISOString()
    const m: BpMessage = {
      id: this.nextId('msg'),
      type,
      payload,
      direction: 'outgoing',
      userId: this.botUserId,
      conversationId,
      tags: {},
      createdAt: now,
      updatedAt: now,
    }
    this.messages.push(m)
    this.onMessageCreated?.(m)
    return m
  }

  private handle(call: RecordedCall): Reply | Promise<Reply> {
    if (call.headers.authorization !== `Bearer ${this.token}`)
      return apiError(401, 'Unauthorized', 'Invalid or missing token')
    if (!call.headers['x-bot-id'] || !call.headers['x-integration-id'])
      return apiError(400, 'InvalidPayload', 'Missing x-bot-id or x-integration-id header')
    const { method, path } = call
    if (path === '/v1/files' || path.startsWith('/v1/files/')) return this.files.handle(call)
    const b = call.body ?? {}
    const now = new Date().toISOString()
    let m: RegExpMatchArray | null

    if (method === 'POST' && path === '/v1/chat/users/get-or-create') {
      if (!isTags(b.tags)) return apiError(400, 'InvalidPayload', 'tags must be an object of strings')
      const found = this.users.find((u) => tagsMatch(u.tags, b.tags, b.discriminateByTags))
      if (found) return { status: 200, body: { user: found } }
      const user: BpUser = {
        id: this.nextId('user'),
        tags: { ...b.tags },
        name: b.name,
        pictureUrl: b.pictureUrl,
        createdAt: now,
        updatedAt: now,
      }
      this.users.push(user)
      return { status: 200, body: { user } }
    }
    if ((m = path.match(/^\/v1\/chat\/users\/([^/]+)$/))) {
      const id = segment(m, 1)
      const user = this.users.find((u) => u.id === id)
      if (!user) return apiError(404, 'ResourceNotFound', `User ${m[1]} not found`)
      if (method === 'GET') return { status: 200, body: { user } }
      if (method === 'PUT') {
        Object.assign(user.tags, dropEmpty(b.tags ?? {}))
        if (b.name !== undefined) user.name = b.name
        if (b.pictureUrl !== undefined) user.pictureUrl = b.pictureUrl
        user.updatedAt = now
        return { status: 200, body: { user } }
      }
    }
    if (method === 'POST' && path === '/v1/chat/conversations/get-or-create') {
      if (!b.channel) return apiError(400, 'InvalidPayload', 'channel is required')
      if (!isTags(b.tags)) return apiError(400, 'InvalidPayload', 'tags must be an object of strings')
      const found = this.conversations.find(
        (c) => c.channel === b.channel && tagsMatch(c.tags, b.tags, b.discriminateByTags)
      )
      if (found) return { status: 200, body: { conversation: found } }
      const conversation: BpConversation = {
        id: this.nextId('conv'),
        channel: b.channel,
        integration: this.integrationName,
        tags: { ...b.tags },
        createdAt: now,
        updatedAt: now,
      }
      this.conversations.push(conversation)
      return { status: 200, body: { conversation } }
    }
    if (method === 'GET' && path === '/v1/chat/conversations') {
      const tags = queryTags(call.query)
      const channel = call.query.get('channel')
      const list = this.conversations.filter(
        (c) => (!channel || c.channel === channel) && Object.entries(tags).every(([k, v]) => c.tags[k] === v)
      )
      return { status: 200, body: page('conversations', list, call.query, this.pageSize) }
    }
    if ((m = path.match(/^\/v1\/chat\/conversations\/([^/]+)$/))) {
      const id = segment(m, 1)
      const conversation = this.conversations.find((c) => c.id === id)
      if (!conversation) return apiError(404, 'ResourceNotFound', `Conversation ${m[1]} not found`)
      if (method === 'GET') return { status: 200, body: { conversation } }
      if (method === 'PUT') {
        conversation.tags = { ...conversation.tags, ...b.tags }
        for (const [k, v] of Object.entries(conversation.tags)) if (v === '' || v === null) delete conversation.tags[k]
        conversation.updatedAt = now
        return { status: 200, body: { conversation } }
      }
    }
    if (method === 'POST' && (path === '/v1/chat/messages' || path === '/v1/chat/messages/get-or-create')) {
      if (!b.type || typeof b.payload !== 'object' || !b.userId || !b.conversationId)
        return apiError(400, 'InvalidPayload', 'type, payload, userId and conversationId are required')
      if (!this.conversations.some((c) => c.id === b.conversationId))
        return apiError(404, 'ResourceNotFound', 'Conversation not found')
      if (b.userId !== this.botUserId && !this.users.some((u) => u.id === b.userId))
        return apiError(404, 'ResourceNotFound', 'User not found')
      if (path.endsWith('get-or-create')) {
        const found = this.messages.find(
          (x) => x.conversationId === b.conversationId && tagsMatch(x.tags, b.tags ?? {}, b.discriminateByTags)
        )
        if (found) return { status: 200, body: { message: found } }
      }
      const message: BpMessage = {
        id: this.nextId('msg'),
        type: b.type,
        payload: b.payload,
        direction: b.userId === this.botUserId ? 'outgoing' : 'incoming',
        userId: b.userId,
        conversationId: b.conversationId,
        tags: { ...(b.tags ?? {}) },
        ...(b.origin === 'synthetic' ? { origin: 'synthetic' as const } : {}),
        createdAt: now,
        updatedAt: now,
      }
      if (b.origin !== undefined && b.origin !== 'synthetic')
        return apiError(400, 'InvalidPayload', 'origin must be "synthetic"')
      this.messages.push(message)
      this.onMessageCreated?.(message)
      return { status: 200, body: { message } }
    }
    if (method === 'GET' && path === '/v1/chat/messages') {
      const conversationId = call.query.get('conversationId')
      const list = this.messages
        .filter((x) => !conversationId || x.conversationId === conversationId)
        .slice()
        .reverse()
      return { status: 200, body: { messages: list, meta: {} } }
    }
    if ((m = path.match(/^\/v1\/chat\/messages\/([^/]+)$/))) {
      const id = segment(m, 1)
      const message = this.messages.find((x) => x.id === id)
      if (!message) return apiError(404, 'ResourceNotFound', `Message ${m[1]} not found`)
      if (method === 'GET') return { status: 200, body: { message } }
      if (method === 'PUT') {
        Object.assign(message.tags, b.tags ?? {})
        message.updatedAt = now
        return { status: 200, body: { message } }
      }
    }
    if (method === 'POST' && path === '/v1/chat/events') {
      if (!b.type || typeof b.payload !== 'object')
        return apiError(400, 'InvalidPayload', 'type and payload are required')
      const event: BpEvent = {
        id: this.nextId('evt'),
        type: b.type,
        payload: b.payload,
        conversationId: b.conversationId,
        userId: b.userId,
        messageId: b.messageId,
        createdAt: now,
      }
      this.events.push(event)
      this.onEventCreated?.(event)
      return { status: 200, body: { event } }
    }
    if ((m = path.match(/^\/v1\/chat\/states\/([^/]+)\/([^/]+)\/([^/]+)(\/get-or-set)?$/))) {
      const [type, id, name] = [segment(m, 1), segment(m, 2), segment(m, 3)]
      if (!['integration', 'conversation', 'user', 'bot'].includes(type))
        return apiError(400, 'InvalidPayload', `Invalid state type ${type}`)
      const key = this.stateKey(type, id, name)
      let existing = this.states.get(key)
      if (existing?.expiresAt !== undefined && existing.expiresAt <= Date.now()) {
        this.states.delete(key)
        existing = undefined
      }
      const expiresAt = typeof b.expiry === 'number' && b.expiry > 0 ? Date.now() + b.expiry : undefined
      if (method === 'GET') {
        if (!existing) return apiError(404, 'ResourceNotFound', `No state ${name} for ${type} ${id}`)
        return { status: 200, body: { state: existing } }
      }
      if (method === 'POST' && m[4]) {
        if (existing) return { status: 200, body: { state: existing, meta: { cached: true } } }
        const state = { id, type, name, payload: b.payload, createdAt: now, updatedAt: now, expiresAt }
        this.states.set(key, state)
        return { status: 200, body: { state, meta: { cached: false } } }
      }
      if (method === 'POST') {
        if (b.payload === null) {
          this.states.delete(key)
          return { status: 200, body: { state: { id, type, name, payload: null, createdAt: now, updatedAt: now } } }
        }
        const state = {
          id,
          type,
          name,
          payload: b.payload,
          createdAt: existing?.createdAt ?? now,
          updatedAt: now,
          expiresAt,
        }
        this.states.set(key, state)
        return { status: 200, body: { state } }
      }
      if (method === 'PATCH') {
        if (!existing) return apiError(404, 'ResourceNotFound', `No state ${name} for ${type} ${id}`)
        existing.payload = { ...existing.payload, ...b.payload }
        existing.updatedAt = now
        return { status: 200, body: { state: existing } }
      }
    }
    return apiError(501, 'Unknown', `The Botpress fake does not implement ${method} ${path}`)
  }
}

const isTags = (t: unknown): t is Record<string, string> =>
  !!t && typeof t === 'object' && Object.values(t).every((v) => typeof v === 'string')

function tagsMatch(have: Record<string, string>, want: Record<string, string>, discriminateBy?: string[]) {
  const keys = discriminateBy?.length ? discriminateBy : Object.keys(want)
  return keys.every((k) => have[k] === want[k])
}

function dropEmpty(tags: Record<string, string>) {
  return Object.fromEntries(Object.entries(tags).filter(([, v]) => v !== undefined))
}

/** Botpress's list pages: `nextToken` opaque to the caller, absent on the last page. */
function page<K extends string, T>(key: K, list: T[], q: URLSearchParams, defaultSize: number) {
  const size = Math.min(Number(q.get('pageSize')) || defaultSize, 100)
  const from = q.get('nextToken') ? Number(Buffer.from(q.get('nextToken')!, 'base64url').toString()) : 0
  const items = list.slice(from, from + size)
  const nextToken = from + size < list.length ? Buffer.from(String(from + size)).toString('base64url') : undefined
  return { [key]: items, meta: nextToken ? { nextToken } : {} } as Record<K, T[]> & { meta: { nextToken?: string } }
}

function queryTags(q: URLSearchParams): Record<string, string> {
  const tags: Record<string, string> = {}
  for (const [k, v] of q) if (k.startsWith('tags.')) tags[k.slice(5)] = v
  return tags
}
