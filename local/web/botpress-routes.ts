import type { BotpressFake } from '../../test/fakes/botpress'
import { HttpError } from './http'

/**
 * The Botpress conversation page's API, read-only: a conversation's messages as the emulated runtime
 * stored them — what Studio's conversation view lists. Synthetic messages (`origin: 'synthetic'`, tag
 * `record`) are the records of what went to or came from a 4biz ticket; Botpress stores them without
 * running the bot.
 */

export function botpressConversations(botpress: BotpressFake) {
  return {
    conversations: botpress.conversations.map((c) => ({
      id: c.id,
      channel: c.channel,
      integration: c.integration,
      tags: c.tags,
      user: nameOf(botpress, botpress.users.find((u) => u.tags.psid && u.tags.psid === c.tags.psid)?.id),
      messages: botpress.messages.filter((m) => m.conversationId === c.id).length,
    })),
  }
}

export function botpressConversation(botpress: BotpressFake, conversationId: string | null, psid: string | null) {
  const conversation = conversationId
    ? botpress.conversations.find((c) => c.id === conversationId)
    : psid
      ? botpress.conversations.find((c) => c.tags.psid === psid)
      : undefined
  if (!conversation)
    throw new HttpError(
      404,
      conversationId || psid
        ? `No Botpress conversation ${conversationId ?? `for PSID ${psid}`}`
        : 'conversationId or psid is required'
    )
  return {
    conversation: {
      id: conversation.id,
      channel: conversation.channel,
      integration: conversation.integration,
      tags: conversation.tags,
    },
    messages: botpress.messages
      .filter((m) => m.conversationId === conversation.id)
      .map((m) => ({
        id: m.id,
        at: m.createdAt,
        direction: m.direction,
        from: m.direction === 'incoming' ? (nameOf(botpress, m.userId) ?? m.userId) : 'bot',
        type: m.type,
        payload: m.payload,
        tags: m.tags,
        synthetic: m.origin === 'synthetic',
      })),
  }
}

const nameOf = (botpress: BotpressFake, userId: string | undefined) =>
  userId ? botpress.users.find((u) => u.id === userId)?.name : undefined
