import { emitEvent } from '../events'
import {
  classifyStatus,
  FollowUp,
  fourbizScope,
  getTicket,
  isAnalystFollowUp,
  isFourbizFailure,
  listFollowUps,
} from '../fourbiz'
import { sameStatus } from '../fourbiz/status'
import { beforeDeadline, Deadline } from './deadline'
import { deliverToUser, Sent } from './deliver'
import { conversationOfTicket, unlinkTicket } from './links'
import { recordAnalystReply } from './record'
import { partyOf, RoutingProps, Session, withSession } from './session'
import { LIMITS, remember } from './state'
import { automaticText, TextKey } from './texts'
import { drain } from './work'
import { hitlStopped, postAnalystMessage } from './hitl'
import { finishHitlStop } from './hitl-stop'
import { must } from '../must'

/** What 4biz says changed on a ticket; absent parts are read from 4biz. */
export type TicketUpdate = {
  followUp?: Pick<FollowUp, 'followUpNumber' | 'text' | 'author' | 'category' | 'numberOrigin'>
  status?: string
}

/**
 * What a relay did. `linked`: the ticket belongs to a Messenger conversation of this integration
 * (handed off or followed); `retry`: Messenger did not take something (down, out of time), sent by the
 * next push or sync; `reason`: why nothing reached anyone, in words for the 4biz admin.
 */
export type RelayResult = {
  linked: boolean
  relayed: number
  statusChanges: number
  pending: number
  retry?: string
  reason?: string
  /** Relayed follow-ups that could not reach the user, with why (the ticket got a note, the bot deliveryFailed). */
  undelivered?: string[]
}

/** A ticket's replies reach its requester for this long after it ended (Messenger's human-agent limit). */
const WATCH_AFTER_END_MS = 7 * 24 * 3600_000

/**
 * Brings the conversation of a ticket up to date, under its lease: messages still waiting for 4biz go
 * first, then analyst follow-ups go to the user (each once, whether by push or pull; the integration's own
 * are never echoed back), then a status change is announced. The conversation is the one handed off on
 * the ticket, else the one of the ticket's requester when it is a Messenger user of this Page — so a
 * ticket opened by createTicket, or a reply written after the ticket ended, still reaches the user.
 */
export async function relayTicketUpdates(
  props: RoutingProps,
  ticketNumber: string,
  update: TicketUpdate,
  deadline: Deadline
): Promise<RelayResult> {
  const conversation =
    (await conversationOfTicket(props, ticketNumber)) ?? (await requesterConversation(props, ticketNumber, deadline))
  const party = conversation && partyOf(conversation)
  if (!party || (!party.psid && !party.hitl))
    return {
      linked: false,
      relayed: 0,
      statusChanges: 0,
      pending: 0,
      reason:
        'the ticket is not linked to a Messenger conversation and its requester is not a Messenger user of this Page',
    }
  return withSession(props, party, { work: deadline, lock: deadline }, async (session) => {
    await drain(session)
    const result = await relayInSession(session, ticketNumber, update, { adopt: true })
    return {
      ...result,
      pending: session.routing.pending.length,
      ...(session.undelivered.length ? { undelivered: session.undelivered } : {}),
    }
  })
}

/** The Messenger conversation of the ticket's requester (`fb.<PSID>`), if it exists already. */
async function requesterConversation(props: RoutingProps, ticketNumber: string, deadline: Deadline) {
  let requesterLogin: string | undefined
  try {
    requesterLogin = (
      await beforeDeadline(deadline, '4biz getById', getTicket(fourbizScope(props, props.config), ticketNumber))
    ).requesterLogin
  } catch (err) {
    if (isFourbizFailure(err, 'unknownTicket')) return undefined
    throw err
  }
  const psid = /^fb\.(\d+)$/.exec(requesterLogin ?? '')?.[1]
  if (!psid) return undefined
  const { conversations } = await props.client.listConversations({
    tags: { psid, pageId: props.ctx.configuration.pageId },
    channel: 'messenger',
  })
  return conversations[0] ?? undefined
}

type Track = { ticketNumber: string; handedOff: boolean; lastStatus?: string }

/** The ticket as the session follows it: handed off (the link), followed (watched), or not at all. */
function trackOf(session: Session, ticketNumber: string): Track | undefined {
  const { routing } = session
  if (routing.ticketNumber === ticketNumber) return { ticketNumber, handedOff: true, lastStatus: routing.lastStatus }
  const watched = routing.watched.find((w) => w.ticketNumber === ticketNumber)
  return watched && { ticketNumber, handedOff: false, lastStatus: watched.lastStatus }
}

/** Follows a ticket of the user that is not handed off (createTicket; a push for one of their tickets). */
export function watchTicket(session: Session, ticketNumber: string, status?: string) {
  const { routing } = session
  if (routing.ticketNumber === ticketNumber || routing.watched.some((w) => w.ticketNumber === ticketNumber)) return
  routing.watched = [...routing.watched, { ticketNumber, lastStatus: status }].slice(-LIMITS.watched)
}

/** The tickets a sync checks for this conversation: the linked one and those followed, ended ones for 7 days. */
export function ticketsToCheck(session: Session): string[] {
  const { routing } = session
  const now = Date.now()
  routing.watched = routing.watched.filter((w) => w.finalAt === undefined || now - w.finalAt < WATCH_AFTER_END_MS)
  return [...(routing.ticketNumber ? [routing.ticketNumber] : []), ...routing.watched.map((w) => w.ticketNumber)]
}

/** The relay for a session already under the lease (syncTicketUpdates, push). */
export async function relayInSession(
  session: Session,
  ticketNumber: string,
  update: TicketUpdate = {},
  opts: { adopt?: boolean } = {}
): Promise<Omit<RelayResult, 'pending'>> {
  const { props } = session
  // a stop the bot asked for (stopHitl) is finished first
  if (session.party.hitl && (await finishHitlStop(session))) return { linked: false, relayed: 0, statusChanges: 0 }
  if (!trackOf(session, ticketNumber)) {
    if (!opts.adopt) return { linked: false, relayed: 0, statusChanges: 0, reason: 'not a ticket of this conversation' }
    watchTicket(session, ticketNumber)
  }
  const scope = session.fourbiz()
  if (!session.party.hitl)
    session.party.userId ??= (
      await props.client.getOrCreateUser({ tags: { psid: session.party.psid }, discriminateByTags: ['psid'] })
    ).user.id

  const onlyStatus = update.status !== undefined && !update.followUp
  let followUps: TicketUpdate['followUp'][] = []
  try {
    // a pushed follow-up without its author may be the user's own words: 4biz's copy says who wrote it
    const pushed = update.followUp
    const listed =
      !pushed?.author && !onlyStatus
        ? await beforeDeadline(session.deadline, '4biz listOccurrences', listFollowUps(scope, ticketNumber))
        : undefined
    followUps = pushed ? [listed?.find((f) => f.followUpNumber === pushed.followUpNumber) ?? pushed] : (listed ?? [])
  } catch (err) {
    if (!isFourbizFailure(err, 'unknownTicket')) throw err
    props.logger
      .forBot()
      .warn(
        `Ticket ${ticketNumber} no longer exists in 4biz; conversation ${session.party.conversationId} stops following it.`
      )
    if (session.party.hitl) await hitlStopped(session)
    forget(session, ticketNumber)
    return { linked: false, relayed: 0, statusChanges: 0, reason: 'the ticket no longer exists in 4biz' }
  }
  let relayed = 0
  for (const f of followUps) {
    if (
      !f ||
      session.routing.relayedFollowUps.includes(f.followUpNumber) ||
      session.routing.ownFollowUps.includes(f.followUpNumber)
    )
      continue
    if (!isAnalystFollowUp(scope, f)) continue
    const sent = await relayFollowUp(
      session,
      must(trackOf(session, ticketNumber), `the track of ticket ${ticketNumber}`),
      f
    )
    if (sent === 'retry')
      return { linked: true, relayed, statusChanges: 0, retry: `follow-up ${f.followUpNumber} not delivered yet` }
    relayed++
  }

  const status =
    update.status ??
    (update.followUp
      ? undefined
      : (await beforeDeadline(session.deadline, '4biz getById', getTicket(scope, ticketNumber))).status)
  const track = must(trackOf(session, ticketNumber), `the track of ticket ${ticketNumber}`)
  if (status === undefined) return { linked: true, relayed, statusChanges: 0 }
  const kind = classifyStatus(props.config, { code: status, name: status })
  // a handed-off ticket that is finished ends the handoff even if its status was already known
  const unchanged = track.lastStatus !== undefined && sameStatus(status, track.lastStatus)
  if (unchanged && !(kind !== 'open' && track.handedOff)) return { linked: true, relayed, statusChanges: 0 }
  const changed = await announceStatus(session, track, status, !unchanged)
  return changed
    ? { linked: true, relayed, statusChanges: unchanged ? 0 : 1 }
    : { linked: true, relayed, statusChanges: 0, retry: `status ${status} not announced yet` }
}

function forget(session: Session, ticketNumber: string) {
  if (session.routing.ticketNumber === ticketNumber) unlinkTicket(session)
  session.routing.watched = session.routing.watched.filter((w) => w.ticketNumber !== ticketNumber)
}

async function relayFollowUp(session: Session, track: Track, f: NonNullable<TicketUpdate['followUp']>): Promise<Sent> {
  const { props, party, routing } = session
  const { ticketNumber } = track
  const prefix = automaticText(props.config, 'agentReplyPrefix', { ticketNumber, author: f.author ?? '' })
  // a HITL session: the analyst's message goes on the HITL conversation, the plugin takes it to the user
  const sent = party.hitl
    ? await postAnalystMessage(session, f)
    : await deliverToUser(session, `${prefix}${f.text}`, { author: 'human', ticketNumber })
  if (sent === 'retry') return sent
  routing.relayedFollowUps = remember(routing.relayedFollowUps, f.followUpNumber, LIMITS.relayedFollowUps)
  await session.checkpoint()
  if (sent === 'sent' && !party.hitl)
    await recordAnalystReply(props, party, {
      ticketNumber,
      followUpNumber: f.followUpNumber,
      text: `${prefix}${f.text}`,
    })
  const reply = {
    ticketNumber,
    followUpNumber: f.followUpNumber,
    text: f.text,
    author: f.author,
    delivered: sent === 'sent',
    handedOff: track.handedOff,
  }
  await emitEvent(props.client, 'agentReplied', reply, party)
  return sent
}

const FINAL_TEXT: Record<'resolved' | 'closed' | 'cancelled', TextKey> = {
  resolved: 'ticketResolved',
  closed: 'ticketClosed',
  cancelled: 'ticketCancelled',
}

/**
 * A status change: the bot gets `ticketUpdated`; a final status also tells the user and, for the
 * handed-off ticket, ends the handoff. The status is recorded only after the user was told (or could
 * not be, for good), so Meta being down leaves it to be announced by the next sync.
 */
async function announceStatus(session: Session, track: Track, status: string, changed: boolean): Promise<boolean> {
  const { props, party, routing } = session
  const { ticketNumber } = track
  const kind = classifyStatus(props.config, { code: status, name: status })
  if (kind !== 'open' && changed) {
    const sent = await deliverToUser(session, automaticText(props.config, FINAL_TEXT[kind], { ticketNumber }), {
      author: 'automatic',
      ticketNumber,
    })
    if (sent === 'retry') return false
  }
  if (track.handedOff) {
    if (kind !== 'open') unlinkTicket(session)
    else routing.lastStatus = status
  }
  // an ended ticket stays followed a while: a late analyst reply still reaches the user
  const watched = routing.watched.find((w) => w.ticketNumber === ticketNumber)
  if (watched)
    Object.assign(watched, {
      lastStatus: status,
      finalAt: kind !== 'open' ? (watched.finalAt ?? Date.now()) : undefined,
    })
  else if (kind !== 'open')
    routing.watched = [...routing.watched, { ticketNumber, lastStatus: status, finalAt: Date.now() }].slice(
      -LIMITS.watched
    )
  await session.checkpoint()
  if (changed) {
    const update = {
      ticketNumber,
      status,
      previousStatus: track.lastStatus,
      final: kind !== 'open',
      handedOff: track.handedOff,
    }
    await emitEvent(props.client, 'ticketUpdated', update, party)
  }
  if (kind !== 'open' && track.handedOff && party.hitl) await hitlStopped(session)
  else if (kind !== 'open' && track.handedOff)
    await emitEvent(props.client, 'handoffEnded', { ticketNumber, reason: kind }, party)
  return true
}
