import * as fs from 'node:fs'
import * as path from 'node:path'
import type * as bp from '../src/typings'
import { pushSignature } from '../src/webhook/fourbiz-push'
import { GraphFake, startGraph } from './fakes/graph'
import { startFileServer, startWorld, World } from './fourbiz-setup'
import { callAction, callWebhook, metaJson, PAGE_ID, postMessenger, sendBotMessage } from './harness'

/**
 * Botpress, Graph and 4biz fakes wired together, with a Messenger user's-eye view: what the user
 * typed and what reached their chat, in order (the transcripts of the closing note come from here).
 */
export const PUSH_SECRET = 'push-secret-for-tests'

export type Chat = { world: World; graph: GraphFake; files: Awaited<ReturnType<typeof startFileServer>> } & ReturnType<
  typeof chatHelpers
>

export async function startChat(): Promise<Chat> {
  const world = await startWorld()
  const graph = await startGraph()
  const files = await startFileServer({
    '/print.png': { body: 'PNGDATA', type: 'image/png' },
    '/log.txt': {
      body: 'erro 0x0001 na fila de impressão',
      type: 'text/plain',
      disposition: 'attachment; filename="log.txt"',
    },
  })
  return { world, graph, files, ...chatHelpers(world, graph) }
}

export async function stopChat(chat: Chat) {
  await chat.world.stop()
  await chat.graph.stop()
  await chat.files.stop()
}

let seq = 0
const mid = () => `m_${Date.now().toString(36)}_${++seq}`

function chatHelpers(world: World, graph: GraphFake) {
  const lines: string[] = []
  const seen = new Map<string, number>()

  const config = (overrides: Partial<bp.Configuration> = {}) =>
    world.config({ fourbizWebhookSecret: PUSH_SECRET, ...overrides })

  /** What reached the user's chat since the last look, as text lines. */
  const received = (psid: string): string[] => {
    const all = graph.sent(psid)
    const from = seen.get(psid) ?? 0
    seen.set(psid, all.length)
    return all.slice(from).map((r) => describeSent(r.message) + (r.tag ? ` (${r.messagingType} ${r.tag})` : ''))
  }

  const log = (who: string, text: string) => lines.push(`${who}: ${text}`)

  return {
    config,
    lines,
    log,
    received,
    /** A Messenger message, as Meta sends it (signed, wire format), at `at` (default now). */
    async say(
      psid: string,
      text: string,
      opts: { at?: number; overrides?: Partial<bp.Configuration>; mid?: string } = {}
    ) {
      const at = opts.at ?? Date.now()
      graph.userMessaged(psid, at)
      log('User', text)
      const item = {
        sender: { id: psid },
        recipient: { id: PAGE_ID },
        timestamp: at,
        message: { mid: opts.mid ?? mid(), text },
      }
      const res = await postMessenger(
        metaJson({ object: 'page', entry: [{ id: PAGE_ID, time: at, messaging: [item] }] }),
        config(opts.overrides)
      )
      for (const l of received(psid)) log('Chat', l)
      return res
    },
    /** A raw webhook body built from items (for redelivery and burst tests). */
    body(items: object[]) {
      return metaJson({ object: 'page', entry: [{ id: PAGE_ID, time: Date.now(), messaging: items }] })
    },
    item(
      psid: string,
      text: string,
      opts: { at?: number; mid?: string; attachments?: object[]; quickReply?: string } = {}
    ) {
      const at = opts.at ?? Date.now()
      graph.userMessaged(psid, at)
      const message: Record<string, unknown> = { mid: opts.mid ?? mid() }
      if (text) message.text = text
      if (opts.attachments) message.attachments = opts.attachments
      if (opts.quickReply) message.quick_reply = { payload: opts.quickReply }
      return { sender: { id: psid }, recipient: { id: PAGE_ID }, timestamp: at, message }
    },
    async post(raw: string, overrides?: Partial<bp.Configuration>) {
      return postMessenger(raw, config(overrides))
    },
    /** The 4biz automation's push, signed with the secret and a fresh timestamp. */
    async push(
      body: object,
      opts: { timestamp?: number; secret?: string; overrides?: Partial<bp.Configuration> } = {}
    ) {
      const raw = JSON.stringify(body)
      const ts = String(Math.floor((opts.timestamp ?? Date.now()) / 1000))
      return callWebhook(
        {
          path: '/4biz',
          body: raw,
          headers: {
            'content-type': 'application/json',
            'x-4biz-timestamp': ts,
            'x-4biz-signature': pushSignature(ts, raw, opts.secret ?? PUSH_SECRET),
          },
        },
        config(opts.overrides)
      )
    },
    async action(type: string, input: unknown, overrides?: Partial<bp.Configuration>) {
      return callAction(type, input, config(overrides))
    },
    /** The bot answering on the messenger channel (Botpress's message_created). */
    async botSays(conversationId: string, type: string, payload: unknown, overrides?: Partial<bp.Configuration>) {
      return sendBotMessage(world.botpress, conversationId, type, payload, config(overrides))
    },
    conversationOf(psid: string) {
      return world.botpress.conversations.find((c) => c.tags.psid === psid)!
    },
    routingOf(psid: string) {
      const conv = world.botpress.conversations.find((c) => c.tags.psid === psid)
      return conv ? world.botpress.getStatePayload('conversation', conv.id, 'routing') : undefined
    },
    events(type?: string) {
      return world.botpress.events.filter((e) => !type || e.type === type)
    },
    /** What reached the bot's flow: incoming messages, not the synthetic records of a handoff. */
    botInbox() {
      return world.botpress.messages
        .filter((m) => m.direction === 'incoming' && m.origin !== 'synthetic')
        .map((m) => m.payload.text ?? m.type)
    },
    /** The Botpress conversation as Studio's conversation view lists it: both sides, records included. */
    conversationView(psid: string) {
      const conv = world.botpress.conversations.find((c) => c.tags.psid === psid)
      return world.botpress.messages
        .filter((m) => m.conversationId === conv?.id)
        .map(
          (m) =>
            `${m.direction === 'incoming' ? 'User' : 'Bot'}${m.origin === 'synthetic' ? ' (record)' : ''}: ${m.payload.text ?? m.type}`
        )
    },
    /** Writes the transcript for the closing note (test-results/ is not committed). */
    saveTranscript(name: string) {
      const dir = path.join(__dirname, '..', 'test-results')
      fs.mkdirSync(dir, { recursive: true })
      fs.writeFileSync(path.join(dir, `transcript-${name}.md`), lines.map((l) => `- ${l}`).join('\n') + '\n')
    },
  }
}

export function describeSent(message: any): string {
  if (message.text)
    return (
      message.text + (message.quick_replies ? ` [${message.quick_replies.map((q: any) => q.title).join(' | ')}]` : '')
    )
  const a = message.attachment
  if (a?.type === 'template') {
    const p = a.payload
    if (p.template_type === 'button') return `${p.text} [${p.buttons.map((b: any) => b.title).join(' | ')}]`
    return `cards: ${p.elements.map((e: any) => e.title).join(' / ')}`
  }
  if (a) return `[${a.type}] ${a.payload?.url ?? ''}`
  return JSON.stringify(message)
}
