import type * as bp from '../typings'
import { isNotFound } from '../errors'
import { Routing, saveRouting } from './state'

/**
 * A conversation linked to a ticket is in `agent` mode: its user's messages go to the ticket. The link
 * lives in three places, each for one reader: the routing state (the webhook), the conversation tag
 * `ticketNumber` (push and pull find the conversation of a ticket), and the `linkedTickets` list
 * (syncTicketUpdates checks every linked ticket).
 */

type LinkProps = Pick<bp.CommonProps, 'client' | 'ctx'>

export async function linkTicket(
  { client, ctx }: LinkProps,
  conversationId: string,
  routing: Routing,
  link: { ticketNumber: string; status?: string; knownFollowUps?: string[] }
): Promise<Routing> {
  const next: Routing = {
    ...routing,
    mode: 'agent',
    ticketNumber: link.ticketNumber,
    lastStatus: link.status,
    // follow-ups written before the link are history, not replies to relay
    relayedFollowUps: [...routing.relayedFollowUps, ...(link.knownFollowUps ?? [])].slice(-200),
  }
  await saveRouting(client, conversationId, next)
  await client.updateConversation({ id: conversationId, tags: { ticketNumber: link.ticketNumber } })
  await updateLinkedTickets({ client, ctx }, (list) => [...list.filter((t) => t.conversationId !== conversationId), { ticketNumber: link.ticketNumber, conversationId }])
  return next
}

/** Back to the bot; the next ticket of this conversation gets a new numberOrigin (episode + 1). */
export async function unlinkTicket({ client, ctx }: LinkProps, conversationId: string, routing: Routing): Promise<Routing> {
  const next: Routing = { ...routing, mode: 'bot', ticketNumber: undefined, lastStatus: undefined, episode: routing.episode + 1 }
  await saveRouting(client, conversationId, next)
  await client.updateConversation({ id: conversationId, tags: { ticketNumber: '' } })
  await updateLinkedTickets({ client, ctx }, (list) => list.filter((t) => t.conversationId !== conversationId))
  return next
}

export type LinkedTicket = bp.statesTypes.Payload<'linkedTickets'>['tickets'][number]

export async function listLinkedTickets({ client, ctx }: LinkProps): Promise<LinkedTicket[]> {
  try {
    const { state } = await client.getState({ type: 'integration', id: ctx.integrationId, name: 'linkedTickets' })
    return state.payload.tickets ?? []
  } catch (err) {
    if (isNotFound(err)) return []
    throw err
  }
}

async function updateLinkedTickets(props: LinkProps, change: (list: LinkedTicket[]) => LinkedTicket[]) {
  const tickets = change(await listLinkedTickets(props))
  await props.client.setState({ type: 'integration', id: props.ctx.integrationId, name: 'linkedTickets', payload: { tickets } })
}

/** The Messenger conversation a ticket is linked to, if any. */
export async function conversationOfTicket({ client }: LinkProps, ticketNumber: string) {
  const { conversations } = await client.listConversations({ tags: { ticketNumber }, channel: 'messenger' })
  return conversations[0]
}
