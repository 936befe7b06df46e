import { ensureConversation } from '../messenger/identity'
import { action } from './wrap'

/** proactive-conversation: the conversation to message a PSID in; the bot then sends to it like any reply. */
export const getOrCreateConversation = action(
  'getOrCreateConversation',
  async ({ conversation: { psid } }, request) => {
    const conversation = await ensureConversation(request, psid)
    return { conversationId: conversation.id }
  }
)
