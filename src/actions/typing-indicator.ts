import { messengerConversation } from '../messenger/identity'
import type { SenderAction } from '../messenger/send-api'
import type { RequestContext } from '../routing/context'
import { action } from './wrap'

/** Shows "seen" and "typing…" (Messenger hides it after 20 s or at the next message). */
export const startTypingIndicator = action('startTypingIndicator', async ({ conversationId }, request) => {
  await senderActions(request, 'startTypingIndicator', conversationId, ['mark_seen', 'typing_on'])
  return {}
})

export const stopTypingIndicator = action('stopTypingIndicator', async ({ conversationId }, request) => {
  await senderActions(request, 'stopTypingIndicator', conversationId, ['typing_off'])
  return {}
})

/** A failed sender action is cosmetic (logged); a conversation that is not Messenger's is the bot builder's to fix. */
async function senderActions(request: RequestContext, name: string, conversationId: string, actions: SenderAction[]) {
  const { psid } = (await messengerConversation(request.client, conversationId, { action: name })).tags
  const graph = request.graph()
  for (const action of actions) {
    try {
      await graph.sendSenderAction(psid, action)
    } catch (error) {
      request.logger.warn(
        `${name}: Messenger did not take "${action}" for conversation ${conversationId}: ${(error as Error).message}`
      )
    }
  }
}
