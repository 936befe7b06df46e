import { RuntimeError } from '@botpress/sdk'
import type * as bp from '../typings'
import { actionInputs } from './inputs'
import { resolveRequester } from '../fourbiz/requester'
import { fourbizScope } from '../fourbiz/scope'
import { listRequesterTickets } from '../fourbiz/tickets'
import { parseInput } from '../validate'

/** A requester's tickets: by 4biz login, or the requester of a Botpress user or Messenger conversation. */
export const listTickets: bp.IntegrationProps['actions']['listTickets'] = async (props) => {
  const input = parseInput((await actionInputs()).listTicketsInput, props.input, 'listTickets')
  const scope = fourbizScope(props)
  if (!input.requesterLogin?.trim() && !input.userId && !input.conversationId)
    throw new RuntimeError('Invalid input for listTickets: "userId", "conversationId" or "requesterLogin" is required.')
  const login = input.requesterLogin?.trim() || (await resolveRequester(props.client, input, 'listTickets')).login
  return { tickets: await listRequesterTickets(scope, login, input.status) }
}
