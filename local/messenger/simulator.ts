import type { GraphFake, SentRecord } from '../../test/fakes/graph'
import type { MessengerUserConfig } from '../config'
import { type ActivityLog, brief } from '../log'
import { metaJson, metaSignatureHeaders, newMid } from './wire'

/**
 * Messenger users talking to the Page: what they send becomes the webhook Meta would deliver (its
 * wire format, signed with the app secret) posted to the integration's Botpress webhook URL; what the
 * Page sends them is what the Graph fake accepted. `conversation()` interleaves both, in order.
 */

export type UserInput =
  | { kind: 'text'; text: string }
  | { kind: 'quick_reply'; title: string; payload: string }
  | { kind: 'postback'; title: string; payload: string }
  | { kind: 'attachment'; type: 'image' | 'audio' | 'video' | 'file'; url: string; name: string }

export type UserMessage = {
  from: 'user'
  at: number
  mid: string
  input: UserInput
  /** The webhook's answer, as Meta would see it; undefined while it is in flight. */
  webhook?: { status: number; body: string }
}
export type PageMessage = { from: 'page'; at: number; mid: string; messagingType: string; tag?: string; message: any }
export type ChatItem = UserMessage | PageMessage

export type SimulatorOptions = {
  graph: GraphFake
  users: MessengerUserConfig[]
  pageId: string
  appSecret: string
  /** The integration's webhook URL, where Meta posts (set once the UI server is up). */
  webhookUrl: () => string
  /** Profile picture when the user's configuration has none. */
  defaultPicture: (psid: string) => string
  log: ActivityLog
}

export class MessengerSimulator {
  private readonly sentByUser = new Map<string, UserMessage[]>()

  constructor(private readonly opts: SimulatorOptions) {
    // Meta knows each user's profile: the integration fetches name and picture from the Graph fake.
    for (const u of opts.users) opts.graph.setProfile(u.psid, { first_name: u.firstName, last_name: u.lastName, profile_pic: this.picture(u) })
  }

  /** The Facebook Page the users write to. */
  page() {
    return { id: this.opts.pageId, name: this.opts.graph.pageName }
  }

  users() {
    return this.opts.users.map((u) => ({ psid: u.psid, name: `${u.firstName} ${u.lastName}`.trim(), pictureUrl: this.picture(u) }))
  }

  /** The user sends something to the Page: Meta opens the 24 h window and posts the signed webhook. */
  async send(psid: string, input: UserInput): Promise<UserMessage> {
    const user = this.opts.users.find((u) => u.psid === psid)
    if (!user) throw new Error(`Unknown Messenger user ${psid}`)
    const at = Date.now()
    const record: UserMessage = { from: 'user', at, mid: newMid(), input }
    this.sentByUser.set(psid, [...(this.sentByUser.get(psid) ?? []), record])
    this.opts.graph.userMessaged(psid, at)

    const raw = metaJson(this.webhookBody(psid, record))
    this.opts.log.info('messenger', `${user.firstName} → ${describeInput(input)}`)
    try {
      const res = await fetch(this.opts.webhookUrl(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...metaSignatureHeaders(raw, this.opts.appSecret) },
        body: raw,
      })
      record.webhook = { status: res.status, body: await res.text() }
    } catch (err) {
      record.webhook = { status: 0, body: (err as Error).message }
    }
    if (record.webhook.status !== 200) this.opts.log.error('messenger', `webhook answered ${record.webhook.status}: ${brief(record.webhook.body)}`)
    return record
  }

  /** The user's messages and the Page's, in the order Messenger would show them. */
  conversation(psid: string): ChatItem[] {
    const page: ChatItem[] = this.opts.graph.sent(psid).map((s: SentRecord) => ({
      from: 'page',
      at: s.at,
      mid: s.messageId,
      messagingType: s.messagingType,
      ...(s.tag ? { tag: s.tag } : {}),
      message: s.message,
    }))
    // stable sort: on the same millisecond a user's message stays before the answer to it
    return [...(this.sentByUser.get(psid) ?? []), ...page].sort((a, b) => a.at - b.at)
  }

  /** One messaging item in one entry, as Meta sends a single event (reference messenger-platform §1.3–§1.4). */
  private webhookBody(psid: string, m: UserMessage) {
    const { pageId } = this.opts
    const item: Record<string, unknown> = { sender: { id: psid }, recipient: { id: pageId }, timestamp: m.at }
    const input = m.input
    if (input.kind === 'text') item.message = { mid: m.mid, text: input.text }
    if (input.kind === 'quick_reply') item.message = { mid: m.mid, text: input.title, quick_reply: { payload: input.payload } }
    if (input.kind === 'postback') item.postback = { title: input.title, payload: input.payload, mid: m.mid }
    if (input.kind === 'attachment') item.message = { mid: m.mid, attachments: [{ type: input.type, payload: { url: input.url } }] }
    return { object: 'page', entry: [{ id: pageId, time: Date.now(), messaging: [item] }] }
  }

  private picture(u: MessengerUserConfig) {
    return u.pictureUrl ?? this.opts.defaultPicture(u.psid)
  }
}

function describeInput(input: UserInput): string {
  switch (input.kind) {
    case 'text':
      return `text "${brief(input.text, 80)}"`
    case 'quick_reply':
      return `quick reply "${input.title}" (${input.payload})`
    case 'postback':
      return `button "${input.title}" (${input.payload})`
    case 'attachment':
      return `${input.type} ${input.name}`
  }
}
