import type * as bp from '../typings'
import { messengerActions } from './messenger'
import { routingActions } from './routing'
import { ticketActions } from './tickets'

export const actions = { ...ticketActions, ...routingActions, ...messengerActions } satisfies bp.IntegrationProps['actions']
