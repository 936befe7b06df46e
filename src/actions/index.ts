import type * as bp from '../typings'
import { messengerActions } from './messenger'
import { routingActions } from './routing'
import { setupActions } from './setup'
import { ticketActions } from './tickets'
import { hitlActions } from '../hitl/actions'

export const actions = { ...ticketActions, ...routingActions, ...messengerActions, ...setupActions, ...hitlActions } satisfies bp.IntegrationProps['actions']
