import type { BotpressFake, BpConversation, BpEvent, BpMessage, BpUser } from '../../test/fakes/botpress'

/**
 * Botpress's HITL plugin (botpress/botpress plugins/hitl, version 1.4.2 at commit 4f4a05a0), played by
 * the emulated runtime and the tests: the same calls to the integration in the same order, the same
 * tags and the same texts, so the integration is exercised as the real plugin drives it.
 * - startHitl: handoff text to the user, createUser once per user (tags `downstream`/`upstream` link the
 *   two users), the conversation's messages as messageHistory, the integration's startHitl, then the
 *   conversations are linked (`upstream`/`downstream` tags) and both marked active.
 * - A user message on the upstream conversation goes to the HITL conversation as a bot message whose
 *   payload.userId is the linked user (message_created on the hitl channel); "/end" stops the session.
 * - A message on the HITL conversation (an analyst) goes to the user's conversation; the first one
 *   assigns the agent if hitlAssigned did not.
 * - hitlAssigned: humanAgentId/Name tags and "A human agent has joined"; hitlStopped: the closing text,
 *   both inactive, continueWorkflow; stop and the agent timeout: a notice on the HITL conversation,
 *   both inactive, then the integration's stopHitl.
 * Its state (hitlActive) is a conversation state `hitl`, as the plugin keeps it.
 */

export const PLUGIN_TEXTS = {
  handoff: 'I have escalated this conversation to a human agent. They should be with you shortly.',
  agentAssigned: 'A human agent has joined the conversation.',
  stopped: 'The human agent closed the conversation. I will continue assisting you.',
  userCancelled: '( The user has ended the session. )',
  closeCommand: '/end',
  userClosed: 'You have ended the session with the human agent. I will continue assisting you.',
  timeout:
    'No human agent is available at the moment. Please try again later. I will continue assisting you for the time being.',
}

export const SUPPORTED_TYPES = ['text', 'image', 'video', 'audio', 'file', 'bloc']

/** How the plugin reaches the integration: Botpress runs its actions and its hitl channel. */
export type HitlIntegration = {
  name: string
  action: (type: string, input: object) => Promise<any>
  messageCreated: (body: {
    type: string
    payload: unknown
    conversation: BpConversation
    message: BpMessage
    user: BpUser
  }) => Promise<void>
}

export type HitlPluginOptions = {
  botId: string
  botUserId: string
  /** agentAssignedTimeoutSeconds; 0 or absent: off. */
  agentAssignedTimeoutSeconds?: number
  /** The plugin's flowOnHitlStopped (default true): the bot goes on without waiting for the user. */
  onContinueWorkflow?: (upstreamConversationId: string, userId?: string) => Promise<void> | void
  log?: (text: string) => void
}

type Verdict = 'stop' | 'continue'

export class HitlPluginEmulator {
  private readonly timeouts = new Map<string, { downstreamId: string; timer: NodeJS.Timeout }>()

  constructor(
    private readonly botpress: BotpressFake,
    private readonly integration: HitlIntegration,
    private readonly opts: HitlPluginOptions
  ) {}

  /** The "Start HITL" card (the plugin's startHitl action). */
  async startHitl(input: {
    conversationId: string
    userId: string
    title: string
    description?: string
    hitlSession?: object
    userEmail?: string
  }) {
    const upstream = this.conversation(input.conversationId)
    if (upstream.tags.upstream || upstream.integration === this.integration.name) return
    if (this.isActive(upstream.id)) return
    const lastUserMessage = this.messagesOf(upstream.id).find((m) => m.direction === 'incoming')
    if (upstream.tags.startMessageId && upstream.tags.startMessageId === lastUserMessage?.id) return

    this.respond(upstream, { type: 'text', text: PLUGIN_TEXTS.handoff })
    const downstreamUserId = await this.downstreamUserOf(input.userId, input.userEmail)
    // oldest first (the fake's list is chronological, so equal timestamps keep their order)
    const history = [...this.messagesOf(upstream.id)]
      .reverse()
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .map((m) => ({
        source:
          m.direction === 'outgoing'
            ? { type: 'bot' }
            : { type: 'user', userId: this.linkedUser(m.userId) ?? downstreamUserId },
        type: m.type,
        payload: m.payload,
      }))
    const { conversationId: downstreamId } = await this.integration.action('startHitl', {
      title: input.title,
      description: input.description,
      hitlSession: input.hitlSession,
      userId: downstreamUserId,
      messageHistory: history,
    })
    const downstream = this.conversation(downstreamId)
    this.setTags(upstream, {
      downstream: downstream.id,
      ...(lastUserMessage ? { startMessageId: lastUserMessage.id } : {}),
    })
    this.setTags(downstream, { upstream: upstream.id })
    this.setState(upstream.id, 'initiatingUser', { upstreamUserId: input.userId })
    this.setActive(upstream.id, true)
    this.setActive(downstream.id, true)
    this.opts.log?.(`HITL started: ${upstream.channel} conversation ${upstream.id} ↔ HITL session ${downstream.id}`)
    const seconds = this.opts.agentAssignedTimeoutSeconds ?? 0
    if (seconds > 0) {
      // the plugin schedules its humanAgentAssignedTimeout event
      const timer = setTimeout(
        () =>
          void this.fireAgentTimeout(upstream.id).catch((err) =>
            this.opts.log?.(`HITL timeout failed: ${(err as Error).message}`)
          ),
        seconds * 1000
      )
      this.timeouts.set(upstream.id, { downstreamId: downstream.id, timer })
    }
  }

  /** The scheduled humanAgentAssignedTimeout event arriving (tests fire it instead of waiting). */
  async fireAgentTimeout(upstreamId: string) {
    const pending = this.timeouts.get(upstreamId)
    if (!pending) return
    clearTimeout(pending.timer)
    this.timeouts.delete(upstreamId)
    await this.agentTimeout(upstreamId, pending.downstreamId)
  }

  /** The "Stop HITL" card (the plugin's stopHitl action). */
  async stopHitl(upstreamConversationId: string) {
    const upstream = this.conversation(upstreamConversationId)
    if (!this.isActive(upstream.id) || !upstream.tags.downstream) return
    const downstream = this.conversation(upstream.tags.downstream)
    await this.respondDownstream(downstream, { type: 'text', text: PLUGIN_TEXTS.userCancelled })
    this.setInactive([upstream, downstream], 'close-action-called')
    await this.integration.action('stopHitl', { conversationId: downstream.id })
  }

  /** before_incoming_message: answers whether the bot may see the message. */
  async beforeIncomingMessage(message: BpMessage): Promise<Verdict> {
    const conversation = this.conversation(message.conversationId)
    if (conversation.integration === this.integration.name && conversation.channel === 'hitl')
      return this.fromAgent(conversation, message)
    if (!this.isActive(conversation.id)) return 'continue'
    return this.fromUser(conversation, message)
  }

  /** before_incoming_event: hitlAssigned and hitlStopped, and no bot turns for a conversation in a session. */
  async beforeIncomingEvent(event: BpEvent): Promise<Verdict> {
    if (event.type === 'hitlAssigned') {
      const downstream = this.conversation(event.payload.conversationId)
      if (this.isActive(downstream.id)) this.assignAgent(downstream, event.payload.userId)
      return 'stop'
    }
    if (event.type === 'hitlStopped') {
      const downstream = this.conversation(event.payload.conversationId)
      if (!this.isActive(downstream.id) || !downstream.tags.upstream) return 'stop'
      const upstream = this.conversation(downstream.tags.upstream)
      this.respond(upstream, { type: 'text', text: PLUGIN_TEXTS.stopped })
      this.setInactive([downstream, upstream], 'agent-closed-ticket')
      this.opts.log?.(`HITL stopped by 4biz: ${upstream.id} is the bot's again`)
      await this.opts.onContinueWorkflow?.(upstream.id, this.state(upstream.id, 'initiatingUser')?.upstreamUserId)
      return 'stop'
    }
    const id = event.conversationId ?? event.payload?.conversationId
    return typeof id === 'string' && this.isActive(id) ? 'stop' : 'continue'
  }

  stop() {
    for (const t of this.timeouts.values()) clearTimeout(t.timer)
    this.timeouts.clear()
  }

  private fromAgent(downstream: BpConversation, message: BpMessage): Verdict {
    if (!this.isActive(downstream.id) || !downstream.tags.upstream) return 'stop'
    if (!SUPPORTED_TYPES.includes(message.type)) return 'stop'
    const upstream = this.conversation(downstream.tags.upstream)
    if (!downstream.tags.humanAgentId) this.assignAgent(downstream, message.userId)
    this.respond(upstream, { type: message.type, ...message.payload }, { downstream: message.id })
    return 'stop'
  }

  private async fromUser(upstream: BpConversation, message: BpMessage): Promise<Verdict> {
    if (!SUPPORTED_TYPES.includes(message.type)) {
      this.respond(upstream, {
        type: 'text',
        text: `Sorry, I can only handle one of the following message types: ${SUPPORTED_TYPES.join(', ')}`,
      })
      return 'stop'
    }
    const downstreamUserId = this.linkedUser(message.userId)
    if (!upstream.tags.downstream || !downstreamUserId) {
      this.setInactive([upstream], 'internal-error')
      this.respond(upstream, { type: 'text', text: 'Something went wrong, you are not connected to a human agent...' })
      return 'stop'
    }
    const downstream = this.conversation(upstream.tags.downstream)
    if (
      message.type === 'text' &&
      String(message.payload?.text ?? '')
        .trim()
        .toLowerCase() === PLUGIN_TEXTS.closeCommand
    ) {
      await this.respondDownstream(downstream, { type: 'text', text: PLUGIN_TEXTS.userCancelled })
      this.setInactive([upstream, downstream], 'patient-used-termination-command')
      await this.integration.action('stopHitl', { conversationId: downstream.id })
      this.respond(upstream, { type: 'text', text: PLUGIN_TEXTS.userClosed })
      await this.opts.onContinueWorkflow?.(upstream.id, message.userId)
      return 'stop'
    }
    await this.respondDownstream(
      downstream,
      { type: message.type, ...message.payload, userId: downstreamUserId },
      { upstream: message.id }
    )
    return 'stop'
  }

  private async agentTimeout(upstreamId: string, downstreamId: string) {
    const upstream = this.conversation(upstreamId)
    if (upstream.tags.humanAgentId) return
    if (!this.isActive(upstreamId) || !this.isActive(downstreamId)) return
    const downstream = this.conversation(downstreamId)
    await this.respondDownstream(downstream, { type: 'text', text: PLUGIN_TEXTS.userCancelled })
    this.setInactive([upstream, downstream], 'agent-assignment-timeout')
    await this.integration.action('stopHitl', { conversationId: downstream.id })
    this.respond(upstream, { type: 'text', text: PLUGIN_TEXTS.timeout })
    await this.opts.onContinueWorkflow?.(upstream.id, this.state(upstream.id, 'initiatingUser')?.upstreamUserId)
  }

  private assignAgent(downstream: BpConversation, agentUserId: string) {
    if (!downstream.tags.upstream) return
    const upstream = this.conversation(downstream.tags.upstream)
    const agent = this.botpress.users.find((u) => u.id === agentUserId)
    const name = agent?.name?.length ? agent.name : 'A Human Agent'
    this.setTags(downstream, { humanAgentId: agentUserId, humanAgentName: name })
    this.setTags(upstream, { humanAgentId: agentUserId, humanAgentName: name })
    this.respond(upstream, { type: 'text', text: PLUGIN_TEXTS.agentAssigned })
  }

  /** createUser once per upstream user; the two users carry each other's id. */
  private async downstreamUserOf(upstreamUserId: string, email?: string): Promise<string> {
    const linked = this.linkedUser(upstreamUserId)
    if (linked) return linked
    const user = this.user(upstreamUserId)
    const { userId } = await this.integration.action('createUser', {
      name: user.tags.name ?? user.name ?? 'Unknown User',
      pictureUrl: user.tags.pictureUrl ?? user.pictureUrl,
      email: email ?? user.tags.email ?? `${user.id}@no-reply.${this.opts.botId.replaceAll('_', '-')}.botpress.com`,
    })
    const downstream = this.user(userId)
    const tags = { integrationName: this.integration.name, integrationAlias: this.integration.name }
    Object.assign(user.tags, { downstream: userId, ...tags })
    Object.assign(downstream.tags, { upstream: user.id, ...tags })
    return userId
  }

  private linkedUser(upstreamUserId: string): string | undefined {
    const user = this.botpress.users.find((u) => u.id === upstreamUserId)
    const id = user?.tags.downstream
    return id && user.tags.integrationName === this.integration.name && this.botpress.users.some((u) => u.id === id)
      ? id
      : undefined
  }

  /** The plugin's respond(): a bot message on the conversation. */
  private respond(
    conversation: BpConversation,
    payload: { type: string; [k: string]: unknown },
    tags: Record<string, string> = {}
  ): BpMessage {
    const { type, ...rest } = payload
    const message = this.botpress.createBotMessage(conversation.id, type, rest)
    Object.assign(message.tags, tags)
    return message
  }

  /** A bot message on the HITL conversation: Botpress hands it to the integration's hitl channel. */
  private async respondDownstream(
    downstream: BpConversation,
    payload: { type: string; [k: string]: unknown },
    tags: Record<string, string> = {}
  ) {
    const message = this.respond(downstream, payload, tags)
    const author = typeof message.payload.userId === 'string' ? this.user(message.payload.userId) : undefined
    const bot: BpUser = {
      id: this.opts.botUserId,
      tags: {},
      createdAt: message.createdAt,
      updatedAt: message.createdAt,
    }
    await this.integration.messageCreated({
      type: message.type,
      payload: message.payload,
      conversation: downstream,
      message,
      user: author ?? bot,
    })
  }

  private setInactive(conversations: BpConversation[], reason: string) {
    for (const c of conversations) {
      this.setActive(c.id, false)
      this.setTags(c, { hitlEndReason: reason })
    }
  }

  private isActive(conversationId: string) {
    return this.state(conversationId, 'hitl')?.hitlActive === true
  }

  private setActive(conversationId: string, hitlActive: boolean) {
    this.setState(conversationId, 'hitl', { hitlActive })
  }

  private state(conversationId: string, name: string): any {
    return this.botpress.getStatePayload('conversation', conversationId, `plugin.hitl.${name}`)
  }

  private setState(conversationId: string, name: string, payload: object) {
    const now = new Date().toISOString()
    const key = this.botpress.stateKey('conversation', conversationId, `plugin.hitl.${name}`)
    this.botpress.states.set(key, {
      id: conversationId,
      type: 'conversation',
      name: `plugin.hitl.${name}`,
      payload,
      createdAt: now,
      updatedAt: now,
    })
  }

  private setTags(conversation: BpConversation, tags: Record<string, string>) {
    Object.assign(conversation.tags, tags)
  }

  private conversation(id: string): BpConversation {
    const c = this.botpress.conversations.find((x) => x.id === id)
    if (!c) throw new Error(`HITL plugin: no conversation ${id}`)
    return c
  }

  private user(id: string): BpUser {
    const u = this.botpress.users.find((x) => x.id === id)
    if (!u) throw new Error(`HITL plugin: no user ${id}`)
    return u
  }

  /** Newest first, as the API lists them. */
  private messagesOf(conversationId: string): BpMessage[] {
    return this.botpress.messages.filter((m) => m.conversationId === conversationId).reverse()
  }
}
