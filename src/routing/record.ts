import type { Incoming } from '../messenger/inbound'
import type { RoutingProps, Party } from './session'

/**
 * Both sides of a handed-off conversation in the Botpress conversation, so the conversation view and
 * analytics see what the user told the ticket and what analysts answered. They are written as synthetic
 * messages — records of what already happened, which Botpress stores without dispatching (its own
 * WhatsApp and Messenger integrations record messages sent outside Botpress the same way) — and
 * get-or-created on a key, so a redelivery never records twice.
 */

export async function recordUserMessage(props: RoutingProps, party: Party, m: { key: string; incoming: Incoming; ticketNumber?: string }) {
  if (!party.userId) return
  await props.client.getOrCreateMessage({
    origin: 'synthetic',
    type: m.incoming.type,
    payload: m.incoming.payload as any,
    userId: party.userId,
    conversationId: party.conversationId,
    tags: { id: m.key, record: 'ticket', ...(m.ticketNumber ? { ticketNumber: m.ticketNumber } : {}) },
    discriminateByTags: ['id'],
  })
}

export async function recordAnalystReply(props: RoutingProps, party: Party, r: { ticketNumber: string; followUpNumber: string; text: string }) {
  await props.client.getOrCreateMessage({
    origin: 'synthetic',
    type: 'text',
    payload: { text: r.text },
    userId: props.ctx.botUserId,
    conversationId: party.conversationId,
    tags: { id: `4biz:${r.ticketNumber}:${r.followUpNumber}`, record: 'ticket', ticketNumber: r.ticketNumber, followUpNumber: r.followUpNumber },
    discriminateByTags: ['id'],
  })
}
