// PLACEHOLDER: handoff actions come with the routing issue.
import { RuntimeError } from '@botpress/sdk'
import type * as bp from '.botpress'
type A = bp.IntegrationProps['actions']
const todo = async (): Promise<never> => {
  throw new RuntimeError('not built yet')
}
export const routingActions: Pick<A, 'startHandoff' | 'endHandoff' | 'syncTicketUpdates'> = {
  startHandoff: todo,
  endHandoff: todo,
  syncTicketUpdates: todo,
}
