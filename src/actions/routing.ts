import type * as bp from '../typings'
import { endHandoff } from './end-handoff'
import { startHandoff } from './start-handoff'
import { syncTicketUpdates } from './sync-ticket-updates'

type A = bp.IntegrationProps['actions']

export const routingActions: Pick<A, 'startHandoff' | 'endHandoff' | 'syncTicketUpdates'> = { startHandoff, endHandoff, syncTicketUpdates }
