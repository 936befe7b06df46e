import { RuntimeError } from '@botpress/sdk'
import type * as bp from '../typings'
import { type Requester, requesterFromUser, requesterOf } from '../fourbiz/requester'
import { messengerConversation } from '../messenger/identity'

/** The Messenger user of a conversation: its `psid` tag names the Botpress user with the same tag. */
async function requesterFromConversation(
  client: bp.Client,
  conversationId: string,
  action: string
): Promise<Requester> {
  const { psid } = (await messengerConversation(client, conversationId, { action, hint: 'pass userId instead' })).tags
  const { user } = await client.getOrCreateUser({ tags: { psid }, discriminateByTags: ['psid'] })
  return requesterOf(user)
}

/** The requester an action is for: from userId when given, else from conversationId; one of them is required. */
export async function resolveRequester(
  client: bp.Client,
  from: { userId?: string; conversationId?: string },
  action: string
): Promise<Requester> {
  if (from.userId) return requesterFromUser(client, from.userId)
  if (from.conversationId) return requesterFromConversation(client, from.conversationId, action)
  throw new RuntimeError(
    `Invalid input for ${action}: "userId" or "conversationId" is required to know who the requester is.`
  )
}
