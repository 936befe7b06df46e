import { LeftWithMeta } from '../errors'
import { botMessage, describeIncoming, Incoming, IncomingMessage } from '../messenger/inbound'
import { profileFromConfig } from '../messenger/profile'
import {
  ensureConversation,
  ensureConversationAndUser,
  MessengerConversation,
  MessengerUser,
} from '../messenger/identity'
import type { MessengerEvent } from '../messenger/webhook-events'
import type { Deadlines } from './deadline'
import { claimUserMessage, ForeignClaim } from './record'
import { Party, partyOf, RoutingProps, Session, withSession } from './session'
import { Routing } from './state'
import { note } from './texts'
import { settle, straightTicket, straightToTicket, TicketMessage } from './to-ticket'
import { drain, enqueue, hasRoom, isKnown } from './work'

type UserEvent = Extract<MessengerEvent, { kind: 'message' | 'postback' }>

/** A stored window start this close to the real one is good enough. */
const WINDOW_PRECISION_MS = 60_000

/**
 * Where a user's message goes: to the bot (Helper on, not handed off: a Botpress message get-or-created
 * on its mid, so a redelivery on any copy finds it), or to 4biz (handed off, or Helper off). A follow-up
 * on a linked ticket with nothing waiting goes straight to it (src/routing/to-ticket.ts); anything else
 * is queued under the conversation's lease and put on 4biz in order (src/routing/work.ts). Either way
 * the message's record is its exactly-once claim. 4biz being down or slow never fails the webhook; only
 * Botpress failing does, so that Meta redelivers.
 */
export async function routeUserMessage(
  props: RoutingProps,
  event: UserEvent,
  incoming: Incoming,
  deadlines: Deadlines
): Promise<void> {
  const psid = event.psid!
  const { conversation, user: created, profiled } = await ensureConversationAndUser(props, psid)
  const helperOn = props.config.helperInterception
  // the tags mirror the routing state: a conversation never handed off costs no state read, and its
  // message does not wait for a new user's profile
  if (helperOn && !conversation.tags.ticketNumber && conversation.tags.fourbizSync !== 'yes') {
    await Promise.all([toBot(props, conversation, created, event, incoming), profiled])
    return
  }
  // a ticket's requester gets the profile name
  const user = (await profiled) ?? created
  // Helper off: tapping Get Started says nothing for a ticket; the user's first words open it
  if (!helperOn && event.kind === 'postback' && event.payload === profileFromConfig(props.config).getStartedPayload) {
    props.logger.debug(`PSID ${psid} tapped Get Started; with Helper interception off it opens no ticket.`)
    return
  }

  const party = { ...partyOf(conversation, user), userId: user.id }
  const message: TicketMessage = {
    key: event.key,
    at: event.timestamp,
    text: textForTicket(incoming),
    files: filesOf(incoming),
    incoming,
  }
  const viaQueue = async (opts: { claimed: boolean; attempts: number }): Promise<void> => {
    const outcome = await queueForTicket(props, party, message, deadlines, opts)
    if (outcome === 'bot') return toBot(props, conversation, user, event, incoming)
    if (outcome !== 'queued') return settle(props, party, message, outcome, deadlines, viaQueue)
  }
  const ticketNumber = straightTicket(conversation.tags, message, helperOn)
  if (ticketNumber) return straightToTicket(props, party, ticketNumber, message, deadlines, viaQueue)
  return viaQueue({ claimed: false, attempts: 0 })
}

/**
 * The queued way, under the conversation's lease: 'bot' when the message belongs to the bot after all,
 * 'queued' when it is queued (or was already), or another copy's claim on it.
 */
async function queueForTicket(
  props: RoutingProps,
  party: Party & { userId: string; tags: Record<string, string | undefined> },
  message: TicketMessage,
  deadlines: Deadlines,
  opts: { claimed: boolean; attempts: number }
): Promise<'bot' | 'queued' | ForeignClaim> {
  const { incoming, ...item } = message
  return withSession(props, party, deadlines, async (session) => {
    const { routing } = session
    openWindow(routing, message.at)
    // Helper on: not handed off, or a message sent before the handoff, belongs to the bot
    if (
      props.config.helperInterception &&
      (!routing.ticketNumber || (routing.linkedAt !== undefined && message.at < routing.linkedAt))
    ) {
      await drain(session)
      return 'bot'
    }
    if (!isKnown(routing, item.key)) {
      // past the queue's bound the message stays with Meta until 4biz drains
      if (!hasRoom(routing, item))
        throw new LeftWithMeta(
          `Too many messages of conversation ${party.conversationId} wait for 4biz; Meta will redeliver this one`
        )
      const claim = opts.claimed
        ? ({ mine: true } as const)
        : await claimUserMessage(props, party, {
            key: item.key,
            at: item.at,
            incoming,
            ticketNumber: routing.ticketNumber,
          })
      // another copy owns it: its work is awaited outside the lease it may need
      if (!claim.mine) return claim
      enqueue(session, item, opts.attempts)
    }
    await drain(session)
    return 'queued'
  })
}

async function toBot(
  props: RoutingProps,
  conversation: MessengerConversation,
  user: MessengerUser,
  event: UserEvent,
  incoming: Incoming
) {
  const tags: Record<string, string> = { id: event.key }
  if (incoming.title) tags.title = incoming.title
  if (event.kind === 'message' && event.replyTo) tags.replyTo = event.replyTo
  await props.client.getOrCreateMessage({
    ...botMessage(incoming),
    userId: user.id,
    conversationId: conversation.id,
    tags,
    discriminateByTags: ['id'],
  })
}

/** The 24-hour window starts at the user's latest message (or reaction). */
export function openWindow(routing: Routing, at: number) {
  if (at - (routing.lastUserMessageAt ?? 0) > WINDOW_PRECISION_MS) routing.lastUserMessageAt = at
}

/** A message as a ticket sees it: the title the user tapped, attachments as links (the files follow). */
function textForTicket(incoming: Incoming): string {
  return incoming.title && incoming.type === 'text'
    ? `${incoming.title} (${incoming.payload.text})`
    : describeIncoming(incoming)
}

function filesOf(incoming: Incoming): string[] {
  const items: IncomingMessage[] = incoming.type === 'bloc' ? incoming.payload.items : [incoming]
  return items.flatMap((item) => {
    const p = item.payload as Record<string, unknown>
    const url = p.imageUrl ?? p.fileUrl ?? p.videoUrl ?? p.audioUrl
    return typeof url === 'string' ? [url] : []
  })
}

/** Another app's echo (a person answering in the Page inbox), a standby message or an edit, on the linked ticket. */
export async function recordOnTicket(
  props: RoutingProps,
  event: MessengerEvent & { psid?: string },
  incoming: Incoming,
  kind: 'inbox' | 'standby' | 'edited',
  deadlines: Deadlines
): Promise<boolean> {
  if (!event.psid) return false
  const conversation = await ensureConversation(props, event.psid)
  if (!conversation.tags.ticketNumber && conversation.tags.fourbizSync !== 'yes') return false
  return withSession(props, partyOf(conversation), deadlines, async (session: Session) => {
    if (!session.routing.ticketNumber) return false
    enqueue(session, {
      key: `${kind}:${event.key}`,
      at: event.timestamp,
      text: `${note(props.config, kind)}: ${textForTicket(incoming)}`,
      files: filesOf(incoming),
    })
    await drain(session)
    return true
  })
}
