import { z } from '@botpress/sdk'

/** State payloads. Bounded lists keep the latest ids only: enough to dedupe redeliveries. */

export const fourbizSessionState = z.object({
  sessionId: z.string().title('Session id').describe('The 4biz sessionID.'),
  expiresAt: z.number().title('Expires at').describe('When to log in again (ms since epoch).'),
})

export const routingState = z.object({
  mode: z.enum(['bot', 'agent']).title('Mode').describe('bot: messages go to the bot; agent: to the linked ticket.'),
  ticketNumber: z.string().optional().title('Ticket number').describe('The linked 4biz ticket.'),
  episode: z.number().title('Episode').describe('Counts the tickets this conversation opened; part of their numberOrigin.'),
  lastUserMessageAt: z.number().optional().title('Last user message').describe('Opens the 24-hour window (ms).'),
  lastStatus: z.string().optional().title('Last status').describe('Last known status of the linked ticket.'),
  relayedFollowUps: z.array(z.string()).title('Relayed follow-ups').describe('Analyst follow-ups already sent to the user.'),
  ownFollowUps: z.array(z.string()).title('Own follow-ups').describe('Follow-ups the integration wrote, never relayed back.'),
  forwardedMids: z.array(z.string()).title('Forwarded messages').describe('Messenger messages already put on the ticket.'),
  seenEvents: z.array(z.string()).title('Seen events').describe('Derived keys of events without a message id.'),
  unavailableNoticeAt: z
    .number()
    .optional()
    .title('Unavailable notice')
    .describe('When the user was last told a ticket could not be opened yet (ms); limits the notices.'),
})

export const linkedTicketsState = z.object({
  tickets: z
    .array(z.object({ ticketNumber: z.string(), conversationId: z.string() }))
    .title('Linked tickets')
    .describe('Tickets linked to a Messenger conversation, for syncTicketUpdates.'),
})

export const states = {
  fourbizSession: { type: 'integration' as const, schema: fourbizSessionState },
  routing: { type: 'conversation' as const, schema: routingState },
  linkedTickets: { type: 'integration' as const, schema: linkedTicketsState },
}
