import type * as bp from '.botpress'
import { messengerActions } from './messenger'
import { routingActions } from './routing'
import { ticketActions } from './tickets'
import { hitlActions } from '../hitl/actions'

export const actions = { ...ticketActions, ...routingActions, ...messengerActions, ...hitlActions } satisfies bp.IntegrationProps['actions']
