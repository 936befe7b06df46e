import { classifyStatus, FollowUp, FourbizScope, getTicket, isAnalystFollowUp, listFollowUps } from '../fourbiz'
import { sameStatus } from '../fourbiz/status'
import { deliverToUser, Recipient } from './deliver'
import { conversationOfTicket, unlinkTicket } from './links'
import { loadRouting, remember, Routing, saveRouting } from './state'
import { automaticText, TextKey } from './texts'

/** What 4biz says changed on a ticket; absent parts are read from 4biz. */
export type TicketUpdate = { followUp?: Pick<FollowUp, 'followUpNumber' | 'text' | 'author'>; status?: string }

export type RelayResult = { linked: boolean; relayed: number; statusChanges: number }

/**
 * Brings a linked conversation up to date with its ticket: analyst follow-ups go to the user (each
 * once, whether it came by push or pull; the integration's own are never echoed back), and a status
 * change is announced; a final one ends the handoff. State is saved after each step, so a failure
 * half-way never repeats what was already sent.
 */
export async function relayTicketUpdates(scope: FourbizScope, ticketNumber: string, update: TicketUpdate = {}): Promise<RelayResult> {
  const conversation = await conversationOfTicket(scope, ticketNumber)
  const psid = conversation?.tags.psid
  if (!conversation || !psid) return { linked: false, relayed: 0, statusChanges: 0 }
  let routing = await loadRouting(scope.client, conversation.id)
  if (routing.ticketNumber !== ticketNumber) return { linked: false, relayed: 0, statusChanges: 0 }
  const to: Recipient = { conversationId: conversation.id, psid, userId: await userOf(scope, psid) }

  const onlyStatus = update.status !== undefined && !update.followUp
  const followUps = update.followUp ? [update.followUp] : onlyStatus ? [] : await listFollowUps(scope, ticketNumber)
  let relayed = 0
  for (const f of followUps) {
    if (routing.relayedFollowUps.includes(f.followUpNumber) || routing.ownFollowUps.includes(f.followUpNumber)) continue
    if (!isAnalystFollowUp(scope, f)) continue
    routing = await relayFollowUp(scope, to, routing, ticketNumber, f)
    relayed++
  }

  const status = update.status ?? (update.followUp ? undefined : (await getTicket(scope, ticketNumber)).status)
  if (status === undefined || (routing.lastStatus !== undefined && sameStatus(status, routing.lastStatus))) return { linked: true, relayed, statusChanges: 0 }
  await announceStatus(scope, to, routing, ticketNumber, status)
  return { linked: true, relayed, statusChanges: 1 }
}

async function relayFollowUp(scope: FourbizScope, to: Recipient, routing: Routing, ticketNumber: string, f: TicketUpdate['followUp'] & {}) {
  const prefix = automaticText(scope.config, 'agentReplyPrefix', { ticketNumber, author: f.author ?? '' })
  const { delivered, routing: after } = await deliverToUser(scope, to, routing, { type: 'text', payload: { text: `${prefix}${f.text}` } }, { author: 'human', ticketNumber })
  const next = { ...after, relayedFollowUps: remember(after.relayedFollowUps, f.followUpNumber) }
  await saveRouting(scope.client, to.conversationId, next)
  await scope.client.createEvent({
    type: 'agentReplied',
    payload: { ticketNumber, followUpNumber: f.followUpNumber, text: f.text, author: f.author, delivered, conversationId: to.conversationId, userId: to.userId },
    conversationId: to.conversationId,
    ...(to.userId ? { userId: to.userId } : {}),
  })
  return next
}

const FINAL_TEXT: Record<'resolved' | 'closed' | 'cancelled', TextKey> = {
  resolved: 'ticketResolved',
  closed: 'ticketClosed',
  cancelled: 'ticketCancelled',
}

/**
 * A status change: the bot gets `ticketUpdated`; a final status also tells the user and ends the
 * handoff. The status is recorded only after the user was told (or could not be, for good), so Meta
 * being down leaves it to be announced by the next sync instead of silently keeping the link.
 */
async function announceStatus(scope: FourbizScope, to: Recipient, routing: Routing, ticketNumber: string, status: string) {
  const { client, config } = scope
  const kind = classifyStatus(config, { code: status, name: status })
  const ids = { conversationId: to.conversationId, ...(to.userId ? { userId: to.userId } : {}) }
  let next: Routing = { ...routing, lastStatus: status }
  if (kind !== 'open') {
    const text = automaticText(config, FINAL_TEXT[kind], { ticketNumber })
    next = (await deliverToUser(scope, to, next, { type: 'text', payload: { text } }, { author: 'automatic', ticketNumber })).routing
    await unlinkTicket(scope, to.conversationId, next)
  } else {
    await saveRouting(client, to.conversationId, next)
  }
  await client.createEvent({
    type: 'ticketUpdated',
    payload: { ticketNumber, status, previousStatus: routing.lastStatus, final: kind !== 'open', conversationId: to.conversationId, userId: to.userId },
    ...ids,
  })
  if (kind !== 'open')
    await client.createEvent({ type: 'handoffEnded', payload: { ticketNumber, reason: kind, conversationId: to.conversationId, userId: to.userId }, ...ids })
}

async function userOf(scope: FourbizScope, psid: string): Promise<string | undefined> {
  const { user } = await scope.client.getOrCreateUser({ tags: { psid }, discriminateByTags: ['psid'] })
  return user.id
}
