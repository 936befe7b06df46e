import { z } from '@botpress/sdk'

/**
 * The integration configuration: the 4biz "Interação Omnichannel" form plus what a Botpress
 * integration needs. Keys are a public contract (bots store them). Defaults are declared here only:
 * Studio shows them, and `src/config.ts` applies them (Botpress passes the configuration raw).
 */
/** Messenger Profile entries (Get Started, greeting, menu, ice breakers): data only, limits checked in src/messenger/profile.ts. */
const locale = z
  .string()
  .optional()
  .title('Locale')
  .describe('Meta locale, e.g. pt_BR, en_US, es_LA, or "default" (the fallback every list needs). Default: default.')

export const greetingEntrySchema = z.object({
  locale,
  text: z
    .string()
    .title('Text')
    .describe(
      'Shown on the welcome screen, at most 160 characters; {{user_first_name}}, {{user_last_name}} and {{user_full_name}} are replaced by Meta.'
    ),
})

export const menuItemSchema = z.object({
  locale,
  title: z.string().title('Title').describe('Menu item text, at most 30 characters.'),
  payload: z
    .string()
    .optional()
    .title('Postback payload')
    .describe("Sent to the bot as the user's text when tapped (at most 1000 characters). Give a payload or a URL."),
  url: z.string().optional().title('URL').describe('Opens this http(s) page when tapped, instead of a payload.'),
})

export const iceBreakerSchema = z.object({
  locale,
  question: z
    .string()
    .title('Question')
    .describe('A question the user can tap to start the conversation, at most 80 characters.'),
  payload: z
    .string()
    .title('Postback payload')
    .describe("Sent to the bot as the user's text when tapped (at most 1000 characters)."),
})

export const configurationSchema = z.object({
  pageAccessToken: z
    .string()
    .min(1)
    .secret()
    .title('Page access token (Token de acesso)')
    .describe('Messenger > Settings > Access tokens > Generate token, for the Facebook Page connected to this bot.'),
  appSecret: z
    .string()
    .min(1)
    .secret()
    .title('App secret (Chave secreta do aplicativo)')
    .describe(
      'Meta app > Settings > Basic > App secret. Used to check the signature of every webhook call and for appsecret_proof; the check cannot be turned off.'
    ),
  verifyToken: z
    .string()
    .min(1)
    .title('Verify token (Token de verificação)')
    .describe('Any string you choose; paste the same value in the Meta app webhook settings.'),
  pageId: z
    .string()
    .regex(/^\d+$/, 'Must be the numeric Facebook Page id')
    .title('Facebook Page id')
    .describe('The numeric id of the Facebook Page. Events for other pages are ignored.'),
  appId: z
    .string()
    .regex(/^\d+$/, 'Must be the numeric Meta app id')
    .optional()
    .title('Meta app id')
    .describe(
      'Optional. Tells the echoes of messages this integration sent from a human answering in the Page inbox, which are recorded on the linked ticket.'
    ),
  fourbizUrl: z
    .string()
    .url()
    .title('4biz URL')
    .describe(
      'Base URL of 4biz including the context path, e.g. https://empresa.4biz.one/4biz (CITSmart: .../citsmart).'
    ),
  fourbizUser: z
    .string()
    .min(1)
    .title('4biz user')
    .describe('Login of the 4biz user the integration acts as (DOMINIO\\login for directory users).'),
  fourbizPassword: z.string().min(1).secret().title('4biz password').describe('Password of the 4biz user.'),
  fourbizPlatform: z
    .string()
    .default('BOTPRESS')
    .title('4biz platform')
    .describe('The "platform" sent on login; 4biz keys numberOrigin by it. Keep it stable once tickets exist.'),
  defaultUnit: z
    .string()
    .min(1)
    .title('Default unit (Unidade default)')
    .describe(
      'Name of the 4biz unit (Unidade), exactly as registered, given to the requesters the integration creates (sent as contact.department). The ticket unit is the one of the 4biz integration user, else DEFAULT_DEPTO_ID of the request_create operation.'
    ),
  defaultGroup: z
    .string()
    .min(1)
    .title('Default group (Grupo default)')
    .describe(
      'Group of the requesters created for Messenger users. 4biz assigns synchronized requesters to the group of its parameter 45: set that parameter to this group.'
    ),
  defaultActivity: z
    .string()
    .min(1)
    .title('Default activity (Atividade default)')
    .describe('Activity (service code) of the tickets opened from Messenger.'),
  contactOrigin: z
    .string()
    .default('Facebook')
    .title('Contact origin (Origem do contato)')
    .describe('Contact origin of the tickets. Set the same origin on the request_create web-service operation.'),
  helperInterception: z
    .boolean()
    .default(true)
    .title('Helper interception (Habilitar interceptação com Helper)')
    .describe(
      'On: the bot talks first and hands off to a 4biz ticket with the startHandoff action. Off: every Messenger conversation goes straight to a 4biz ticket.'
    ),
  defaultContract: z
    .string()
    .optional()
    .title('Default contract')
    .describe('Optional 4biz contract id for new tickets. When empty, 4biz parameter 118 applies.'),
  fourbizWebhookSecret: z
    .string()
    .secret()
    .optional()
    .title('4biz push secret')
    .describe(
      'Optional. Enables the push endpoint {webhook URL}/4biz for analyst replies and status changes; 4biz signs each call with HMAC-SHA256 of this secret.'
    ),
  humanAgentTag: z
    .boolean()
    .default(false)
    .title('Use the HUMAN_AGENT tag')
    .describe(
      'Lets analyst replies reach the user between 24 hours and 7 days after their last message. Needs the Human Agent feature approved in Meta App Review.'
    ),
  hitlCancelOnStop: z
    .boolean()
    .default(false)
    .title('HITL: cancel the ticket when the bot stops the session')
    .describe(
      'Default off: when the HITL plugin stops a session (the user typed the end command, no analyst in time, or the Stop HITL card) the ticket gets a note and stays open for the analyst. On: it is also cancelled.'
    ),
  language: z
    .enum(['pt-BR', 'en', 'es'])
    .default('pt-BR')
    .title('Language')
    .describe('Language of the automatic texts sent to Messenger users: pt-BR, en or es.'),
  statusResolved: z
    .string()
    .default('Resolvida')
    .title('4biz status: resolved')
    .describe('How this 4biz tenant spells the resolved status.'),
  statusClosed: z
    .string()
    .default('Fechada')
    .title('4biz status: closed')
    .describe('How this 4biz tenant spells the closed status.'),
  statusCancelled: z
    .string()
    .default('Cancelada')
    .title('4biz status: cancelled')
    .describe('How this 4biz tenant spells the cancelled status; also sent by cancelTicket.'),
  followUpCategory: z
    .string()
    .default('Acompanhamento')
    .title('4biz follow-up category')
    .describe('Category of the follow-ups the integration writes.'),
  analystFollowUpCategories: z
    .string()
    .default('Acompanhamento')
    .title('4biz follow-up categories relayed')
    .describe(
      'Comma-separated categories (code or name) of the follow-ups analysts write to the requester; only these reach Messenger. System follow-ups (Criacao, Atualizacao, MudancaSLA, InicioSLA, Encerramento…) never do.'
    ),
  systemFollowUpAuthors: z
    .string()
    .default('Automático, Sistema, System')
    .title('4biz system authors')
    .describe('Comma-separated logins 4biz writes automatic follow-ups as; never relayed.'),
  requesterEmail: z
    .string()
    .default('{login}@messenger.invalid')
    .title('Requester e-mail (new requesters)')
    .describe(
      'E-mail sent as contact.email when the integration creates a 4biz requester (4biz requires one). {psid}, {login} and {userId} are replaced. Default {login}@messenger.invalid (never delivered).'
    ),
  requesterPhone: z
    .string()
    .default('{psid}')
    .title('Requester phone (new requesters)')
    .describe(
      'Phone sent as contact.phoneNumber when the integration creates a 4biz requester (4biz requires one). {psid}, {login} and {userId} are replaced. Default {psid}.'
    ),
  textTicketOpened: z
    .string()
    .optional()
    .title('Text: ticket opened')
    .describe('Overrides the automatic answer when a ticket is opened. {ticketNumber} is replaced.'),
  textAgentReplyPrefix: z
    .string()
    .optional()
    .title('Text: analyst reply prefix')
    .describe(
      'Overrides the prefix put before analyst replies (default "[Chamado {ticketNumber}] "). {ticketNumber} and {author} are replaced.'
    ),
  textTicketResolved: z
    .string()
    .optional()
    .title('Text: ticket resolved')
    .describe('Overrides the message sent when the ticket is resolved. {ticketNumber} is replaced.'),
  textTicketClosed: z
    .string()
    .optional()
    .title('Text: ticket closed')
    .describe('Overrides the message sent when the ticket is closed. {ticketNumber} is replaced.'),
  textTicketCancelled: z
    .string()
    .optional()
    .title('Text: ticket cancelled')
    .describe('Overrides the message sent when the ticket is cancelled. {ticketNumber} is replaced.'),
  textTicketUnavailable: z
    .string()
    .optional()
    .title('Text: cannot open a ticket')
    .describe('Overrides the message sent when a ticket cannot be opened right now.'),
  messengerProfile: z
    .boolean()
    .default(true)
    .title('Set up the Messenger profile')
    .describe(
      "On: register sets the Page's Get Started button, greeting, persistent menu and ice breakers below (only what changed). Off: the integration never touches them."
    ),
  getStartedPayload: z
    .string()
    .optional()
    .title('Get Started payload')
    .describe(
      'Sent to the bot as the user\'s text when a new user taps Get Started. Default GET_STARTED. "off" removes the button (and the menu, which needs it).'
    ),
  greetings: z
    .array(greetingEntrySchema)
    .optional()
    .title('Greeting (welcome screen)')
    .describe(
      'Welcome-screen text per locale. Default: a service-desk greeting in the configured language, en and es. An empty list removes it.'
    ),
  persistentMenu: z
    .array(menuItemSchema)
    .optional()
    .title('Persistent menu')
    .describe(
      'Menu items (20 per locale at most), each with a payload or a URL. Default (Helper interception on): open a ticket, my tickets, talk to a person, in pt-BR, en and es; none with interception off. An empty list removes it.'
    ),
  iceBreakers: z
    .array(iceBreakerSchema)
    .optional()
    .title('Ice breakers')
    .describe(
      'Up to 4 questions per locale shown to new users. Default none: Meta shows them instead of the Get Started button.'
    ),
  profileOnUnregister: z
    .enum(['clear', 'leave'])
    .default('clear')
    .title('Messenger profile on unregister')
    .describe(
      "clear: remove what the integration set up; leave: keep the Page's Get Started, greeting, menu and ice breakers."
    ),
  rehostMedia: z
    .boolean()
    .default(true)
    .title('Keep media in Botpress')
    .describe(
      "On: images, audio, video and files users send are copied into Botpress files, so the conversation keeps them after Meta's links expire. A failed copy keeps Meta's link."
    ),
  mediaMaxMegabytes: z
    .number()
    .positive()
    .default(25)
    .title('Largest media to keep (MB)')
    .describe("Media larger than this stay as Meta's link. 25 is Messenger's own attachment limit."),
  mediaExpiryDays: z
    .number()
    .min(0)
    .max(90)
    .default(0)
    .title('Keep media for (days)')
    .describe('Botpress deletes copied media after this many days (at most 90). 0: kept until deleted.'),
})
