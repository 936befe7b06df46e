import type * as bp from '../typings'
import { actionInputs } from './inputs'
import { fourbizScope } from '../fourbiz/scope'
import { getTicket as readTicket } from '../fourbiz/tickets'
import { parseInput } from '../validate'

export const getTicket: bp.IntegrationProps['actions']['getTicket'] = async (props) => {
  const input = parseInput((await actionInputs()).getTicketInput, props.input, 'getTicket')
  return readTicket(fourbizScope(props), input.ticketNumber.trim())
}
