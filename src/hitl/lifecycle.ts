/**
 * Folder src/hitl: Botpress's `hitl` interface implemented on 4biz tickets: its actions' logic (this
 * module) and its channel (./channel.ts). A HITL session is routed as a Messenger conversation is, so
 * this folder builds on src/routing (which holds what the relay does for a HITL party: routing/hitl*.ts)
 * and imports the src/ utilities, fourbiz and messenger; never actions or webhook.
 */
import { createHash, randomUUID } from 'node:crypto'
import { RuntimeError } from '@botpress/sdk'
import type * as bp from '../typings'
import { emitEvent } from '../events'
import { isNotFound } from '../errors'
import { fourbizScope, numberOrigin, openTicket, requesterOf } from '../fourbiz'
import { ACTION_BUDGET_MS, deadlineIn } from '../routing/deadline'
import { linkTicket } from '../routing/links'
import { partyOf, RoutingProps, withSession } from '../routing/session'
import { finishHitlStop } from '../routing/hitl-stop'
import { loadHitlSession, saveHitlSession } from '../routing/hitl-state'
import { hitlNote } from '../routing/hitl-texts'
import { historyText } from './transcript'

/**
 * The HITL session's life on the 4biz side: the end user (createUser), the ticket and its Botpress
 * conversation on the `hitl` channel (startHitl), and the end from the bot (stopHitl). Once started,
 * the conversation is routed as a Messenger one is: its messages are pending work put on the ticket
 * (src/hitl/channel.ts), analysts' follow-ups and the status come back by push and pull
 * (src/routing/relay.ts → src/routing/hitl.ts).
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
    ...(email
      ? { tags: { email }, discriminateByTags: ['email'] }
      : { tags: { hitlUserKey: randomUUID() }, discriminateByTags: ['hitlUserKey'] }),
  })
  if (user.name !== input.name || (input.pictureUrl && user.pictureUrl !== input.pictureUrl))
    await props.client.updateUser({
      id: user.id,
      name: input.name,
      ...(input.pictureUrl ? { pictureUrl: input.pictureUrl } : {}),
    })
  return { userId: user.id }
}

/**
 * Opens the ticket (title, description, then the conversation history) for the end user and links it to
 * a new conversation on the hitl channel. Idempotent: the ticket key comes from the user and what the
 * call carries, so a retried call finds the same ticket and the same conversation.
 */
export async function startHitlSession(
  props: RoutingProps,
  input: Input<'startHitl'>
): Promise<{ conversationId: string }> {
  const { client, ctx, config } = props
  const user = await client.getUser({ id: input.userId }).then(
    (r) => r.user,
    (err) => {
      if (isNotFound(err))
        throw new RuntimeError(
          `Invalid input for startHitl: "userId" ${input.userId} is not a Botpress user: pass the userId createUser answered.`
        )
      throw err
    }
  )
  const requester = requesterOf(user)
  const history = await historyText(client, input.messageHistory, {
    bot: hitlNote(config, 'bot'),
    user: hitlNote(config, 'user'),
  })
  const summary = input.description?.trim() || hitlNote(config, 'opened')
  const digest = createHash('sha256')
    .update(JSON.stringify([input.title ?? '', input.description ?? '', input.messageHistory]))
    .digest('hex')
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
  const linked = await withSession(
    props,
    partyOf(conversation, user),
    { work: deadline, lock: deadline },
    async (session) => {
      if (session.routing.ticketNumber === ticket.ticketNumber) return false
      await saveHitlSession(client, conversation.id, { requesterUserId: user.id, ticketNumber: ticket.ticketNumber })
      linkTicket(session, { ticketNumber: ticket.ticketNumber, status: ticket.status })
      return true
    }
  )
  if (linked && created) {
    const created = {
      ticketNumber: ticket.ticketNumber,
      numberOrigin: ticket.numberOrigin ?? '',
      requesterLogin: requester.login,
    }
    await emitEvent(client, 'ticketCreated', created, { conversationId: conversation.id, userId: user.id })
  }
  props.logger
    .forBot()
    .info(`HITL session ${conversation.id} opened on 4biz ticket ${ticket.ticketNumber} for ${requester.login}.`)
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
      if (isNotFound(err))
        throw new RuntimeError(
          `Invalid input for stopHitl: "conversationId" ${input.conversationId} is not a conversation of this bot.`
        )
      throw err
    }
  )
  if (conversation.channel !== 'hitl')
    throw new RuntimeError(
      `Invalid input for stopHitl: "conversationId" ${input.conversationId} is not a HITL session of this integration (channel ${conversation.channel}): pass the conversationId startHitl answered.`
    )
  const deadline = deadlineIn(ACTION_BUDGET_MS)
  await withSession(props, partyOf(conversation), { work: deadline, lock: deadline }, async (session) => {
    const hitl = await loadHitlSession(client, conversation.id)
    if (!session.routing.ticketNumber || !hitl) return
    if (!hitl.stopRequested) await saveHitlSession(client, conversation.id, { ...hitl, stopRequested: true })
    await finishHitlStop(session)
  })
  return {}
}
