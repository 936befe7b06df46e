import type * as bp from '../typings'
import { messengerActions } from './messenger'
import { routingActions } from './routing'
import { setupActions } from './setup'
import { ticketActions } from './tickets'

export const actions = { ...ticketActions, ...routingActions, ...messengerActions, ...setupActions } satisfies bp.IntegrationProps['actions']
