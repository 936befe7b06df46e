import { describeError, isOutage } from '../errors'
import { addFollowUp, cancelTicket, numberOrigin } from '../fourbiz'
import { beforeDeadline } from './deadline'
import { hitlStopped } from './hitl'
import { loadHitlSession } from './hitl-state'
import { hitlNote } from './hitl-texts'
import { unlinkTicket } from './links'
import type { Session } from './session'
import { LIMITS, remember } from './state'
import { drain } from './work'

/**
 * Finishes a stop the bot asked for, under the lease; true when one was asked for (done or still
 * waiting for 4biz), so the relay leaves the session alone.
 */
export async function finishHitlStop(session: Session): Promise<boolean> {
  const { props, party, routing } = session
  const hitl = await loadHitlSession(props.client, party.conversationId)
  if (!hitl?.stopRequested) return false
  const ticketNumber = routing.ticketNumber
  if (!ticketNumber) return true
  const { left } = await drain(session)
  if (left > 0) return true
  try {
    const scope = session.fourbiz()
    const key = numberOrigin(props.ctx.integrationId, 'followUp', 'hitl-stop', party.conversationId, ticketNumber)
    const written = await beforeDeadline(
      session.deadline,
      '4biz createOccurrence',
      addFollowUp(scope, { ticketNumber, text: hitlNote(props.config, 'stopped'), numberOrigin: key, readBack: true })
    )
    routing.ownFollowUps = remember(routing.ownFollowUps, written.followUpNumber, LIMITS.ownFollowUps)
    if (props.config.hitlCancelOnStop)
      await beforeDeadline(
        session.deadline,
        '4biz updateStatus',
        cancelTicket(scope, ticketNumber, hitlNote(props.config, 'cancelled'))
      )
  } catch (err) {
    if (!isOutage(err)) throw err
    props.logger
      .forBot()
      .warn(
        `HITL session ${party.conversationId}: 4biz did not take the end of the session yet; it is finished later: ${describeError(err)}`
      )
    return true
  }
  unlinkTicket(session)
  await hitlStopped(session)
  return true
}
