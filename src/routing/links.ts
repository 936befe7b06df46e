import type * as bp from '../typings'
import type { Session } from './session'

/**
 * A conversation linked to a ticket is handed off: its user's messages go to the ticket. The link is
 * the routing state (written under the conversation's lease) mirrored in the conversation tags
 * `ticketNumber` (push and pull find the conversation of a ticket) and `fourbizSync` (syncTicketUpdates
 * lists the conversations to check, page by page). No integration-wide list: nothing to race on,
 * nothing that grows.
 */

export function linkTicket(session: Session, link: { ticketNumber: string; status?: string; since?: number }) {
  const { routing } = session
  routing.ticketNumber = link.ticketNumber
  routing.lastStatus = link.status
  routing.linkedAt = link.since ?? Date.now()
  // a followed ticket that is now handed off is followed as the link
  routing.watched = routing.watched.filter((w) => w.ticketNumber !== link.ticketNumber)
}

/** Back to the bot. The next ticket's numberOrigin comes from this one, so every copy derives the same. */
export function unlinkTicket(session: Session) {
  const { routing } = session
  if (!routing.ticketNumber) return
  routing.nextTicketKey = `after:${routing.ticketNumber}`
  routing.ticketNumber = undefined
  routing.lastStatus = undefined
  routing.linkedAt = undefined
  if (routing.announce) routing.announce = undefined
}

type ListProps = Pick<bp.CommonProps, 'client'>

/** The conversation a ticket is linked to, if any: a Messenger one or a HITL session (src/hitl). */
export async function conversationOfTicket({ client }: ListProps, ticketNumber: string) {
  const { conversations } = await client.listConversations({ tags: { ticketNumber } })
  return conversations[0]
}

/** One page of the conversations syncTicketUpdates must check (linked, or with messages waiting for 4biz). */
export async function conversationsToSync({ client }: ListProps, nextToken: string | undefined) {
  const { conversations, meta } = await client.listConversations({ tags: { fourbizSync: 'yes' }, nextToken })
  return { conversations, nextToken: meta.nextToken }
}
