import type * as bp from '../typings'
import { getOrCreateConversation } from './get-or-create-conversation'
import { getOrCreateUser } from './get-or-create-user'
import { startTypingIndicator, stopTypingIndicator } from './typing-indicator'

type A = bp.IntegrationProps['actions']

export const messengerActions: Pick<A, 'getOrCreateUser' | 'getOrCreateConversation' | 'startTypingIndicator' | 'stopTypingIndicator'> = {
  getOrCreateUser,
  getOrCreateConversation,
  startTypingIndicator,
  stopTypingIndicator,
}
