import type * as bp from '../typings'
import type { Config } from '../config'
import { emitEvent, type EventPayload, type EventType } from '../events'
import { ensureConversationAndUser } from '../messenger/identity'
import { toIncoming } from '../messenger/inbound'
import { rehostMedia } from '../messenger/media'
import { OWN_ECHO_METADATA } from '../messenger/send-api'
import type { MessengerEvent } from '../messenger/webhook-events'
import { openWindow, recordOnTicket, routeUserMessage } from '../routing/inbound'
import { partyOf, withSession } from '../routing/session'
import { fingerprint, isRemembered, LIMITS, remember } from '../routing/state'
import { type Deadlines, remainingMs } from '../routing/deadline'
import { drain } from '../routing/work'

export type DispatchProps = bp.CommonProps & { config: Config; deadlines: Deadlines }

/**
 * What one Messenger event means for Botpress: a message for the bot, an event for a flow, or a log.
 * Throws only when the event could not be recorded (the caller decides whether Meta must redeliver).
 */
export async function dispatchEvent(props: DispatchProps, event: MessengerEvent): Promise<void> {
  const { logger } = props
  switch (event.kind) {
    case 'message':
    case 'postback':
      if (event.standby) return recordStandby(props, event)
      return routeMessage(props, event)
    case 'echo':
      return recordEcho(props, event)
    case 'reaction':
      return emitOnce(props, event, 'reactionReceived', {
        mid: event.mid,
        action: event.action,
        reaction: event.reaction,
        emoji: event.emoji,
      })
    case 'edit':
      // on a handed-off conversation the analyst needs the correction; the bot gets the event either way
      if (event.psid && event.text)
        await recordOnTicket(props, event, { type: 'text', payload: { text: event.text } }, 'edited', props.deadlines)
      return emitOnce(props, event, 'messageEdited', { mid: event.mid, text: event.text, numEdit: event.numEdit })
    case 'referral':
      return emitOnce(props, event, 'referralReceived', {
        ref: event.ref,
        source: event.source,
        type: event.type,
        adId: event.adId,
        userRef: event.psid ? undefined : event.userRef,
      })
    case 'optin':
      return emitOnce(props, event, 'optinReceived', {
        type: event.type,
        ref: event.ref,
        payload: event.payload,
        userRef: event.userRef,
        token: event.token,
        status: event.status,
      })
    case 'accountLinking':
      return emitOnce(props, event, 'accountLinking', {
        status: event.status,
        authorizationCode: event.authorizationCode,
      })
    case 'read':
      if (event.standby) return
      return emit(props, event, 'messagesRead', { watermark: event.watermark })
    case 'delivery':
      logger.debug(`Delivery to PSID ${event.psid}: ${event.mids.length} message(s) up to ${event.watermark ?? '?'}`)
      return
    case 'handover':
      logger
        .forBot()
        .info(`Thread control (${event.action}) for PSID ${event.psid ?? '?'}: ${JSON.stringify(event.detail)}`)
      return
    case 'policy':
      logger
        .forBot()
        .warn(`Meta policy enforcement on the Page: ${event.action}${event.reason ? ` — ${event.reason}` : ''}`)
      return
    case 'unknown':
      logger.debug(`Ignored a Messenger event of an unhandled kind (${event.fields.join(', ') || 'no fields'})`)
      return
  }
}

/** A user's message or postback: to the bot, or to the linked ticket (src/routing/inbound.ts). */
async function routeMessage(props: DispatchProps, event: Extract<MessengerEvent, { kind: 'message' | 'postback' }>) {
  const incoming = await rehostMedia(
    { ...props, budgetMs: Math.max(500, remainingMs(props.deadlines.work)) },
    toIncoming(event),
    event.mid
  )
  if (event.kind === 'postback' && event.referral) {
    await emitOnce(props, { ...event, key: `${event.key}:referral` }, 'referralReceived', { ...event.referral })
  }
  if (!incoming) {
    props.logger
      .forBot()
      .warn(`A Messenger ${event.kind} from PSID ${event.psid} had no content Botpress can show; skipped.`)
    return
  }
  await routeUserMessage(props, event, incoming, props.deadlines)
}

/** Another app owns the thread: the message is recorded on the linked ticket, never answered. */
async function recordStandby(props: DispatchProps, event: Extract<MessengerEvent, { kind: 'message' | 'postback' }>) {
  const incoming = toIncoming(event)
  const recorded = incoming ? await recordOnTicket(props, event, incoming, 'standby', props.deadlines) : false
  if (!recorded)
    props.logger
      .forBot()
      .info(
        `Standby ${event.kind} from PSID ${event.psid ?? event.userRef}: another app owns the thread; not answered.`
      )
}

/** Our own sends are ignored; a person answering from the Page inbox goes on the linked ticket. */
async function recordEcho(props: DispatchProps, event: Extract<MessengerEvent, { kind: 'echo' }>) {
  if (isOwnEcho(event, props.config)) return
  const incoming = toIncoming({ ...event, kind: 'message', attachments: event.attachments })
  const recorded = incoming ? await recordOnTicket(props, event, incoming, 'inbox', props.deadlines) : false
  if (!recorded)
    props.logger
      .forBot()
      .info(
        `A reply to PSID ${event.psid} was sent from the Page inbox or another app (app ${event.appId ?? 'unknown'}).`
      )
}

/** Our own sends come back as echoes: recognised by app id or by the metadata we put on them. */
function isOwnEcho(event: Extract<MessengerEvent, { kind: 'echo' }>, config: Config): boolean {
  if (config.appId && event.appId === config.appId) return true
  return event.metadata?.startsWith(OWN_ECHO_METADATA) ?? false
}

async function emit<T extends EventType>(
  props: DispatchProps,
  event: MessengerEvent,
  type: T,
  payload: EventPayload<T>
) {
  await emitEvent(props.client, type, payload, event.psid ? await identify(props, event.psid) : {})
}

/**
 * Events without a message id: a derived key, remembered on the conversation under its lease, stops
 * redeliveries (on any copy) from reaching the bot twice.
 */
async function emitOnce<T extends EventType>(
  props: DispatchProps,
  event: MessengerEvent,
  type: T,
  payload: EventPayload<T>
) {
  if (!event.psid) {
    await emitEvent(props.client, type, payload)
    return
  }
  const { conversation, user: created, profiled } = await ensureConversationAndUser(props, event.psid)
  const user = (await profiled) ?? created
  const ids = { conversationId: conversation.id, userId: user.id }
  await withSession(props, partyOf(conversation, user), props.deadlines, async (session) => {
    const { routing } = session
    // any event of the conversation is an occasion to finish what waited for 4biz
    if (routing.pending.length || routing.announce) await drain(session)
    if (isRemembered(routing.seenEvents, event.key)) return
    await emitEvent(props.client, type, payload, ids)
    // a reaction, like a message, opens Messenger's 24-hour window
    if (type === 'reactionReceived') openWindow(routing, event.timestamp)
    routing.seenEvents = remember(routing.seenEvents, fingerprint(event.key), LIMITS.seenEvents)
  })
}

async function identify(props: DispatchProps, psid: string) {
  const { conversation, user: created, profiled } = await ensureConversationAndUser(props, psid)
  const user = (await profiled) ?? created
  return { conversationId: conversation.id, userId: user.id }
}
