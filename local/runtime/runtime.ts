import type { BotpressFake, BpEvent, BpMessage } from '../../test/fakes/botpress'
import { type ActivityLog, brief } from '../log'
import type { Bot, BotTools } from './bot'
import type { HitlPluginEmulator } from './hitl-plugin'
import { LOCAL_IDS } from './ids'
import { type IntegrationCaller, OperationError } from './operations'

/**
 * The emulated Botpress runtime: the Botpress API (a BotpressFake: users, conversations, messages,
 * states, events) plus what the Cloud does around it —
 * - an incoming message the integration created runs the bot's message handler;
 * - a bot reply becomes an outgoing message and the integration's `message_created` operation;
 * - an event the integration created runs the bot's event handler;
 * - bot actions are `action_triggered` operations; schedules run on timers.
 * Work for one conversation runs in order, as Botpress processes a conversation's events one by one.
 */
export class EmulatedRuntime {
  private readonly queues = new Map<string, Promise<void>>()
  private readonly timers: NodeJS.Timeout[] = []
  private readonly lastScheduleError = new Map<string, string>()
  private stopped = false
  readonly tools: BotTools
  /** The same tools for schedules: their routine successes stay out of the log. */
  private readonly scheduleTools: BotTools

  constructor(
    private readonly botpress: BotpressFake,
    private readonly integration: IntegrationCaller,
    private readonly bot: Bot,
    private readonly log: ActivityLog,
    /** The HITL plugin installed on the bot: its hooks run before the bot sees a message or an event. */
    private readonly plugin?: HitlPluginEmulator
  ) {
    this.tools = {
      reply: (conversationId, type, payload) => this.reply(conversationId, type, payload),
      action: (type, input) => this.action(type, input),
      log: (text) => this.log.info('bot', text),
      ...(plugin
        ? {
            hitl: {
              start: (input) => plugin.startHitl(input),
              stop: (conversationId) => plugin.stopHitl(conversationId),
            },
          }
        : {}),
    }
    this.scheduleTools = { ...this.tools, action: (type, input) => this.action(type, input, true) }
  }

  start() {
    this.botpress.onMessageCreated = (m) => this.messageCreated(m)
    this.botpress.onEventCreated = (e) => this.eventCreated(e)
    for (const schedule of this.bot.schedules) {
      const key = `schedule:${schedule.name}`
      // a run still going when the next tick comes is not doubled: the tick is skipped
      const tick = () => !this.queues.has(key) && this.enqueue(key, () => this.runSchedule(schedule.name, schedule.run))
      this.timers.push(setInterval(tick, schedule.everyMs))
    }
  }

  /** Stops the timers and the hooks, then waits for the work already started. */
  async stop() {
    this.stopped = true
    for (const t of this.timers) clearInterval(t)
    this.botpress.onMessageCreated = undefined
    this.botpress.onEventCreated = undefined
    this.plugin?.stop()
    await Promise.allSettled([...this.queues.values()])
  }

  /** Resolves once every handler started so far (and whatever they started) has finished (tests wait on it). */
  async idle() {
    while (this.queues.size) await Promise.allSettled([...this.queues.values()])
  }

  /** Sends a bot message: stored as an outgoing message, then handed to the integration's channel. */
  async reply(conversationId: string, type: string, payload: object): Promise<void> {
    const conversation = this.botpress.conversations.find((c) => c.id === conversationId)
    if (!conversation) throw new Error(`No conversation ${conversationId}`)
    if (conversation.integration !== LOCAL_IDS.integrationAlias) {
      // another integration's channel (the local webchat): its page reads the message from here
      const message = this.botpress.createBotMessage(conversationId, type, payload)
      this.log.info(
        'runtime',
        `${conversation.integration} ${type} → ${conversationId}: ${brief(payload)} (${message.id})`
      )
      return
    }
    // the conversation's Messenger user, as the Cloud sends it with message_created
    const user = this.botpress.users.find((u) => u.tags.psid === conversation.tags.psid)
    if (!user) throw new Error(`No user for conversation ${conversationId}`)
    const message = this.botpress.createBotMessage(conversationId, type, payload)
    this.log.info('runtime', `message_created ${type} → ${conversationId}: ${brief(payload)}`)
    try {
      await this.integration.call('message_created', { type, payload, conversation, message, user })
    } catch (err) {
      this.log.error('runtime', `message_created ${type} failed: ${describe(err)}`)
      throw err
    }
  }

  /** Runs an integration action and answers its output. */
  async action(type: string, input: object, quiet = false): Promise<any> {
    try {
      const output = await this.integration.action(type, input)
      if (!quiet) this.log.info('runtime', `action ${type}(${brief(input, 80)}) → ${brief(output, 160)}`)
      return output
    } catch (err) {
      // a schedule's failures are logged by runSchedule, once per distinct error
      if (!quiet) this.log.error('runtime', `action ${type}(${brief(input, 80)}) failed: ${describe(err)}`)
      throw err
    }
  }

  private messageCreated(message: BpMessage) {
    // Outgoing messages are the bot's own replies (sent through reply()); only users' messages run the bot,
    // and synthetic ones (records of what went to or came from a ticket) are only stored, as in Botpress.
    if (message.direction !== 'incoming' || message.origin === 'synthetic' || this.stopped) return
    this.log.info('runtime', `incoming ${message.type} in ${message.conversationId}: ${brief(message.payload)}`)
    const conversation = this.botpress.conversations.find((c) => c.id === message.conversationId)
    this.enqueue(message.conversationId, async () => {
      if (this.plugin && (await this.plugin.beforeIncomingMessage(message)) === 'stop') return
      await this.bot.onMessage(
        {
          id: message.id,
          type: message.type,
          payload: message.payload,
          conversationId: message.conversationId,
          userId: message.userId,
          tags: message.tags,
          integration: conversation?.integration ?? LOCAL_IDS.integrationAlias,
          channel: conversation?.channel ?? 'messenger',
        },
        this.tools
      )
    })
  }

  /** The plugin's continueWorkflow event: the bot goes on after a HITL session without waiting for the user. */
  continueWorkflow(conversationId: string, userId?: string) {
    if (this.stopped) return
    this.log.info('runtime', `event hitl#continueWorkflow: ${conversationId}`)
    this.enqueue(conversationId, () =>
      this.bot.onEvent(
        { id: `continue_${Date.now()}`, type: 'continueWorkflow', payload: { conversationId }, conversationId, userId },
        this.tools
      )
    )
  }

  private eventCreated(event: BpEvent) {
    if (this.stopped) return
    this.log.info('runtime', `event ${event.type}: ${brief(event.payload)}`)
    this.enqueue(event.conversationId ?? 'events', async () => {
      if (this.plugin && (await this.plugin.beforeIncomingEvent(event)) === 'stop') return
      await this.bot.onEvent({ ...event }, this.tools)
    })
  }

  /** A failing schedule logs once per distinct error, not every few seconds. */
  private async runSchedule(name: string, run: (tools: BotTools) => Promise<void>) {
    try {
      await run(this.scheduleTools)
      this.lastScheduleError.delete(name)
    } catch (err) {
      const text = describe(err)
      if (this.lastScheduleError.get(name) === text) return
      this.lastScheduleError.set(name, text)
      this.log.error('bot', `schedule ${name} failed: ${text} (logged again only if the error changes)`)
    }
  }

  private enqueue(key: string, work: () => Promise<void>) {
    const previous = this.queues.get(key) ?? Promise.resolve()
    const next = previous
      .then(work)
      .catch((err) => {
        // errors of reply/action are already logged where they happened
        if (!(err instanceof OperationError)) this.log.error('bot', `handler failed: ${describe(err)}`)
      })
      .finally(() => {
        if (this.queues.get(key) === next) this.queues.delete(key)
      })
    this.queues.set(key, next)
  }
}

export function describe(err: unknown): string {
  if (err instanceof OperationError) return `${err.message} (HTTP ${err.status})`
  return err instanceof Error ? err.message : String(err)
}
