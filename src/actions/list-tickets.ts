import { RuntimeError } from '@botpress/sdk'
import { resolveRequester } from './requester'
import { listRequesterTickets } from '../fourbiz/tickets'
import { action } from './wrap'

/** A requester's tickets: by 4biz login, or the requester of a Botpress user or Messenger conversation. */
export const listTickets = action('listTickets', async (input, request) => {
  const scope = request.fourbiz()
  if (!input.requesterLogin?.trim() && !input.userId && !input.conversationId)
    throw new RuntimeError('Invalid input for listTickets: "userId", "conversationId" or "requesterLogin" is required.')
  const login = input.requesterLogin?.trim() || (await resolveRequester(request.client, input, 'listTickets')).login
  return { tickets: await listRequesterTickets(scope, login, input.status) }
})
