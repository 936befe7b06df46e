import type * as bp from '../typings'
import { getOrCreateConversation } from './get-or-create-conversation'
import { getOrCreateUser } from './get-or-create-user'
import { startTypingIndicator, stopTypingIndicator } from './typing-indicator'
import { updateMessengerProfile } from './update-messenger-profile'

type A = bp.IntegrationProps['actions']

export const messengerActions: Pick<A, 'getOrCreateUser' | 'getOrCreateConversation' | 'startTypingIndicator' | 'stopTypingIndicator' | 'updateMessengerProfile'> = {
  getOrCreateUser,
  getOrCreateConversation,
  startTypingIndicator,
  stopTypingIndicator,
  updateMessengerProfile,
}
