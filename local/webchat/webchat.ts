import type { BotpressFake, BpConversation, BpMessage } from '../../test/fakes/botpress'
import { type ActivityLog, brief } from '../log'

/**
 * A local stand-in for Botpress's webchat: a channel of another integration ("webchat", channel
 * "channel"), so the HITL path can be tried with a user who is not on Messenger. Users and their
 * conversations live in the emulated runtime's API; what a user types is an incoming message there
 * (the runtime runs the HITL plugin, then the bot); what they see is the conversation's outgoing
 * messages — the bot's, and the analysts' the plugin relayed.
 */

export const WEBCHAT = { integration: 'webchat', channel: 'channel' } as const

export type WebchatItem = {
  id: string
  from: 'user' | 'bot'
  type: string
  text: string
  options?: { label: string; value: string }[]
  agent?: string
  at: string
}

export class LocalWebchat {
  constructor(
    private readonly botpress: BotpressFake,
    private readonly log: ActivityLog
  ) {}

  /** The visitor's Botpress user and conversation, created on first use (as webchat does on opening). */
  visitor(name: string): { userId: string; conversation: BpConversation } {
    const clean = name.trim().slice(0, 60)
    if (!clean) throw new Error('name is required')
    const now = new Date().toISOString()
    let user = this.botpress.users.find((u) => u.tags.webchatVisitor === clean)
    if (!user) {
      user = {
        id: this.botpress.nextId('user'),
        name: clean,
        tags: { webchatVisitor: clean },
        createdAt: now,
        updatedAt: now,
      }
      this.botpress.users.push(user)
    }
    let conversation = this.botpress.conversations.find(
      (c) => c.integration === WEBCHAT.integration && c.tags.visitor === user.id
    )
    if (!conversation) {
      conversation = {
        id: this.botpress.nextId('conv'),
        channel: WEBCHAT.channel,
        integration: WEBCHAT.integration,
        tags: { visitor: user.id },
        createdAt: now,
        updatedAt: now,
      }
      this.botpress.conversations.push(conversation)
    }
    return { userId: user.id, conversation }
  }

  /** The visitor writes (or taps an option: `label` shown, `text` its value): an incoming message in the runtime (which runs the plugin, then the bot). */
  send(name: string, text: string, label?: string): BpMessage {
    if (!text.trim()) throw new Error('text is required')
    const { userId, conversation } = this.visitor(name)
    const now = new Date().toISOString()
    const message: BpMessage = {
      id: this.botpress.nextId('msg'),
      type: 'text',
      payload: { text },
      direction: 'incoming',
      userId,
      conversationId: conversation.id,
      tags: label ? { label } : {},
      createdAt: now,
      updatedAt: now,
    }
    this.botpress.messages.push(message)
    this.log.info('webchat', `${name}: ${brief(text, 80)}`)
    this.botpress.onMessageCreated?.(message)
    return message
  }

  /** What the visitor's chat shows, oldest first. */
  conversation(name: string): WebchatItem[] {
    const { conversation } = this.visitor(name)
    return this.botpress.messages
      .filter((m) => m.conversationId === conversation.id)
      .map((m) => ({
        id: m.id,
        from: m.direction === 'incoming' ? 'user' : 'bot',
        type: m.type,
        // a tapped option shows its label; the bot gets its value
        text: m.tags.label ?? describe(m),
        ...(Array.isArray(m.payload.options) ? { options: m.payload.options } : {}),
        // a message the HITL plugin relayed from the analyst carries the HITL message id
        ...(m.tags.downstream ? { agent: conversation.tags.humanAgentName ?? 'Analyst' } : {}),
        at: m.createdAt,
      }))
  }
}

function describe(m: BpMessage): string {
  const p = m.payload ?? {}
  return p.text ?? p.imageUrl ?? p.fileUrl ?? p.audioUrl ?? p.videoUrl ?? `(${m.type})`
}
