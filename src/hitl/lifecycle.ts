import { createHash, randomUUID } from 'node:crypto'
import { RuntimeError } from '@botpress/sdk'
import type * as bp from '../typings'
import { emitEvent } from '../events'
import { describeError, isNotFound, isOutage } from '../errors'
import { addFollowUp, cancelTicket, fourbizScope, numberOrigin, openTicket, requesterOf } from '../fourbiz'
import { ACTION_BUDGET_MS, beforeDeadline, deadlineIn } from '../routing/deadline'
import { linkTicket, unlinkTicket } from '../routing/links'
import { partyOf, RoutingProps, Session, withSession } from '../routing/session'
import { LIMITS, remember } from '../routing/state'
import { drain } from '../routing/work'
import { hitlStopped } from './relay'
import { loadHitlSession, saveHitlSession } from './state'
import { hitlNote } from './texts'
import { historyText } from './transcript'

/**
 * The HITL session's life on the 4biz side: the end user (createUser), the ticket and its Botpress
 * conversation on the `hitl` channel (startHitl), and the end from the bot (stopHitl). Once started,
 * the conversation is routed as a Messenger one is: its messages are pending work put on the ticket
 * (src/hitl/channel.ts), analysts' follow-ups and the status come back by push and pull
 * (src/routing/relay.ts → src/hitl/relay.ts).
 */

type Input<K extends 'createUser' | 'startHitl' | 'stopHitl'> = bp.actionsTypes.Input<K>

/**
 * The Botpress user of an end user. 4biz has no requester API: the requester is created with the first
 * ticket (startHitl), its login derived from this user. An email makes the call idempotent (the plugin
 * always gives one); without it every call is a new user.
 */
export async function createHitlUser(props: RoutingProps, input: Input<'createUser'>): Promise<{ userId: string }> {
  const email = input.email?.trim() || undefined
  const { user } = await props.client.getOrCreateUser({
    name: input.name,
    ...(input.pictureUrl ? { pictureUrl: input.pictureUrl } : {}),
    ...(email ? { tags: { email }, discriminateByTags: ['email'] } : { tags: { hitlUserKey: randomUUID() }, discriminateByTags: ['hitlUserKey'] }),
  })
  if (user.name !== input.name || (input.pictureUrl && user.pictureUrl !== input.pictureUrl))
    await props.client.updateUser({ id: user.id, name: input.name, ...(input.pictureUrl ? { pictureUrl: input.pictureUrl } : {}) })
  return { userId: user.id }
}

/**
 * Opens the ticket (title, description, then the conversation history) for the end user and links it to
 * a new conversation on the hitl channel. Idempotent: the ticket key comes from the user and what the
 * call carries, so a retried call finds the same ticket and the same conversation.
 */
export async function startHitlSession(props: RoutingProps, input: Input<'startHitl'>): Promise<{ conversationId: string }> {
  const { client, ctx, config } = props
  const user = await client.getUser({ id: input.userId }).then(
    (r) => r.user,
    (err) => {
      if (isNotFound(err)) throw new RuntimeError(`Invalid input for startHitl: "userId" ${input.userId} is not a Botpress user: pass the userId createUser answered.`)
      throw err
    }
  )
  const requester = requesterOf(user)
  const history = await historyText(client, input.messageHistory, { bot: hitlNote(config, 'bot'), user: hitlNote(config, 'user') })
  const summary = input.description?.trim() || hitlNote(config, 'opened')
  const digest = createHash('sha256').update(JSON.stringify([input.title ?? '', input.description ?? '', input.messageHistory])).digest('hex')
  const options = input.hitlSession ?? {}
  const { ticket, created } = await openTicket(fourbizScope(props, config), {
    requester,
    title: input.title,
    description: history ? `${summary}\n\n${history}` : summary,
    activity: options.activity,
    urgency: options.urgency,
    impact: options.impact,
    type: options.type,
    numberOrigin: numberOrigin(ctx.integrationId, 'ticket', 'hitl', user.id, digest),
    announce: false,
  })
  const { conversation } = await client.getOrCreateConversation({
    channel: 'hitl',
    tags: { hitlTicket: ticket.ticketNumber },
    discriminateByTags: ['hitlTicket'],
  })
  const deadline = deadlineIn(ACTION_BUDGET_MS)
  const linked = await withSession(props, partyOf(conversation, user), { work: deadline, lock: deadline }, async (session) => {
    if (session.routing.ticketNumber === ticket.ticketNumber) return false
    await saveHitlSession(client, conversation.id, { requesterUserId: user.id, ticketNumber: ticket.ticketNumber })
    linkTicket(session, { ticketNumber: ticket.ticketNumber, status: ticket.status })
    return true
  })
  if (linked && created) {
    const created = { ticketNumber: ticket.ticketNumber, numberOrigin: ticket.numberOrigin ?? '', requesterLogin: requester.login }
    await emitEvent(client, 'ticketCreated', created, { conversationId: conversation.id, userId: user.id })
  }
  props.logger.forBot().info(`HITL session ${conversation.id} opened on 4biz ticket ${ticket.ticketNumber} for ${requester.login}.`)
  return { conversationId: conversation.id }
}

/**
 * The bot (the HITL plugin's stop, end command or agent timeout) ends the session: what the user sent
 * last goes on the ticket first, then a note tells the analyst nobody waits any more; with
 * `hitlCancelOnStop` the ticket is cancelled too. Then the conversation is unlinked and hitlStopped
 * goes out (the plugin ignores it for a session it already closed). 4biz down does not fail the call:
 * the stop is recorded and finished by the next push or syncTicketUpdates. Stopping twice does nothing.
 */
export async function stopHitlSession(props: RoutingProps, input: Input<'stopHitl'>): Promise<Record<string, never>> {
  const { client } = props
  const conversation = await client.getConversation({ id: input.conversationId }).then(
    (r) => r.conversation,
    (err) => {
      if (isNotFound(err)) throw new RuntimeError(`Invalid input for stopHitl: "conversationId" ${input.conversationId} is not a conversation of this bot.`)
      throw err
    }
  )
  if (conversation.channel !== 'hitl')
    throw new RuntimeError(`Invalid input for stopHitl: "conversationId" ${input.conversationId} is not a HITL session of this integration (channel ${conversation.channel}): pass the conversationId startHitl answered.`)
  const deadline = deadlineIn(ACTION_BUDGET_MS)
  await withSession(props, partyOf(conversation), { work: deadline, lock: deadline }, async (session) => {
    const hitl = await loadHitlSession(client, conversation.id)
    if (!session.routing.ticketNumber || !hitl) return
    if (!hitl.stopRequested) await saveHitlSession(client, conversation.id, { ...hitl, stopRequested: true })
    await finishHitlStop(session)
  })
  return {}
}

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
    const written = await beforeDeadline(session.deadline, '4biz createOccurrence', addFollowUp(scope, { ticketNumber, text: hitlNote(props.config, 'stopped'), numberOrigin: key, readBack: true }))
    routing.ownFollowUps = remember(routing.ownFollowUps, written.followUpNumber, LIMITS.ownFollowUps)
    if (props.config.hitlCancelOnStop) await beforeDeadline(session.deadline, '4biz updateStatus', cancelTicket(scope, ticketNumber, hitlNote(props.config, 'cancelled')))
  } catch (err) {
    if (!isOutage(err)) throw err
    props.logger.forBot().warn(`HITL session ${party.conversationId}: 4biz did not take the end of the session yet; it is finished later: ${describeError(err)}`)
    return true
  }
  unlinkTicket(session)
  await hitlStopped(session)
  return true
}
