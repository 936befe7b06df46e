import { z } from '@botpress/sdk'

/**
 * State payloads. Each is written by one conversation's lease holder or is an atomic get-or-set, and
 * each is bounded (see the limits below); Botpress holds 128 KB per state.
 */

const fourbizSessionState = z.object({
  sessionId: z.string().title('Session id').describe('The 4biz sessionID.'),
  expiresAt: z.number().title('Expires at').describe('When to log in again (ms since epoch).'),
  cookies: z
    .string()
    .optional()
    .title('Cookies')
    .describe(
      'The cookies the login set (JSESSIONID, load balancer): tenants that bind the session to a server node need them with the sessionID.'
    ),
})

/** A Messenger message (or edit, inbox reply, standby message) still to be put on 4biz. */
const workItemSchema = z.object({
  key: z.string().title('Key').describe('The Messenger mid, or the derived key of an event without one.'),
  kind: z
    .enum(['open', 'followUp'])
    .title('Kind')
    .describe('open: the description of a new ticket; followUp: a follow-up on the linked ticket.'),
  at: z.number().title('At').describe('When the user sent it (ms).'),
  text: z.string().title('Text').describe('What goes on the ticket.'),
  files: z.array(z.string()).title('Files').describe('URLs of the attachments to copy to the ticket.'),
  attempts: z
    .number()
    .title('Attempts')
    .describe('Attempts whose outcome is unknown: above 0, 4biz is read back before writing again.'),
  followUpNumber: z
    .string()
    .optional()
    .title('Follow-up number')
    .describe('Set once the follow-up exists; then only the files remain.'),
})

const routingState = z.object({
  ticketNumber: z
    .string()
    .optional()
    .title('Ticket number')
    .describe('The linked 4biz ticket; the conversation is handed off while set.'),
  lastStatus: z.string().optional().title('Last status').describe('Last known status of the linked ticket.'),
  linkedAt: z
    .number()
    .optional()
    .title('Linked at')
    .describe('When the ticket was linked (ms); older messages belong to the bot.'),
  nextTicketKey: z
    .string()
    .title('Next ticket key')
    .describe(
      'Part of the numberOrigin of the next ticket this conversation opens: the previous ticket, so every copy derives the same key.'
    ),
  lastUserMessageAt: z.number().optional().title('Last user message').describe('Opens the 24-hour window (ms).'),
  watched: z
    .array(
      z.object({
        ticketNumber: z.string(),
        lastStatus: z.string().optional(),
        finalAt: z.number().optional(),
      })
    )
    .title('Watched tickets')
    .describe(
      'Tickets of the user that are not handed off (createTicket, a late push): their analyst replies and status changes reach the user too; kept 7 days after they end (at most 20).'
    ),
  pending: z
    .array(workItemSchema)
    .title('Pending work')
    .describe('Messages 4biz has not taken yet, oldest first (at most 40).'),
  announce: z
    .object({ ticketNumber: z.string(), numberOrigin: z.string(), requesterLogin: z.string(), eventsSent: z.boolean() })
    .optional()
    .title('Announcement')
    .describe('A ticket opened for the user whose number and events are still to be given.'),
  done: z
    .array(z.string())
    .title('Done')
    .describe('Fingerprints of the latest 300 messages put on 4biz: redeliveries and replays are recognised.'),
  relayedFollowUps: z
    .array(z.string())
    .title('Relayed follow-ups')
    .describe('Latest 200 analyst follow-ups already sent to the user.'),
  ownFollowUps: z
    .array(z.string())
    .title('Own follow-ups')
    .describe('Latest 200 follow-ups the integration wrote, never relayed back.'),
  seenEvents: z
    .array(z.string())
    .title('Seen events')
    .describe('Fingerprints of the derived keys of the latest 100 events without a message id.'),
  unavailableNoticeAt: z
    .number()
    .optional()
    .title('Unavailable notice')
    .describe('When the user was last told the desk is unavailable (ms); at most one notice an hour.'),
})

const conversationLockState = z.object({
  owner: z.string().title('Owner').describe('Random id of the copy of the integration holding the lease.'),
  until: z.number().title('Until').describe('When the lease lapses (ms).'),
})

const syncCursorState = z.object({
  nextToken: z
    .string()
    .optional()
    .title('Next token')
    .describe('The page of conversations syncTicketUpdates goes on with.'),
  skip: z.number().optional().title('Skip').describe('Conversations of that page already checked.'),
  round: z.number().title('Round').describe('Complete passes over every linked conversation so far.'),
})

/** A HITL session (a conversation of the hitl channel): who it is for and whether an analyst took it. */
const hitlSessionState = z.object({
  requesterUserId: z
    .string()
    .title('Requester user')
    .describe('The Botpress user (from createUser) the ticket was opened for.'),
  ticketNumber: z.string().title('Ticket number').describe('The 4biz ticket of the session.'),
  agentUserId: z
    .string()
    .optional()
    .title('Analyst user')
    .describe('The Botpress user of the analyst hitlAssigned named; set once.'),
  stopRequested: z
    .boolean()
    .optional()
    .title('Stop requested')
    .describe('stopHitl was called: the session ends once 4biz has the last messages and the note.'),
  stoppedAt: z
    .number()
    .optional()
    .title('Stopped at')
    .describe('When hitlStopped was emitted (ms); the session is over.'),
})

export const states = {
  fourbizSession: { type: 'integration' as const, schema: fourbizSessionState },
  routing: { type: 'conversation' as const, schema: routingState },
  conversationLock: { type: 'conversation' as const, schema: conversationLockState },
  syncCursor: { type: 'integration' as const, schema: syncCursorState },
  hitlSession: { type: 'conversation' as const, schema: hitlSessionState },
}
