import { z } from '@botpress/sdk'
import { greetingEntrySchema, iceBreakerSchema, menuItemSchema } from './configuration'
import { messengerConversation, messengerUser } from './entities'
import {
  noOutput,
  proactiveConversationInput,
  proactiveConversationOutput,
  proactiveUserInput,
  proactiveUserOutput,
  typingIndicatorInputs,
} from './interfaces'

/** Action input/output schemas. Pure data: the implementations validate `input` against these. */

const ticketNumber = z.string().min(1).title('Ticket number').describe('The 4biz ticket number.')

const ticketSchema = z.object({
  ticketNumber: z.string().title('Ticket number').describe('The 4biz ticket number.'),
  numberOrigin: z
    .string()
    .optional()
    .title('Origin number')
    .describe('The idempotency key the integration gave the ticket.'),
  title: z.string().optional().title('Title').describe('Ticket title, when 4biz has one.'),
  description: z.string().optional().title('Description').describe('Ticket description.'),
  status: z.string().optional().title('Status').describe('Status name as 4biz spells it.'),
  statusCode: z.string().optional().title('Status code').describe('Status code as 4biz spells it.'),
  openedAt: z
    .string()
    .optional()
    .title('Opened at')
    .describe('When the ticket was opened (ISO 8601 when 4biz gives a date).'),
  deadline: z.string().optional().title('Deadline').describe('SLA deadline, when 4biz gives one.'),
  activity: z.string().optional().title('Activity').describe('Activity (service) code or name.'),
  requesterLogin: z.string().optional().title('Requester login').describe('Login of the requester in 4biz.'),
  group: z.string().optional().title('Group').describe('Executor group acronym.'),
  type: z.string().optional().title('Type').describe('I (incident) or R (request).'),
})

const urgency = z.enum(['high', 'medium', 'low']).optional()

const createTicketInput = z.object({
  description: z.string().min(1).title('Description').describe('What the user needs; becomes the ticket description.'),
  title: z.string().optional().title('Title').describe('Optional short title, put at the top of the description.'),
  activity: z
    .string()
    .optional()
    .title('Activity')
    .describe('Activity (service code). Default: the configured default activity.'),
  urgency: urgency.title('Urgency').describe('high, medium or low. Default: computed by 4biz from the catalog.'),
  impact: urgency.title('Impact').describe('high, medium or low. Default: computed by 4biz from the catalog.'),
  type: z.enum(['incident', 'request']).default('request').title('Type').describe('incident or request.'),
  userId: z
    .string()
    .optional()
    .title('User id')
    .describe('Botpress user the requester comes from, e.g. {{event.userId}}.'),
  conversationId: z
    .string()
    .optional()
    .title('Conversation id')
    .describe('Botpress conversation the requester comes from, e.g. {{event.conversationId}}.'),
  attachmentUrls: z
    .array(z.string().url())
    .optional()
    .title('Attachment URLs')
    .describe('Files to download and attach to the ticket (10 MB each at most).'),
  idempotencyKey: z
    .string()
    .optional()
    .title('Idempotency key')
    .describe(
      'What caused this ticket, e.g. {{event.messageId}}. Calls with the same key return the same ticket. Default: the requester, the text and the day.'
    ),
})
const createTicketOutput = ticketSchema.extend({
  created: z
    .boolean()
    .title('Created')
    .describe('False when an earlier call with the same key had already created it.'),
})

const getTicketInput = z.object({ ticketNumber })
const getTicketOutput = ticketSchema

const listTicketsInput = z.object({
  userId: z.string().optional().title('User id').describe('Botpress user whose tickets to list.'),
  conversationId: z
    .string()
    .optional()
    .title('Conversation id')
    .describe('Or the Messenger conversation whose user to use.'),
  requesterLogin: z.string().optional().title('Requester login').describe('Or the 4biz login directly.'),
  status: z.string().optional().title('Status').describe('Only tickets with this status (as 4biz spells it).'),
})
const listTicketsOutput = z.object({
  tickets: z.array(ticketSchema).title('Tickets').describe('The requester tickets, newest first.'),
})

const addTicketCommentInput = z.object({
  ticketNumber,
  text: z.string().min(1).title('Text').describe('The follow-up text.'),
  idempotencyKey: z.string().optional().title('Idempotency key').describe('Calls with the same key add one follow-up.'),
})
const addTicketCommentOutput = z.object({
  followUpNumber: z.string().optional().title('Follow-up number').describe('Number of the follow-up in 4biz.'),
})

const cancelTicketInput = z.object({
  ticketNumber,
  reason: z.string().min(1).title('Reason').describe('Why the ticket is cancelled; recorded on the ticket.'),
})
const cancelTicketOutput = ticketSchema

const startHandoffInput = z.object({
  conversationId: z
    .string()
    .min(1)
    .title('Conversation id')
    .describe('The Messenger conversation, e.g. {{event.conversationId}}.'),
  ticketNumber: z
    .string()
    .optional()
    .title('Existing ticket')
    .describe('Link this existing ticket instead of opening one.'),
  description: z
    .string()
    .optional()
    .title('Description')
    .describe('Summary put above the conversation transcript in the new ticket.'),
  title: z.string().optional().title('Title').describe('Optional ticket title.'),
  activity: z.string().optional().title('Activity').describe('Activity (service code). Default: the configured one.'),
})
const startHandoffOutput = z.object({
  ticketNumber: z.string().title('Ticket number').describe('The linked 4biz ticket.'),
  created: z.boolean().title('Created').describe('True when a new ticket was opened.'),
})

const endHandoffInput = z.object({
  conversationId: z
    .string()
    .min(1)
    .title('Conversation id')
    .describe('The Messenger conversation to give back to the bot.'),
  reason: z.string().optional().title('Reason').describe('Recorded on the ticket as a follow-up.'),
})
const endHandoffOutput = z.object({
  ticketNumber: z.string().optional().title('Ticket number').describe('The ticket that was linked, if any.'),
})

const syncTicketUpdatesInput = z.object({
  ticketNumber: z
    .string()
    .optional()
    .title('Ticket number')
    .describe('Only this ticket. Default: every linked ticket.'),
})
const syncTicketUpdatesOutput = z.object({
  conversations: z
    .number()
    .title('Conversations')
    .describe('Conversations checked in this run (linked, or with messages waiting for 4biz).'),
  tickets: z.number().title('Tickets').describe('Tickets checked.'),
  relayed: z.number().title('Relayed').describe('Analyst follow-ups sent to users.'),
  statusChanges: z.number().title('Status changes').describe('Status changes found.'),
  pending: z.number().title('Pending').describe('Messenger messages still waiting for 4biz after this run.'),
  complete: z
    .boolean()
    .title('Complete')
    .describe(
      'True when this run ended a pass over every conversation; false when the time budget ran out first (the next run goes on from there).'
    ),
  round: z.number().title('Round').describe('Complete passes so far.'),
  errors: z.array(z.string()).title('Errors').describe('Tickets that could not be checked, with the reason.'),
})

// The Messenger actions of Botpress's standard interfaces: shapes from definitions/interfaces.ts.
const getOrCreateUserInput = proactiveUserInput(messengerUser)
const getOrCreateUserOutput = proactiveUserOutput
const getOrCreateConversationInput = proactiveConversationInput(messengerConversation)
const getOrCreateConversationOutput = proactiveConversationOutput
const startTypingIndicatorInput = typingIndicatorInputs.start
const stopTypingIndicatorInput = typingIndicatorInputs.stop

const updateMessengerProfileInput = z.object({
  getStartedPayload: z
    .string()
    .optional()
    .title('Get Started payload')
    .describe('New Get Started payload; "off" removes the button (and the menu, which needs it). Omitted: unchanged.'),
  greetings: z
    .array(greetingEntrySchema)
    .optional()
    .title('Greeting')
    .describe('New welcome-screen texts per locale; [] removes them. Omitted: unchanged.'),
  persistentMenu: z
    .array(menuItemSchema)
    .optional()
    .title('Persistent menu')
    .describe('New menu items; [] removes the menu. Omitted: unchanged.'),
  iceBreakers: z
    .array(iceBreakerSchema)
    .optional()
    .title('Ice breakers')
    .describe('New ice breakers; [] removes them. Omitted: unchanged.'),
})
const updateMessengerProfileOutput = z.object({
  changed: z
    .array(z.string())
    .title('Changed')
    .describe('Messenger profile fields set (get_started, greeting, persistent_menu, ice_breakers).'),
  removed: z.array(z.string()).title('Removed').describe('Messenger profile fields deleted.'),
})

const checkFourbizSetupInput = z.object({
  activity: z.string().optional().title('Activity').describe('Check this activity code instead of defaultActivity.'),
})
const setupCheckItem = z.object({
  item: z
    .string()
    .title('Item')
    .describe('What was checked: login, a web-service operation, the activity, the contract or the unit.'),
  status: z
    .enum(['ok', 'fix', 'unchecked'])
    .title('Status')
    .describe('ok; fix: something to change; unchecked: could not be checked from here.'),
  detail: z.string().title('Detail').describe('What was found and, when something must change, where to change it.'),
})
const checkFourbizSetupOutput = z.object({
  ok: z.boolean().title('OK').describe('True when nothing needs fixing.'),
  problems: z
    .array(z.string())
    .title('What to fix')
    .describe('One line per thing to change, in the configured language.'),
  checks: z.array(setupCheckItem).title('Checks').describe('Every check, in order.'),
  report: z.string().title('Report').describe('The whole list as readable text, in the configured language.'),
})

const io = <I extends z.ZodObject<any>, O extends z.ZodObject<any>>(
  title: string,
  description: string,
  input: I,
  output: O
) => ({
  title,
  description,
  input: { schema: input },
  output: { schema: output },
})

export const actions = {
  createTicket: io(
    'Create ticket',
    'Open a 4biz ticket for a Messenger user (idempotent).',
    createTicketInput,
    createTicketOutput
  ),
  getTicket: io('Get ticket', 'Read a 4biz ticket.', getTicketInput, getTicketOutput),
  listTickets: io('List tickets', "List a requester's 4biz tickets.", listTicketsInput, listTicketsOutput),
  addTicketComment: io(
    'Add ticket comment',
    'Add a follow-up to a 4biz ticket.',
    addTicketCommentInput,
    addTicketCommentOutput
  ),
  cancelTicket: io('Cancel ticket', 'Cancel a 4biz ticket with a reason.', cancelTicketInput, cancelTicketOutput),
  startHandoff: io(
    'Start handoff',
    'Hand the conversation to 4biz: open a ticket with the transcript (or link one); user messages then go to the ticket.',
    startHandoffInput,
    startHandoffOutput
  ),
  endHandoff: io('End handoff', 'Give the conversation back to the bot.', endHandoffInput, endHandoffOutput),
  syncTicketUpdates: io(
    'Sync ticket updates',
    'Relay new analyst follow-ups and status changes of linked tickets to Messenger (run it on a schedule).',
    syncTicketUpdatesInput,
    syncTicketUpdatesOutput
  ),
  getOrCreateUser: io(
    'Get or create user',
    'The Botpress user of a Messenger user (by PSID), to message them proactively.',
    getOrCreateUserInput,
    getOrCreateUserOutput
  ),
  getOrCreateConversation: io(
    'Get or create conversation',
    'The Botpress conversation of a Messenger PSID, to message the user proactively.',
    getOrCreateConversationInput,
    getOrCreateConversationOutput
  ),
  startTypingIndicator: io(
    'Start typing indicator',
    'Show "typing…" and mark the conversation seen.',
    startTypingIndicatorInput,
    noOutput
  ),
  stopTypingIndicator: io('Stop typing indicator', 'Hide "typing…".', stopTypingIndicatorInput, noOutput),
  updateMessengerProfile: io(
    'Update Messenger profile',
    "Change the Page's Get Started button, greeting, persistent menu or ice breakers (only the fields given, only if they differ).",
    updateMessengerProfileInput,
    updateMessengerProfileOutput
  ),
  checkFourbizSetup: io(
    'Check 4biz setup',
    'Without creating anything: log in and check each web-service operation, the activity, the contract and the unit; list what the 4biz administrator must fix.',
    checkFourbizSetupInput,
    checkFourbizSetupOutput
  ),
}
