import { describeError } from '../errors'
import { emitEvent } from '../events'
import { addFollowUp } from '../fourbiz'
import { graphClientFor } from '../messenger/graph-client'
import { GraphError } from '../messenger/graph-errors'
import { deliverToPsid } from '../messenger/send'
import { beforeDeadline, isPast, OutOfTime, remainingMs } from './deadline'
import type { Session } from './session'
import { LIMITS, remember } from './state'
import { undeliveredNote } from './texts'
import { deliveryFor, STANDARD_WINDOW_MS } from './window'

export type Sent = 'sent' | 'undeliverable' | 'retry'

/**
 * Sends a text to the Messenger user of the session's conversation under the window policy. When it
 * cannot be delivered for good (window, user unavailable, refused by Meta) the ticket gets a note and
 * the bot a `deliveryFailed` event; Meta down or out of time is 'retry' (nothing recorded as sent).
 */
export async function deliverToUser(
  session: Session,
  text: string,
  opts: { author: 'human' | 'automatic'; ticketNumber?: string }
): Promise<Sent> {
  const { props, party } = session
  // a HITL session's user is on another channel: the HITL plugin tells them itself (src/hitl)
  if (party.hitl) return 'sent'
  const lastUserMessageAt = await windowStart(session)
  const policy = deliveryFor({
    lastUserMessageAt,
    now: Date.now(),
    author: opts.author,
    humanAgentTag: props.config.humanAgentTag,
  })
  if (!policy.send) {
    await undeliverable(session, opts.ticketNumber, policy.reason, 'window')
    return 'undeliverable'
  }
  if (isPast(session.deadline)) return 'retry'
  try {
    const options =
      policy.messagingType === 'MESSAGE_TAG'
        ? { messagingType: 'MESSAGE_TAG' as const, tag: policy.tag }
        : { messagingType: policy.messagingType }
    // the Graph client's own overall budget ends with ours: nothing keeps running after the answer
    const graph = graphClientFor(props.config, {
      logger: props.logger,
      retry: { timeoutMs: remainingMs(session.deadline) },
    })
    await beforeDeadline(
      session.deadline,
      'Messenger Send API',
      deliverToPsid(graph, party.psid, { type: 'text', payload: { text } }, options)
    )
    return 'sent'
  } catch (err) {
    if (err instanceof GraphError && !err.retryable) {
      await undeliverable(session, opts.ticketNumber, err.toRuntimeError().message, String(err.code ?? err.kind))
      return 'undeliverable'
    }
    if (err instanceof GraphError || err instanceof OutOfTime) {
      props.logger
        .forBot()
        .warn(
          `Messenger did not take a message for PSID ${party.psid} yet; it is sent again later: ${describeError(err)}`
        )
      return 'retry'
    }
    throw err
  }
}

/**
 * When the user last wrote. Messages that went through the queue keep it in the routing state; the
 * others are only Botpress messages (to the bot, or records of follow-ups: no state write per message),
 * so when the state knows of nothing recent the conversation's newest user message tells.
 */
async function windowStart(session: Session): Promise<number | undefined> {
  const { routing, props, party } = session
  const known = routing.lastUserMessageAt
  // once per session: relaying several replies reads the conversation once
  if ((known !== undefined && Date.now() - known < STANDARD_WINDOW_MS) || session.windowChecked) return known
  session.windowChecked = true
  const { messages } = await props.client.listMessages({ conversationId: party.conversationId })
  // the user's messages to the bot and the records of those to a ticket (a follow-up writes no state)
  const newest = messages
    .filter((m) => m.direction === 'incoming')
    .reduce((at, m) => Math.max(at, Number(m.tags.sentAt) || Date.parse(m.createdAt) || 0), 0)
  if (newest > (known ?? 0)) routing.lastUserMessageAt = newest
  return routing.lastUserMessageAt
}

/** An automatic text: best effort, but a Meta outage leaves it to be sent again ('retry'). */
export async function tell(session: Session, text: string, ticketNumber?: string): Promise<Sent> {
  return deliverToUser(session, text, { author: 'automatic', ticketNumber })
}

async function undeliverable(session: Session, ticketNumber: string | undefined, reason: string, code: string) {
  const { props, party, routing } = session
  session.undelivered.push(reason)
  props.logger
    .forBot()
    .warn(
      `A message for PSID ${party.psid}${ticketNumber ? ` (ticket ${ticketNumber})` : ''} was not delivered: ${reason}`
    )
  if (ticketNumber) {
    const note = await beforeDeadline(
      session.deadline,
      '4biz createOccurrence',
      addFollowUp(session.fourbiz(), { ticketNumber, text: `${undeliveredNote(props.config)}: ${reason}` })
    ).catch((err) => {
      props.logger
        .forBot()
        .warn(`Could not note on ticket ${ticketNumber} that a message was not delivered: ${describeError(err)}`)
      return undefined
    })
    if (note) routing.ownFollowUps = remember(routing.ownFollowUps, note.followUpNumber, LIMITS.ownFollowUps)
  }
  await emitEvent(props.client, 'deliveryFailed', { ticketNumber, reason, code }, party)
}
