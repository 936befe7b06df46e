import type * as bp from '../typings'
import { actionInputs } from './inputs'
import { fourbizScope } from '../fourbiz/scope'
import { cancelTicket as cancel } from '../fourbiz/tickets'
import { parseInput } from '../validate'

/** Cancels with the configured status (statusCancelled) and the reason. */
export const cancelTicket: bp.IntegrationProps['actions']['cancelTicket'] = async (props) => {
  const input = parseInput((await actionInputs()).cancelTicketInput, props.input, 'cancelTicket')
  return cancel(fourbizScope(props), input.ticketNumber.trim(), input.reason)
}
