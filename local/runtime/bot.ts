/**
 * What a bot is to the emulated runtime: handlers for the conversation's incoming messages and for the
 * integration's events, and scheduled jobs — the three kinds of Studio triggers the example needs.
 * A bot reaches the integration only through `tools` (replies and actions), as a Studio bot does.
 */

export type IncomingMessage = {
  id: string
  type: string
  payload: any
  conversationId: string
  userId: string
  /** Message tags the integration set, e.g. `title` of a tapped quick reply. */
  tags: Record<string, string>
  /** The conversation's integration and channel: `fourbiz-messenger`/`messenger`, or `webchat`/`channel` (local/webchat). */
  integration: string
  channel: string
}

export type IntegrationEvent = {
  id: string
  /** The bare event name the integration emitted, e.g. `handoffEnded`. */
  type: string
  payload: any
  conversationId?: string
  userId?: string
}

export type BotTools = {
  /** Sends a message to the conversation (Botpress calls the integration's message_created). */
  reply: (conversationId: string, type: string, payload: object) => Promise<void>
  /** Runs an integration action (action_triggered) and answers its output; throws when it fails. */
  action: <T = any>(type: string, input: object) => Promise<T>
  log: (text: string) => void
  /** The HITL plugin's cards ("Start HITL", "Stop HITL"), when the runtime has the plugin. */
  hitl?: {
    start: (input: { conversationId: string; userId: string; title: string; description?: string }) => Promise<void>
    stop: (conversationId: string) => Promise<void>
  }
}

export type Schedule = { name: string; everyMs: number; run: (tools: BotTools) => Promise<void> }

export type Bot = {
  onMessage: (message: IncomingMessage, tools: BotTools) => Promise<void>
  onEvent: (event: IntegrationEvent, tools: BotTools) => Promise<void>
  schedules: Schedule[]
}
