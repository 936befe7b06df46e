import type * as bp from '../src/typings'
import { HitlPluginEmulator, HitlPluginOptions } from '../local/runtime/hitl-plugin'
import type { BpConversation, BpEvent, BpMessage } from './fakes/botpress'
import { startFileServer, startWorld, World } from './fourbiz-setup'
import { callAction, callOperation, callWebhook, Handler, IDS } from './harness'
import { pushSignature } from '../src/webhook/fourbiz-push'

/**
 * A bot with the HITL plugin on a channel that is not Messenger (a webchat conversation of another
 * integration), this integration as its HITL provider, against the Botpress and 4biz fakes. The runtime
 * part is what Botpress does: a message or event created in the API runs the plugin's hooks first
 * (in order, one at a time); what they let through reaches the "bot" (recorded here).
 */
export const PUSH_SECRET = 'push-secret-for-tests'

export type HitlWorld = Awaited<ReturnType<typeof startHitlWorld>>

export async function startHitlWorld(opts: { handlers?: Handler[]; plugin?: Partial<HitlPluginOptions> } = {}) {
  const world: World = await startWorld()
  const files = await startFileServer({
    '/screen.png': { body: 'PNGDATA', type: 'image/png' },
    '/voice.ogg': { body: 'OGGDATA', type: 'audio/ogg' },
    '/clip.mp4': { body: 'MP4DATA', type: 'video/mp4' },
    '/report.pdf': { body: 'PDFDATA', type: 'application/pdf', disposition: 'attachment; filename="report.pdf"' },
  })
  const { botpress } = world
  const handlers = opts.handlers ?? []
  let turn = 0
  /** Which copy of the integration Botpress calls next (round robin when there are several). */
  const handler = () => (handlers.length ? handlers[turn++ % handlers.length] : undefined)
  const config = (overrides: Partial<bp.Configuration> = {}) =>
    world.config({ fourbizWebhookSecret: PUSH_SECRET, ...overrides })
  let overrides: Partial<bp.Configuration> = {}

  const botEvents: BpEvent[] = []
  const botMessages: BpMessage[] = []
  const continued: string[] = []
  const plugin = new HitlPluginEmulator(
    botpress,
    {
      name: IDS.integrationAlias,
      action: async (type, input) => {
        const res = await callAction(type, input, config(overrides), handler())
        if (res.status !== 200) throw new Error(`${type} failed: ${res.json?.message ?? res.body}`)
        return res.json.output
      },
      messageCreated: async (body) => {
        const res = await callOperation('message_created', body, config(overrides), handler())
        if (res.status !== 200) throw new Error(`message_created failed: ${res.json?.message ?? res.body}`)
      },
    },
    { botId: IDS.botId, botUserId: IDS.botUserId, onContinueWorkflow: (id) => void continued.push(id), ...opts.plugin }
  )

  // Botpress runs a conversation's hooks one at a time; settle() waits until nothing is left
  let queue: Promise<void> = Promise.resolve()
  let pending = 0
  const errors: string[] = []
  const run = (work: () => Promise<void>) => {
    pending++
    queue = queue
      .then(work)
      .catch((err) => void errors.push((err as Error).message))
      .finally(() => void pending--)
  }
  botpress.onMessageCreated = (m) => {
    if (m.direction !== 'incoming') return
    run(async () => {
      if ((await plugin.beforeIncomingMessage(m)) === 'continue') botMessages.push(m)
    })
  }
  botpress.onEventCreated = (e) =>
    run(async () => {
      if ((await plugin.beforeIncomingEvent(e)) === 'continue') botEvents.push(e)
    })
  const settle = async () => {
    while (pending > 0) await queue
    if (errors.length) throw new Error(`hook failed: ${errors.splice(0).join('; ')}`)
  }

  /** A user of another integration (webchat by default) and their conversation (this integration never sees them). */
  const webchatUser = (name: string, integration = 'webchat', tags: Record<string, string> = {}) => {
    const now = new Date().toISOString()
    const user = { id: botpress.nextId('user'), tags: {}, name, createdAt: now, updatedAt: now }
    botpress.users.push(user)
    const conversation: BpConversation = {
      id: botpress.nextId('conv'),
      channel: 'channel',
      integration,
      tags: { ...tags },
      createdAt: now,
      updatedAt: now,
    }
    botpress.conversations.push(conversation)
    return { userId: user.id, conversationId: conversation.id }
  }

  return {
    world,
    botpress,
    fourbiz: world.fourbiz,
    files,
    plugin,
    config,
    setOverrides: (o: Partial<bp.Configuration>) => void (overrides = o),
    botEvents,
    botMessages,
    continued,
    settle,
    webchatUser,
    /** The webchat user writes (Botpress creates the incoming message; the hooks run). */
    async userSays(who: { userId: string; conversationId: string }, type: string, payload: object) {
      const now = new Date().toISOString()
      const message: BpMessage = {
        id: botpress.nextId('msg'),
        type,
        payload,
        direction: 'incoming',
        userId: who.userId,
        conversationId: who.conversationId,
        tags: {},
        createdAt: now,
        updatedAt: now,
      }
      botpress.messages.push(message)
      botpress.onMessageCreated?.(message)
      await settle()
      return message
    },
    /** The bot's own message on the user's conversation (before the handoff). */
    botSays(conversationId: string, text: string) {
      return botpress.createBotMessage(conversationId, 'text', { text })
    },
    async startHitl(
      who: { userId: string; conversationId: string },
      input: { title: string; description?: string; hitlSession?: object } = { title: 'Help needed' }
    ) {
      await plugin.startHitl({ ...input, conversationId: who.conversationId, userId: who.userId })
      await settle()
      return downstreamOf(who.conversationId)
    },
    async stopHitl(who: { conversationId: string }) {
      await plugin.stopHitl(who.conversationId)
      await settle()
    },
    /** What the webchat user sees: the bot's (and relayed analysts') messages, oldest first. */
    seenBy(who: { conversationId: string }) {
      return botpress.messages
        .filter((m) => m.conversationId === who.conversationId && m.direction === 'outgoing')
        .map((m) => m.payload.text ?? `[${m.type}] ${m.payload.imageUrl ?? ''}`)
    },
    downstreamOf,
    ticketOf(who: { conversationId: string }) {
      const hitl = botpress.conversations.find((c) => c.id === downstreamOf(who.conversationId))!
      return world.fourbiz.ticket(hitl.tags.hitlTicket!)!
    },
    async push(body: object) {
      const raw = JSON.stringify(body)
      const ts = String(Math.floor(Date.now() / 1000))
      const res = await callWebhook(
        {
          path: '/4biz',
          body: raw,
          headers: {
            'content-type': 'application/json',
            'x-4biz-timestamp': ts,
            'x-4biz-signature': pushSignature(ts, raw, PUSH_SECRET),
          },
        },
        config(overrides),
        handler()
      )
      await settle()
      return res
    },
    async sync() {
      const res = await callAction('syncTicketUpdates', {}, config(overrides), handler())
      await settle()
      return res
    },
    events: (type: string) => botpress.events.filter((e) => e.type === type),
    async stop() {
      plugin.stop()
      await settle().catch(() => undefined)
      await files.stop()
      await world.stop()
    },
  }

  function downstreamOf(upstreamConversationId: string) {
    const id = botpress.conversations.find((c) => c.id === upstreamConversationId)?.tags.downstream
    if (!id) throw new Error(`conversation ${upstreamConversationId} is not in a HITL session`)
    return id
  }
}
