/**
 * The integration's actions, one file each, every one made by `action` (./wrap.ts): its input parsed
 * against its own schema, the request context (src/routing/context.ts) built once, errors as RuntimeErrors.
 * May import everything below it: src/ root utilities, fourbiz, messenger, routing, hitl.
 */
import type * as bp from '../typings'
import { addTicketComment } from './add-ticket-comment'
import { cancelTicket } from './cancel-ticket'
import { checkFourbizSetup } from './check-fourbiz-setup'
import { createTicket } from './create-ticket'
import { endHandoff } from './end-handoff'
import { getOrCreateConversation } from './get-or-create-conversation'
import { getOrCreateUser } from './get-or-create-user'
import { getTicket } from './get-ticket'
import { createUser, startHitl, stopHitl } from './hitl'
import { listTickets } from './list-tickets'
import { startHandoff } from './start-handoff'
import { syncTicketUpdates } from './sync-ticket-updates'
import { startTypingIndicator, stopTypingIndicator } from './typing-indicator'
import { updateMessengerProfile } from './update-messenger-profile'

export const actions = {
  createTicket,
  getTicket,
  listTickets,
  addTicketComment,
  cancelTicket,
  startHandoff,
  endHandoff,
  syncTicketUpdates,
  getOrCreateUser,
  getOrCreateConversation,
  startTypingIndicator,
  stopTypingIndicator,
  updateMessengerProfile,
  checkFourbizSetup,
  createUser,
  startHitl,
  stopHitl,
} satisfies bp.IntegrationProps['actions']
