import type * as bp from '../typings'
import { actionInputs } from './inputs'
import { graphClientFor } from '../messenger/graph-client'
import { messengerConversation } from '../messenger/identity'
import type { SenderAction } from '../messenger/send-api'
import { parseInput } from '../validate'

type TypingProps = bp.ActionProps['startTypingIndicator'] | bp.ActionProps['stopTypingIndicator']

/** Shows "seen" and "typing…" (Messenger hides it after 20 s or at the next message). */
export const startTypingIndicator: bp.IntegrationProps['actions']['startTypingIndicator'] = async (props) => {
  await senderActions(props, ['mark_seen', 'typing_on'])
  return {}
}

export const stopTypingIndicator: bp.IntegrationProps['actions']['stopTypingIndicator'] = async (props) => {
  await senderActions(props, ['typing_off'])
  return {}
}

/** A bad input is the bot builder's to fix (RuntimeError); a failed sender action is cosmetic (logged). */
async function senderActions(props: TypingProps, actions: SenderAction[]) {
  const inputs = await actionInputs()
  const declared = props.type === 'startTypingIndicator' ? inputs.startTypingIndicatorInput : inputs.stopTypingIndicatorInput
  // the interface's shape, plus: an empty id is refused here, naming the field (the interface allows '')
  const input = declared.extend({ conversationId: declared.shape.conversationId.min(1) })
  const { conversationId } = parseInput(input, props.input, props.type)
  const { psid } = (await messengerConversation(props.client, conversationId, { action: props.type })).tags
  const graph = graphClientFor(props.ctx.configuration, { logger: props.logger })
  for (const action of actions) {
    try {
      await graph.sendSenderAction(psid, action)
    } catch (error) {
      props.logger.warn(`${props.type}: Messenger did not take "${action}" for conversation ${conversationId}: ${(error as Error).message}`)
    }
  }
}
