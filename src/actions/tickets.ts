import type * as bp from '../typings'
import { addTicketComment } from './add-ticket-comment'
import { cancelTicket } from './cancel-ticket'
import { createTicket } from './create-ticket'
import { getTicket } from './get-ticket'
import { listTickets } from './list-tickets'

type A = bp.IntegrationProps['actions']

export const ticketActions: Pick<A, 'createTicket' | 'getTicket' | 'listTickets' | 'addTicketComment' | 'cancelTicket'> = {
  createTicket,
  getTicket,
  listTickets,
  addTicketComment,
  cancelTicket,
}
