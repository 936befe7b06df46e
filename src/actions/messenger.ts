// PLACEHOLDER owned by the Messenger helper: replaced by the real Messenger actions.
import { RuntimeError } from '@botpress/sdk'
import type * as bp from '.botpress'
type A = bp.IntegrationProps['actions']
const todo = async (): Promise<never> => {
  throw new RuntimeError('not built yet')
}
export const messengerActions: Pick<A, 'getOrCreateUser' | 'getOrCreateConversation' | 'startTypingIndicator' | 'stopTypingIndicator'> = {
  getOrCreateUser: todo,
  getOrCreateConversation: todo,
  startTypingIndicator: todo,
  stopTypingIndicator: todo,
}
