import { getTicket as readTicket } from '../fourbiz/tickets'
import { action } from './wrap'

export const getTicket = action('getTicket', async (input, request) =>
  readTicket(request.fourbiz(), input.ticketNumber.trim())
)
