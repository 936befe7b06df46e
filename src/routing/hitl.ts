import { emitEvent } from '../events'
import type { FollowUp } from '../fourbiz'
import type { Sent } from './deliver'
import { loadHitlSession, saveHitlSession } from './hitl-state'
import type { Session } from './session'

/**
 * The routing of a HITL session's conversation (a party on the hitl channel), where it differs from a
 * Messenger one; src/routing/relay.ts and work.ts call these (and ./hitl-stop.ts), src/hitl builds the session on them.
 * The HITL side of the relay:
 * an analyst's follow-up becomes a message on the HITL conversation from a Botpress user standing for
 * the analyst, which the HITL plugin relays to the end user on whatever channel they are.
 */

/**
 * Posts a follow-up as the analyst's message, once: the message is keyed by the follow-up number, so a
 * copy that dies between posting and recording it (push and pull racing, a redelivery) finds it again
 * instead of posting twice. The first analyst to write is the one who took the ticket: `hitlAssigned`
 * goes out once, before their first message, so the plugin shows "an agent joined" before the reply.
 */
export async function postAnalystMessage(
  session: Session,
  f: Pick<FollowUp, 'followUpNumber' | 'text' | 'author'>
): Promise<Sent> {
  const { props, party } = session
  const { client } = props
  const login = f.author?.trim() || 'analyst'
  const { user: analyst } = await client.getOrCreateUser({
    name: login,
    tags: { fourbizAnalyst: login },
    discriminateByTags: ['fourbizAnalyst'],
  })
  const hitl = await loadHitlSession(client, party.conversationId)
  if (hitl && !hitl.agentUserId) {
    // recorded first: were the event lost with a dying copy, the plugin still assigns on the message
    await saveHitlSession(client, party.conversationId, { ...hitl, agentUserId: analyst.id })
    await emitEvent(client, 'hitlAssigned', { userId: analyst.id }, { conversationId: party.conversationId })
  }
  await client.getOrCreateMessage({
    type: 'text',
    payload: { text: f.text },
    userId: analyst.id,
    conversationId: party.conversationId,
    tags: { followUpNumber: f.followUpNumber },
    discriminateByTags: ['followUpNumber'],
  })
  return 'sent'
}

/**
 * The session is over on the 4biz side (resolved, closed, cancelled, gone, or
 * stopped from the bot): the plugin hands the user back to the bot.
 */
export async function hitlStopped(session: Session): Promise<void> {
  const { props, party } = session
  const hitl = await loadHitlSession(props.client, party.conversationId)
  if (hitl?.stoppedAt) return
  await session.checkpoint()
  await emitEvent(props.client, 'hitlStopped', {}, { conversationId: party.conversationId })
  if (hitl) await saveHitlSession(props.client, party.conversationId, { ...hitl, stoppedAt: Date.now() })
}

/** The ticket no longer exists in 4biz: what waited for it has nowhere to go, and the session ends. */
export async function hitlTicketGone(session: Session): Promise<void> {
  session.props.logger
    .forBot()
    .warn(
      `HITL session ${session.party.conversationId}: ${session.routing.pending.length} message(s) for the deleted ticket are dropped.`
    )
  session.routing.pending = []
  await hitlStopped(session)
}
