import type * as bp from '../typings'
import { actionInputs } from './inputs'
import { ensureConversation } from '../messenger/identity'
import { parseInput } from '../validate'

/** proactive-conversation: the conversation to message a PSID in; the bot then sends to it like any reply. */
export const getOrCreateConversation: bp.IntegrationProps['actions']['getOrCreateConversation'] = async (props) => {
  const { conversation: { psid } } = parseInput((await actionInputs()).getOrCreateConversationInput, props.input, 'getOrCreateConversation')
  const conversation = await ensureConversation(props, psid)
  return { conversationId: conversation.id }
}
