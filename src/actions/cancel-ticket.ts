import { cancelTicket as cancel } from '../fourbiz/tickets'
import { action } from './wrap'

/** Cancels with the configured status (statusCancelled) and the reason. */
export const cancelTicket = action('cancelTicket', async (input, request) =>
  cancel(request.fourbiz(), input.ticketNumber.trim(), input.reason)
)
