import { z } from '@botpress/sdk'

/** Events the integration emits to the bot. Each carries the conversation and user so a flow can act on it. */

const conversationId = z.string().optional().title('Conversation id').describe('The Messenger conversation.')
const userId = z.string().optional().title('User id').describe('The Messenger user.')
const ticketNumber = z.string().title('Ticket number').describe('The 4biz ticket number.')

const ticketCreatedEvent = z.object({
  ticketNumber,
  numberOrigin: z.string().title('Origin number').describe('The idempotency key given to 4biz.'),
  requesterLogin: z.string().optional().title('Requester login').describe('The 4biz requester.'),
  conversationId,
  userId,
})
const ticketUpdatedEvent = z.object({
  ticketNumber,
  status: z.string().title('Status').describe('New status, as 4biz spells it.'),
  previousStatus: z.string().optional().title('Previous status').describe('Status before the change, when known.'),
  final: z.boolean().title('Final').describe('True for resolved, closed or cancelled.'),
  handedOff: z
    .boolean()
    .title('Handed off')
    .describe(
      'True when the conversation was handed off on this ticket; false for a ticket the user only follows (createTicket).'
    ),
  conversationId,
  userId,
})
const agentRepliedEvent = z.object({
  ticketNumber,
  followUpNumber: z.string().title('Follow-up number').describe('The 4biz follow-up.'),
  text: z.string().title('Text').describe('What the analyst wrote.'),
  author: z.string().optional().title('Author').describe('The analyst login.'),
  delivered: z.boolean().title('Delivered').describe('Whether it reached the Messenger user.'),
  handedOff: z
    .boolean()
    .title('Handed off')
    .describe(
      'False when the conversation is with the bot: the user\'s answer goes to the bot, which may offer startHandoff with this ticketNumber ("reply on ticket N").'
    ),
  conversationId,
  userId,
})
const handoffStartedEvent = z.object({ ticketNumber, conversationId, userId })
const handoffEndedEvent = z.object({
  ticketNumber: z.string().optional().title('Ticket number').describe('The ticket that was linked.'),
  reason: z.enum(['resolved', 'closed', 'cancelled', 'endHandoff']).title('Reason').describe('Why the handoff ended.'),
  conversationId,
  userId,
})
const deliveryFailedEvent = z.object({
  ticketNumber: z.string().optional().title('Ticket number').describe('The ticket whose reply could not be delivered.'),
  reason: z.string().title('Reason').describe('Why, in words a bot builder can act on.'),
  code: z.string().optional().title('Code').describe('Meta error code, or "window" when outside the messaging window.'),
  conversationId,
  userId,
})
const reactionEvent = z.object({
  mid: z.string().title('Message id').describe('The Messenger message reacted to.'),
  reaction: z.string().optional().title('Reaction').describe('smile, angry, sad, wow, love, like, dislike or other.'),
  emoji: z.string().optional().title('Emoji').describe('The emoji.'),
  action: z.enum(['react', 'unreact']).title('Action').describe('react or unreact.'),
  conversationId,
  userId,
})
const referralEvent = z.object({
  ref: z.string().optional().title('Ref').describe('The ref parameter of the m.me link, ad or plugin.'),
  source: z.string().optional().title('Source').describe('SHORTLINK, ADS, CUSTOMER_CHAT_PLUGIN…'),
  type: z.string().optional().title('Type').describe('OPEN_THREAD…'),
  adId: z.string().optional().title('Ad id').describe('The ad, for ADS referrals.'),
  userRef: z.string().optional().title('User ref').describe('Chat-plugin visitor reference when there is no PSID.'),
  conversationId,
  userId,
})
const messagesReadEvent = z.object({
  watermark: z.number().title('Watermark').describe('Every message sent before this time (ms) was read.'),
  conversationId,
  userId,
})
const messageEditedEvent = z.object({
  mid: z.string().title('Message id').describe('The edited message.'),
  text: z.string().title('Text').describe('The new text.'),
  numEdit: z.number().optional().title('Edit count').describe('How many times it was edited.'),
  conversationId,
  userId,
})
const optinEvent = z.object({
  type: z.string().optional().title('Type').describe('notification_messages, or empty for legacy opt-ins.'),
  ref: z.string().optional().title('Ref').describe('The data-ref of the plugin.'),
  payload: z.string().optional().title('Payload').describe('The opt-in payload.'),
  userRef: z.string().optional().title('User ref').describe('Checkbox-plugin user reference (no PSID yet).'),
  token: z.string().optional().title('Token').describe('notification_messages_token, when given.'),
  status: z.string().optional().title('Status').describe('notification_messages_status or user_token_status.'),
  conversationId,
  userId,
})
const accountLinkingEvent = z.object({
  status: z.enum(['linked', 'unlinked']).title('Status').describe('linked or unlinked.'),
  authorizationCode: z.string().optional().title('Authorization code').describe('Given when linked.'),
  conversationId,
  userId,
})

const ev = <S extends z.ZodObject<any>>(title: string, description: string, schema: S) => ({
  title,
  description,
  schema,
})

export const events = {
  ticketCreated: ev('Ticket created', 'A 4biz ticket was opened for a Messenger user.', ticketCreatedEvent),
  ticketUpdated: ev(
    'Ticket updated',
    'The status of a 4biz ticket of the user (handed off or followed) changed.',
    ticketUpdatedEvent
  ),
  agentReplied: ev(
    'Analyst replied',
    'An analyst follow-up on a ticket of the user was relayed to them.',
    agentRepliedEvent
  ),
  handoffStarted: ev('Handoff started', 'The conversation now goes to a 4biz ticket.', handoffStartedEvent),
  handoffEnded: ev('Handoff ended', 'The conversation is back with the bot (or unlinked).', handoffEndedEvent),
  deliveryFailed: ev('Delivery failed', 'A reply could not reach the Messenger user.', deliveryFailedEvent),
  reactionReceived: ev('Reaction', 'The user reacted to a message.', reactionEvent),
  referralReceived: ev('Referral', 'The user came from an m.me link, an ad or the chat plugin.', referralEvent),
  messagesRead: ev('Messages read', 'The user read the messages up to a time.', messagesReadEvent),
  messageEdited: ev('Message edited', 'The user edited a message.', messageEditedEvent),
  optinReceived: ev('Opt-in', 'The user opted in (plugin or notification messages).', optinEvent),
  accountLinking: ev('Account linking', 'The user linked or unlinked an account.', accountLinkingEvent),
}
