import { RuntimeError } from '@botpress/sdk'
import { describeError, isOutage } from '../errors'
import { emitEvent } from '../events'
import { addFollowUp, attachFiles, downloadAttachment, isFourbizFailure, numberOrigin, openTicket } from '../fourbiz'
import { requesterOf } from '../fourbiz/requester'
import { beforeDeadline, isPast, OutOfTime } from './deadline'
import { tell } from './deliver'
import { linkTicket, unlinkTicket } from './links'
import type { Session } from './session'
import { fingerprint, isRemembered, LIMITS, remember, Routing, WorkItem } from './state'
import { automaticText } from './texts'
import { hitlTicketGone } from './hitl'
import { must } from '../must'

/**
 * Pending work: the Messenger messages 4biz has not taken yet, kept in the conversation's routing state
 * and put on 4biz in order, each exactly once. A message is queued and then the queue is drained as far
 * as the time budget and 4biz allow; whatever is left is finished by the conversation's next event or
 * by syncTicketUpdates. An attempt whose outcome is unknown (no answer in time, connection lost) counts
 * in `attempts`, and the next attempt reads 4biz back (the follow-up's numberOrigin, the ticket's) before
 * writing, so a write that did commit is not repeated.
 */

export type Queued = 'queued' | 'duplicate' | 'full'

/** Adds a message to the queue unless it was put on 4biz already or is queued (a redelivery or replay). */
export function enqueue(session: Session, item: Omit<WorkItem, 'kind' | 'attempts'>, attempts = 0): Queued {
  const { routing } = session
  if (isKnown(routing, item.key)) return 'duplicate'
  if (!hasRoom(routing, item)) return 'full'
  const opensTicket = !routing.ticketNumber && !routing.pending.some((p) => p.kind === 'open')
  routing.pending.push({ ...item, kind: opensTicket ? 'open' : 'followUp', attempts })
  return 'queued'
}

/** A user's message's follow-up key on 4biz: every copy and every path derives the same from the mid. */
export const followUpOrigin = (props: Pick<Session['props'], 'ctx'>, messageKey: string) =>
  numberOrigin(props.ctx.integrationId, 'followUp', messageKey)

/** Put on 4biz already, or queued. */
export const isKnown = (routing: Routing, key: string) =>
  isRemembered(routing.done, key) || routing.pending.some((p) => p.key === key)

/** Botpress holds 128 KB a state: past 40 messages or 100 KB, Meta keeps the message (503) until 4biz drains. */
export const hasRoom = (routing: Routing, item: Omit<WorkItem, 'kind' | 'attempts'>) =>
  routing.pending.length < LIMITS.pending &&
  Buffer.byteLength(JSON.stringify(routing)) + Buffer.byteLength(JSON.stringify(item)) <= LIMITS.stateBytes

/**
 * Puts queued messages on 4biz, oldest first, until the queue is
 * empty, 4biz fails or time runs out; `left`: still queued.
 */
export async function drain(session: Session): Promise<{ left: number }> {
  const { routing, props } = session
  await announceTicket(session)
  while (routing.pending.length > 0 && !isPast(session.deadline)) {
    const item = must(routing.pending[0], 'the head of the queue')
    try {
      await process(session, item)
      routing.pending.shift()
      routing.done = remember(routing.done, fingerprint(item.key), LIMITS.done)
    } catch (err) {
      if (isFourbizFailure(err, 'unknownTicket') && routing.ticketNumber) {
        // deleted in 4biz: unlink; the queued messages open the next ticket (or go to the bot, src/routing/inbound.ts)
        props.logger
          .forBot()
          .warn(
            `Ticket ${routing.ticketNumber} no longer exists in 4biz; conversation ${session.party.conversationId} is unlinked from it.`
          )
        unlinkTicket(session)
        if (session.party.hitl) await hitlTicketGone(session)
        else if (props.config.helperInterception) await handBackToBot(session)
        else retarget(session)
        continue
      }
      // OutOfTime is an outage too; a 4biz refusal (RuntimeError) keeps the message for after the fix
      if (!isOutage(err) && !(err instanceof RuntimeError)) throw err
      props.logger
        .forBot()
        .warn(
          `4biz did not take a Messenger message of conversation ${session.party.conversationId} yet; it is kept and sent again later: ${describeError(err)}`
        )
      // the request may have reached 4biz and committed: the next attempt reads back first
      if (isOutage(err)) item.attempts++
      await tellUnavailable(session, err)
      break
    }
  }
  if (routing.pending.length === 0) routing.unavailableNoticeAt = undefined
  await announceTicket(session)
  return { left: routing.pending.length }
}

/** After an unlink, queued follow-ups of the old ticket belong to the next one: the first opens it. */
function retarget(session: Session) {
  session.routing.pending = session.routing.pending.map((p, i) => ({
    ...p,
    kind: i === 0 ? 'open' : 'followUp',
    followUpNumber: undefined,
  }))
}

/** Helper on and the ticket gone: the messages that waited for it go to the bot, as the user sent them. */
async function handBackToBot(session: Session) {
  const { routing, props, party } = session
  const userId =
    party.userId ??
    (await props.client.getOrCreateUser({ tags: { psid: party.psid }, discriminateByTags: ['psid'] })).user.id
  for (const item of routing.pending) {
    await props.client.getOrCreateMessage({
      type: 'text',
      payload: { text: item.text },
      userId,
      conversationId: party.conversationId,
      tags: { id: item.key },
      discriminateByTags: ['id'],
    })
  }
  routing.pending = []
}

async function process(session: Session, item: WorkItem) {
  const { routing } = session
  if (item.kind === 'open' && routing.ticketNumber) item.kind = 'followUp' // linked meanwhile (startHandoff)
  if (item.kind === 'open') return openFor(session, item)
  if (!item.followUpNumber) {
    const followUp = await beforeDeadline(
      session.deadline,
      '4biz createOccurrence',
      addFollowUp(session.fourbiz(), {
        ticketNumber: must(routing.ticketNumber, 'the ticket of a queued follow-up'),
        text: item.text,
        at: new Date(item.at),
        numberOrigin: followUpOrigin(session.props, item.key),
        readBack: item.attempts > 0,
      })
    )
    item.followUpNumber = followUp.followUpNumber
    item.attempts = 0
    routing.ownFollowUps = remember(routing.ownFollowUps, followUp.followUpNumber, LIMITS.ownFollowUps)
  }
  await attachRemaining(session, item)
}

/** The conversation's first message (Helper off): a ticket whose numberOrigin every copy derives alike. */
async function openFor(session: Session, item: WorkItem) {
  const { routing, props, party } = session
  const user = (await props.client.getOrCreateUser({ tags: { psid: party.psid }, discriminateByTags: ['psid'] })).user
  const requester = requesterOf(user)
  const key = numberOrigin(props.ctx.integrationId, 'ticket', party.conversationId, routing.nextTicketKey)
  const { ticket } = await beforeDeadline(
    session.deadline,
    '4biz request/create',
    openTicket(session.fourbiz(), {
      requester,
      description: item.text,
      numberOrigin: key,
      conversationId: party.conversationId,
      announce: false,
    })
  )
  linkTicket(session, { ticketNumber: ticket.ticketNumber, status: ticket.status, since: item.at })
  routing.announce = {
    ticketNumber: ticket.ticketNumber,
    numberOrigin: key,
    requesterLogin: requester.login,
    eventsSent: false,
  }
  item.kind = 'followUp'
  item.followUpNumber = 'description'
  item.attempts = 0
  await attachRemaining(session, item)
}

/** Attachments one by one, each removed from the item once 4biz has it. */
async function attachRemaining(session: Session, item: WorkItem) {
  while (item.files.length > 0) {
    const url = must(item.files[0], 'the next attachment')
    let file
    try {
      file = await beforeDeadline(session.deadline, 'attachment download', downloadAttachment(url))
    } catch (err) {
      if (err instanceof OutOfTime) throw err
      // an expired or refused URL stays the link already written in the follow-up
      session.props.logger
        .forBot()
        .warn(`A Messenger attachment could not be copied to 4biz and stays a link: ${describeError(err)}`)
      item.files.shift()
      continue
    }
    await beforeDeadline(
      session.deadline,
      '4biz addAttachments',
      attachFiles(session.fourbiz().fourbiz, must(session.routing.ticketNumber, 'the ticket of a queued attachment'), [
        file,
      ])
    )
    item.files.shift()
  }
}

/**
 * The ticket opened for the user: the bot gets ticketCreated and handoffStarted, the user the number,
 * each once. Events go first and are checkpointed, so a copy dying afterwards never sends them twice.
 */
async function announceTicket(session: Session) {
  const { routing, props, party } = session
  const announce = routing.announce
  if (!announce) return
  if (!announce.eventsSent) {
    const created = {
      ticketNumber: announce.ticketNumber,
      numberOrigin: announce.numberOrigin,
      requesterLogin: announce.requesterLogin,
    }
    await emitEvent(props.client, 'ticketCreated', created, party)
    await emitEvent(props.client, 'handoffStarted', { ticketNumber: announce.ticketNumber }, party)
    announce.eventsSent = true
    await session.checkpoint()
  }
  if (isPast(session.deadline)) return
  const sent = await tell(
    session,
    automaticText(props.config, 'ticketOpened', { ticketNumber: announce.ticketNumber }),
    announce.ticketNumber
  )
  if (sent !== 'retry') routing.announce = undefined
}

const NOTICE_EVERY_MS = 60 * 60_000

/** Tells the user at most once an hour that the desk cannot take their message yet. */
async function tellUnavailable(session: Session, err: unknown) {
  const { routing, props } = session
  if (!isOutage(err))
    props.logger
      .forBot()
      .error(`4biz refused a Messenger message; fix the configuration (the message is kept): ${describeError(err)}`)
  if (Date.now() - (routing.unavailableNoticeAt ?? 0) < NOTICE_EVERY_MS) return
  routing.unavailableNoticeAt = Date.now()
  await tell(session, automaticText(props.config, 'ticketUnavailable'), routing.ticketNumber)
}
