import {
  addFollowUp,
  attachFiles,
  downloadAttachment,
  FourbizScope,
  fourbizScope,
  isFourbizFailure,
  isFourbizUnavailable,
  numberOrigin,
  openTicket,
  TicketFile,
} from '../fourbiz'
import { requesterOf } from '../fourbiz/requester'
import { describeIncoming, Incoming, IncomingMessage } from '../messenger/inbound'
import { ensureConversation, ensureUser, MessengerUser } from '../messenger/identity'
import type { MessengerEvent } from '../messenger/webhook-events'
import type { DispatchProps } from '../webhook/dispatch'
import { deliverToUser } from './deliver'
import { linkTicket, unlinkTicket } from './links'
import { loadRouting, remember, Routing, saveRouting } from './state'
import { automaticText, note } from './texts'

type UserEvent = Extract<MessengerEvent, { kind: 'message' | 'postback' }>

/** A stored window start this close to the real one is good enough; saves a state write per message. */
const WINDOW_PRECISION_MS = 60_000

/**
 * Where a user's message goes: to the linked ticket (agent mode), to a new ticket (Helper off), or to
 * the bot. Throws when 4biz or Botpress is down, so that Meta redelivers; redeliveries are recognised
 * by the mid (Botpress message tag, `forwardedMids`, follow-up numberOrigin).
 */
export async function routeUserMessage(props: DispatchProps, event: UserEvent, incoming: Incoming): Promise<void> {
  const psid = event.psid!
  const conversation = await ensureConversation(props, psid)
  const user = await ensureUser(props, psid)
  const loaded = await loadRouting(props.client, conversation.id)
  const routing = openWindow(loaded, event.timestamp)

  if (routing.ticketNumber) {
    try {
      return await forwardToTicket(props, { conversationId: conversation.id, psid, user }, routing, event, incoming)
    } catch (err) {
      if (!isFourbizFailure(err, 'unknownTicket')) throw err
      // purged or mistyped in startHandoff: unlink, and this message goes where an unlinked one goes
      props.logger.forBot().warn(`Ticket ${routing.ticketNumber} no longer exists in 4biz; conversation ${conversation.id} is unlinked from it.`)
      await unlinkTicket(props, conversation.id, routing)
      return routeUserMessage(props, event, incoming)
    }
  }
  if (!props.config.helperInterception) return openTicketFor(props, { conversationId: conversation.id, psid, user }, routing, event, incoming)

  const tags: Record<string, string> = { id: event.key }
  if (incoming.title) tags.title = incoming.title
  if (event.kind === 'message' && event.replyTo) tags.replyTo = event.replyTo
  // get-or-create keyed on the mid: a redelivery finds the message instead of creating it twice
  await props.client.getOrCreateMessage({
    type: incoming.type,
    payload: incoming.payload as any,
    userId: user.id,
    conversationId: conversation.id,
    tags,
    discriminateByTags: ['id'],
  })
  if (routing !== loaded) await saveRouting(props.client, conversation.id, routing)
}

/** The 24-hour window starts at the user's latest message (or reaction). Same object when unchanged. */
export function openWindow(routing: Routing, at: number): Routing {
  const last = routing.lastUserMessageAt ?? 0
  return at - last > WINDOW_PRECISION_MS ? { ...routing, lastUserMessageAt: at } : routing
}

type Who = { conversationId: string; psid: string; user: MessengerUser }

async function forwardToTicket(props: DispatchProps, who: Who, routing: Routing, event: { key: string }, incoming: Incoming, label?: string) {
  if (routing.forwardedMids.includes(event.key)) return
  const scope = fourbizScope(props, props.config)
  const ticketNumber = routing.ticketNumber!
  const { text, files } = await contentForTicket(scope, incoming)
  const followUp = await addFollowUp(scope, {
    ticketNumber,
    text: label ? `${label}: ${text}` : text,
    numberOrigin: numberOrigin(props.ctx.integrationId, 'followUp', event.key),
  })
  // attachments go with every first complete pass (a repeat only when the last pass died half-way)
  if (files.length) await attachFiles(scope.fourbiz, ticketNumber, files)
  await saveRouting(props.client, who.conversationId, {
    ...routing,
    forwardedMids: remember(routing.forwardedMids, event.key),
    ownFollowUps: remember(routing.ownFollowUps, followUp.followUpNumber),
  })
}

/**
 * Helper off: the conversation's first message opens a ticket. Its numberOrigin comes from the
 * conversation and its episode, so concurrent or redelivered first messages find the same ticket.
 */
async function openTicketFor(props: DispatchProps, who: Who, routing: Routing, event: UserEvent, incoming: Incoming) {
  const scope = fourbizScope(props, props.config)
  const { text, files } = await contentForTicket(scope, incoming)
  let opened: Awaited<ReturnType<typeof openTicket>>
  try {
    opened = await openTicket(scope, {
      requester: requesterOf(who.user),
      description: text,
      numberOrigin: numberOrigin(props.ctx.integrationId, 'ticket', who.conversationId, String(routing.episode)),
      attachments: files,
      conversationId: who.conversationId,
    })
  } catch (err) {
    await tellUnavailable(scope, who, routing, isFourbizUnavailable(err))
    throw err
  }
  const { ticket, created } = opened
  // Not created: another message opened it first (concurrent first messages), or this is a redelivery
  // of the message that did, which is already the description.
  const isDescription = created || ticket.description?.trim() === text.trim()
  const base = { ...routing, unavailableNoticeAt: undefined }
  const linked = await linkTicket(props, who.conversationId, isDescription ? { ...base, forwardedMids: remember(base.forwardedMids, event.key) } : base, {
    ticketNumber: ticket.ticketNumber,
    status: ticket.status,
  })
  if (!isDescription) return forwardToTicket(props, who, linked, event, incoming)
  if (!created) return
  await props.client.createEvent({
    type: 'handoffStarted',
    payload: { ticketNumber: ticket.ticketNumber, conversationId: who.conversationId, userId: who.user.id },
    conversationId: who.conversationId,
    userId: who.user.id,
  })
  await tell(scope, who, linked, automaticText(props.config, 'ticketOpened', { ticketNumber: ticket.ticketNumber }), ticket.ticketNumber)
}

/** Best effort: an automatic text that fails is logged, never a reason to redeliver the message. */
async function tell(scope: FourbizScope, who: Who, routing: Routing, text: string, ticketNumber?: string) {
  try {
    const { routing: next } = await deliverToUser(scope, { conversationId: who.conversationId, psid: who.psid, userId: who.user.id }, routing, { type: 'text', payload: { text } }, { author: 'automatic', ticketNumber })
    if (next !== routing) await saveRouting(scope.client, who.conversationId, next)
  } catch (err) {
    scope.logger.forBot().warn(`Could not send an automatic text to PSID ${who.psid}: ${(err as Error).message}`)
  }
}

const NOTICE_EVERY_MS = 60 * 60_000

/** Tells the user once an hour at most that the ticket cannot be opened yet (Meta keeps redelivering). */
async function tellUnavailable(scope: FourbizScope, who: Who, routing: Routing, outage: boolean) {
  const lastNotice = routing.unavailableNoticeAt ?? 0
  if (!outage) scope.logger.forBot().error('4biz refused to open a ticket for a Messenger message; fix the configuration (see the error above).')
  if (Date.now() - lastNotice < NOTICE_EVERY_MS) return
  const noticed = { ...routing, unavailableNoticeAt: Date.now() }
  await saveRouting(scope.client, who.conversationId, noticed)
  await tell(scope, who, noticed, automaticText(scope.config, 'ticketUnavailable'))
}

/**
 * A message as a ticket sees it: text for the follow-up (the title the user tapped, attachments as
 * links) and the files to attach. A file that cannot be downloaded stays a link in the text.
 */
async function contentForTicket(scope: FourbizScope, incoming: Incoming): Promise<{ text: string; files: TicketFile[] }> {
  const items: IncomingMessage[] = incoming.type === 'bloc' ? incoming.payload.items : [incoming as IncomingMessage]
  const files: TicketFile[] = []
  for (const item of items) {
    const url = 'imageUrl' in item.payload ? item.payload.imageUrl : 'fileUrl' in item.payload ? item.payload.fileUrl : 'videoUrl' in item.payload ? item.payload.videoUrl : 'audioUrl' in item.payload ? item.payload.audioUrl : undefined
    if (!url) continue
    try {
      files.push(await downloadAttachment(url))
    } catch (err) {
      scope.logger.forBot().warn(`A Messenger attachment could not be copied to 4biz and stays a link: ${(err as Error).message}`)
    }
  }
  const text = incoming.title && incoming.type === 'text' ? `${incoming.title} (${incoming.payload.text})` : describeIncoming(incoming)
  return { text, files }
}

/** Another app's echo (a person answering in the Page inbox) or a standby message, on the linked ticket. */
export async function recordOnTicket(props: DispatchProps, event: MessengerEvent & { psid?: string }, incoming: Incoming, kind: 'inbox' | 'standby' | 'edited') {
  if (!event.psid) return false
  const conversation = await ensureConversation(props, event.psid)
  const routing = await loadRouting(props.client, conversation.id)
  if (!routing.ticketNumber) return false
  const who: Who = { conversationId: conversation.id, psid: event.psid, user: await ensureUser(props, event.psid) }
  await forwardToTicket(props, who, routing, event, incoming, note(props.config, kind))
  return true
}
