// PLACEHOLDER owned by the 4biz helper: replaced by the real ticket actions.
import { RuntimeError } from '@botpress/sdk'
import type * as bp from '.botpress'
type A = bp.IntegrationProps['actions']
const todo = async (): Promise<never> => {
  throw new RuntimeError('not built yet')
}
export const ticketActions: Pick<A, 'createTicket' | 'getTicket' | 'listTickets' | 'addTicketComment' | 'cancelTicket'> = {
  createTicket: todo,
  getTicket: todo,
  listTickets: todo,
  addTicketComment: todo,
  cancelTicket: todo,
}
