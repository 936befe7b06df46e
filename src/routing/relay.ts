import { classifyStatus, FollowUp, getTicket, isFourbizFailure, isOwnFollowUp, listFollowUps } from '../fourbiz'
import { sameStatus } from '../fourbiz/status'
import { beforeDeadline, Deadline } from './deadline'
import { deliverToUser, Sent } from './deliver'
import { conversationOfTicket, unlinkTicket } from './links'
import { partyOf, RoutingProps, Session, withSession } from './session'
import { LIMITS, remember } from './state'
import { automaticText, TextKey } from './texts'
import { drain } from './work'
import { finishHitlStop } from '../hitl/lifecycle'
import { hitlStopped, postAnalystMessage } from '../hitl/relay'

/** What 4biz says changed on a ticket; absent parts are read from 4biz. */
export type TicketUpdate = { followUp?: Pick<FollowUp, 'followUpNumber' | 'text' | 'author'>; status?: string }

/** `retry`: Messenger did not take something (down, out of time); it is sent by the next push or sync. */
export type RelayResult = { linked: boolean; relayed: number; statusChanges: number; pending: number; retry?: string }

/**
 * Brings the conversation linked to a ticket up to date, under its lease: messages still waiting for
 * 4biz go first, then analyst follow-ups go to the user (each once, whether it came by push or pull;
 * the integration's own are never echoed back), and a status change is announced; a final one ends
 * the handoff.
 */
export async function relayTicketUpdates(props: RoutingProps, ticketNumber: string, update: TicketUpdate, deadline: Deadline): Promise<RelayResult> {
  const conversation = await conversationOfTicket(props, ticketNumber)
  const party = conversation && partyOf(conversation)
  if (!party || (!party.psid && !party.hitl)) return { linked: false, relayed: 0, statusChanges: 0, pending: 0 }
  return withSession(props, party, { work: deadline, lock: deadline }, async (session) => {
    await drain(session)
    if (session.routing.ticketNumber !== ticketNumber) return { linked: false, relayed: 0, statusChanges: 0, pending: session.routing.pending.length }
    return { ...(await relayInSession(session, update)), pending: session.routing.pending.length }
  })
}

/** The relay for a session already under the lease (syncTicketUpdates, push). */
export async function relayInSession(session: Session, update: TicketUpdate = {}): Promise<Omit<RelayResult, 'pending'>> {
  const { routing, props } = session
  const ticketNumber = routing.ticketNumber
  if (!ticketNumber) return { linked: false, relayed: 0, statusChanges: 0 }
  if (session.party.hitl && (await finishHitlStop(session))) return { linked: false, relayed: 0, statusChanges: 0 }
  const scope = session.fourbiz()
  if (!session.party.hitl) session.party.userId ??= (await props.client.getOrCreateUser({ tags: { psid: session.party.psid }, discriminateByTags: ['psid'] })).user.id

  const onlyStatus = update.status !== undefined && !update.followUp
  let followUps: TicketUpdate['followUp'][] = []
  try {
    followUps = update.followUp ? [update.followUp] : onlyStatus ? [] : await beforeDeadline(session.deadline, '4biz listOccurrences', listFollowUps(scope, ticketNumber))
  } catch (err) {
    if (!isFourbizFailure(err, 'unknownTicket')) throw err
    props.logger.forBot().warn(`Ticket ${ticketNumber} no longer exists in 4biz; conversation ${session.party.conversationId} is unlinked from it.`)
    unlinkTicket(session)
    if (session.party.hitl) await hitlStopped(session)
    return { linked: false, relayed: 0, statusChanges: 0 }
  }
  let relayed = 0
  for (const f of followUps) {
    if (!f || routing.relayedFollowUps.includes(f.followUpNumber) || routing.ownFollowUps.includes(f.followUpNumber)) continue
    if (isOwnFollowUp(scope, f)) continue
    const sent = await relayFollowUp(session, ticketNumber, f)
    if (sent === 'retry') return { linked: true, relayed, statusChanges: 0, retry: `follow-up ${f.followUpNumber} not delivered yet` }
    relayed++
  }

  const status = update.status ?? (update.followUp ? undefined : (await beforeDeadline(session.deadline, '4biz getById', getTicket(scope, ticketNumber))).status)
  if (status === undefined || (routing.lastStatus !== undefined && sameStatus(status, routing.lastStatus))) return { linked: true, relayed, statusChanges: 0 }
  const changed = await announceStatus(session, ticketNumber, status)
  return changed ? { linked: true, relayed, statusChanges: 1 } : { linked: true, relayed, statusChanges: 0, retry: `status ${status} not announced yet` }
}

async function relayFollowUp(session: Session, ticketNumber: string, f: NonNullable<TicketUpdate['followUp']>): Promise<Sent> {
  const { props, party, routing } = session
  const prefix = automaticText(props.config, 'agentReplyPrefix', { ticketNumber, author: f.author ?? '' })
  const sent = party.hitl ? await postAnalystMessage(session, f) : await deliverToUser(session, `${prefix}${f.text}`, { author: 'human', ticketNumber })
  if (sent === 'retry') return sent
  routing.relayedFollowUps = remember(routing.relayedFollowUps, f.followUpNumber, LIMITS.relayedFollowUps)
  await session.checkpoint()
  const ids = { conversationId: party.conversationId, ...(party.userId ? { userId: party.userId } : {}) }
  await props.client.createEvent({
    type: 'agentReplied',
    payload: { ticketNumber, followUpNumber: f.followUpNumber, text: f.text, author: f.author, delivered: sent === 'sent', ...ids },
    ...ids,
  })
  return sent
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
async function announceStatus(session: Session, ticketNumber: string, status: string): Promise<boolean> {
  const { props, party, routing } = session
  const kind = classifyStatus(props.config, { code: status, name: status })
  const previousStatus = routing.lastStatus
  if (kind !== 'open') {
    const sent = await deliverToUser(session, automaticText(props.config, FINAL_TEXT[kind], { ticketNumber }), { author: 'automatic', ticketNumber })
    if (sent === 'retry') return false
    unlinkTicket(session)
  } else {
    routing.lastStatus = status
  }
  await session.checkpoint()
  const ids = { conversationId: party.conversationId, ...(party.userId ? { userId: party.userId } : {}) }
  await props.client.createEvent({
    type: 'ticketUpdated',
    payload: { ticketNumber, status, previousStatus, final: kind !== 'open', ...ids },
    ...ids,
  })
  if (kind !== 'open' && party.hitl) await hitlStopped(session)
  else if (kind !== 'open') await props.client.createEvent({ type: 'handoffEnded', payload: { ticketNumber, reason: kind, ...ids }, ...ids })
  return true
}
