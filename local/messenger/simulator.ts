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
  | { kind: 'sticker'; stickerId: string; url: string }
  | { kind: 'location'; latitude: number; longitude: number; title: string }

/** Messenger's "like" sticker (the thumbs-up next to the composer). */
export const LIKE_STICKER_ID = '369239263222822'

export type UserMessage = {
  from: 'user'
  at: number
  mid: string
  input: UserInput
  /** The webhook's answer, as Meta would see it; undefined while it is in flight. */
  webhook?: { status: number; body: string }
}
export type PageMessage = {
  from: 'page'
  at: number
  mid: string
  messagingType: string
  tag?: string
  message: any
  reaction?: string
}
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
  /** The user's reaction (emoji) on each Page message, by mid. */
  private readonly reactions = new Map<string, string>()

  constructor(private readonly opts: SimulatorOptions) {
    // Meta knows each user's profile: the integration fetches name and picture from the Graph fake.
    for (const u of opts.users)
      opts.graph.setProfile(u.psid, { first_name: u.firstName, last_name: u.lastName, profile_pic: this.picture(u) })
  }

  /** The Facebook Page the users write to. */
  page() {
    return { id: this.opts.pageId, name: this.opts.graph.pageName }
  }

  users() {
    return this.opts.users.map((u) => ({
      psid: u.psid,
      name: `${u.firstName} ${u.lastName}`.trim(),
      firstName: u.firstName,
      lastName: u.lastName,
      pictureUrl: this.picture(u),
    }))
  }

  /** The Page's Messenger profile as Meta holds it (what register or updateMessengerProfile set). */
  profile() {
    return this.opts.graph.messengerProfile
  }

  /** The user reacts to (or, with no emoji, un-reacts from) a Page message: Meta's message_reactions webhook. */
  async react(psid: string, mid: string, emoji: string | undefined): Promise<{ status: number; body: string }> {
    if (!this.opts.graph.sent(psid).some((s) => s.messageId === mid))
      throw new Error(`No Page message ${mid} in this conversation`)
    const previous = this.reactions.get(mid)
    if (emoji) this.reactions.set(mid, emoji)
    else this.reactions.delete(mid)
    const reaction = emoji
      ? { mid, action: 'react', reaction: REACTION_NAMES[emoji] ?? 'other', emoji }
      : { mid, action: 'unreact', reaction: REACTION_NAMES[previous ?? ''] ?? 'other', emoji: previous }
    const item = { sender: { id: psid }, recipient: { id: this.opts.pageId }, timestamp: Date.now(), reaction }
    this.opts.log.info(
      'messenger',
      `${psid} ${emoji ? `reacts ${emoji} to` : 'removes the reaction on'} ${mid.slice(0, 12)}…`
    )
    return this.post(
      metaJson({ object: 'page', entry: [{ id: this.opts.pageId, time: Date.now(), messaging: [item] }] })
    )
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
    record.webhook = await this.post(raw)
    return record
  }

  /** Posts a webhook body signed like Meta's; answers what the webhook answered. */
  private async post(raw: string): Promise<{ status: number; body: string }> {
    let answer: { status: number; body: string }
    try {
      const res = await fetch(this.opts.webhookUrl(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...metaSignatureHeaders(raw, this.opts.appSecret) },
        body: raw,
      })
      answer = { status: res.status, body: await res.text() }
    } catch (err) {
      answer = { status: 0, body: (err as Error).message }
    }
    if (answer.status !== 200)
      this.opts.log.error('messenger', `webhook answered ${answer.status}: ${brief(answer.body)}`)
    return answer
  }

  /** The user's messages and the Page's, in the order Messenger would show them. */
  conversation(psid: string): ChatItem[] {
    const page: ChatItem[] = this.opts.graph.sent(psid).map((s: SentRecord) => ({
      from: 'page',
      at: s.at,
      mid: s.messageId,
      messagingType: s.messagingType,
      ...(s.tag ? { tag: s.tag } : {}),
      ...(this.reactions.has(s.messageId) ? { reaction: this.reactions.get(s.messageId) } : {}),
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
    if (input.kind === 'quick_reply')
      item.message = { mid: m.mid, text: input.title, quick_reply: { payload: input.payload } }
    if (input.kind === 'postback') item.postback = { title: input.title, payload: input.payload, mid: m.mid }
    if (input.kind === 'attachment')
      item.message = { mid: m.mid, attachments: [{ type: input.type, payload: { url: input.url } }] }
    // Meta's sticker: a message-level sticker_id and an image attachment carrying it (sticker_id is a JSON number)
    if (input.kind === 'sticker')
      item.message = {
        mid: m.mid,
        sticker_id: Number(input.stickerId),
        attachments: [{ type: 'image', payload: { url: input.url, sticker_id: Number(input.stickerId) } }],
      }
    if (input.kind === 'location')
      item.message = {
        mid: m.mid,
        attachments: [
          {
            type: 'location',
            title: input.title,
            payload: { coordinates: { lat: input.latitude, long: input.longitude } },
          },
        ],
      }
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
    case 'sticker':
      return `sticker ${input.stickerId}`
    case 'location':
      return `location ${input.latitude},${input.longitude}`
  }
}

/** Meta's reaction names for the emoji Messenger offers first. */
const REACTION_NAMES: Record<string, string> = {
  '❤': 'love',
  '😆': 'smile',
  '😮': 'wow',
  '😢': 'sad',
  '😠': 'angry',
  '👍': 'like',
}
