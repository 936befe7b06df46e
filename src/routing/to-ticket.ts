import { RuntimeError } from '@botpress/sdk'
import { isOutage, LeftWithMeta } from '../errors'
import type { Incoming } from '../messenger/inbound'
import { addFollowUp, findFollowUp, type FourbizScope, fourbizScope } from '../fourbiz'
import { beforeDeadline, type Deadlines, isPast } from './deadline'
import { claimUserMessage, ForeignClaim } from './record'
import type { Party, RoutingProps } from './session'
import { loadRouting, WorkItem } from './state'
import { followUpOrigin, isKnown } from './work'

/**
 * A follow-up on a linked ticket with nothing waiting before it, without the conversation's lease or
 * its routing state: the record's claim (src/routing/record.ts) makes one copy its owner, which puts it
 * on the ticket under a numberOrigin derived from the mid. Three round trips, like any message: the
 * conversation and user, the claim, 4biz. Whatever goes wrong from there hands the message to the queue
 * (src/routing/work.ts), which reads 4biz back before writing again.
 */

export type TicketMessage = Omit<WorkItem, 'kind' | 'attempts'> & { incoming: Incoming }
type ViaQueue = (opts: { claimed: boolean; attempts: number }) => Promise<void>

/** A claim older than this whose message is neither on 4biz nor queued was left by a copy that died. */
const CLAIM_STALE_MS = 30_000
const SETTLE_POLL_MS = 150

/** The ticket a message goes straight to, if the tags allow: linked, queue empty, sent after the link, no files. */
export function straightTicket(tags: Record<string, string | undefined>, m: TicketMessage, helperOn: boolean) {
  if (!tags.ticketNumber || tags.ticketQueue !== 'empty' || m.files.length > 0) return undefined
  // Helper on: a message sent before the handoff belongs to the bot; the session decides
  if (helperOn && !(tags.linkedAt !== undefined && m.at >= Number(tags.linkedAt))) return undefined
  return tags.ticketNumber
}

export async function straightToTicket(
  props: RoutingProps,
  party: Party & { userId: string },
  ticketNumber: string,
  m: TicketMessage,
  deadlines: Deadlines,
  viaQueue: ViaQueue
) {
  const claim = await claimUserMessage(props, party, { key: m.key, at: m.at, incoming: m.incoming, ticketNumber })
  if (!claim.mine) return settle(props, party, m, claim, deadlines, viaQueue)
  try {
    const scope = fourbizScope(props, props.config, { deadline: deadlines.work.at })
    const key = followUpOrigin(props, m.key)
    await beforeDeadline(
      deadlines.work,
      '4biz createOccurrence',
      addFollowUp(scope, { ticketNumber, text: m.text, at: new Date(m.at), numberOrigin: key })
    )
  } catch (err) {
    // 4biz down, slow or refusing, or the ticket gone: the queue takes over (an unknown outcome is read back)
    if (!isOutage(err) && !(err instanceof RuntimeError)) throw err
    await viaQueue({ claimed: true, attempts: isOutage(err) ? 1 : 0 })
  }
}

/**
 * Another copy owns the message. Done when its work shows: queued or done in the routing state, or on
 * the ticket under its numberOrigin. An owner that left no trace for CLAIM_STALE_MS died: the queue takes
 * the message over, reading 4biz back first. Until then the owner is at work, and this delivery waits
 * for it, then leaves the message with Meta.
 */
export async function settle(
  props: RoutingProps,
  party: Party,
  m: TicketMessage,
  claim: ForeignClaim,
  deadlines: Deadlines,
  viaQueue: ViaQueue
) {
  const key = followUpOrigin(props, m.key)
  const scope = fourbizScope(props, props.config, { deadline: deadlines.work.at })
  for (;;) {
    const routing = await loadRouting(props.client, party.conversationId)
    if (isKnown(routing, m.key)) return
    if (routing.ticketNumber && (await onTicket(scope, routing.ticketNumber, key, deadlines))) return
    if (Date.now() - claim.claimedAt > CLAIM_STALE_MS) return viaQueue({ claimed: true, attempts: 1 })
    // the owner is still at work (or died a moment ago): Meta redelivers this one later
    if (isPast(deadlines.work))
      throw new LeftWithMeta(
        `Another copy of the integration is putting a message of conversation ${party.conversationId} on 4biz; Meta will redeliver this one`
      )
    await new Promise((r) => setTimeout(r, SETTLE_POLL_MS))
  }
}

/** Whether 4biz has the follow-up; 4biz failing says "not yet" (the owner queues the message when it fails too). */
async function onTicket(
  scope: FourbizScope,
  ticketNumber: string,
  key: string,
  deadlines: Deadlines
): Promise<boolean> {
  try {
    return !!(await beforeDeadline(deadlines.work, '4biz listOccurrences', findFollowUp(scope, ticketNumber, key)))
  } catch (err) {
    if (isOutage(err) || err instanceof RuntimeError) return false
    throw err
  }
}
