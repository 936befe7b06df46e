import { randomUUID } from 'node:crypto'
import { botMessage, type Incoming } from '../messenger/inbound'
import type { RoutingProps, Party } from './session'

/**
 * Both sides of a handed-off conversation in the Botpress conversation, so the conversation view and
 * analytics see what the user told the ticket and what analysts answered. They are written as synthetic
 * messages — records of what already happened, which Botpress stores without dispatching (its own
 * WhatsApp and Messenger integrations record messages sent outside Botpress the same way) — and
 * get-or-created on a key, so a redelivery never records twice.
 */

/**
 * What the user told a ticket, recorded, and the exactly-once claim on putting it on 4biz: the record
 * is get-or-created on the message's key (Botpress's atomic get-or-create) with a random claim id, so of
 * copies handling the same message (redeliveries, concurrent deliveries) exactly one gets its own id
 * back. Records have their own key tag (`recordOf`), so a message that went to the bot (tag `id`) never
 * collides with one.
 */
export type ForeignClaim = { mine: false; claimedAt: number }
export type Claim = { mine: true } | ForeignClaim

export async function claimUserMessage(
  props: RoutingProps,
  party: Party & { userId: string },
  m: { key: string; at: number; incoming: Incoming; ticketNumber?: string }
): Promise<Claim> {
  const claim = randomUUID()
  const { message } = await props.client.getOrCreateMessage({
    origin: 'synthetic',
    ...botMessage(m.incoming),
    userId: party.userId,
    conversationId: party.conversationId,
    tags: {
      recordOf: m.key,
      record: 'ticket',
      claim,
      sentAt: String(m.at),
      ...(m.ticketNumber ? { ticketNumber: m.ticketNumber } : {}),
    },
    discriminateByTags: ['recordOf'],
  })
  if (message.tags.claim === claim) return { mine: true }
  return { mine: false, claimedAt: Date.parse(message.createdAt) || 0 }
}

export async function recordAnalystReply(
  props: RoutingProps,
  party: Party,
  r: { ticketNumber: string; followUpNumber: string; text: string }
) {
  await props.client.getOrCreateMessage({
    origin: 'synthetic',
    type: 'text',
    payload: { text: r.text },
    userId: props.ctx.botUserId,
    conversationId: party.conversationId,
    tags: {
      id: `4biz:${r.ticketNumber}:${r.followUpNumber}`,
      record: 'ticket',
      ticketNumber: r.ticketNumber,
      followUpNumber: r.followUpNumber,
    },
    discriminateByTags: ['id'],
  })
}
