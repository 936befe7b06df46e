import { z } from '@botpress/sdk'

/**
 * The integration configuration: the 4biz "Interação Omnichannel" form plus what a Botpress
 * integration needs. Keys are a public contract (bots store them). Botpress passes the
 * configuration raw, so defaults declared here are applied again by `src/config.ts`.
 */
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
    .describe('Base URL of 4biz including the context path, e.g. https://empresa.4biz.one/4biz (CITSmart: .../citsmart).'),
  fourbizUser: z
    .string()
    .min(1)
    .title('4biz user')
    .describe('Login of the 4biz user the integration acts as (DOMINIO\\login for directory users).'),
  fourbizPassword: z.string().min(1).secret().title('4biz password').describe('Password of the 4biz user.'),
  fourbizPlatform: z
    .string()
    .optional()
    .title('4biz platform')
    .describe('The "platform" sent on login; 4biz keys numberOrigin by it. Default BOTPRESS. Keep it stable once tickets exist.'),
  defaultUnit: z
    .string()
    .min(1)
    .title('Default unit (Unidade default)')
    .describe('Unit of the requesters created for Messenger users.'),
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
    .optional()
    .title('Contact origin (Origem do contato)')
    .describe('Contact origin of the tickets. Default Facebook. Set the same origin on the request_create web-service operation.'),
  helperInterception: z
    .boolean()
    .optional()
    .title('Helper interception (Habilitar interceptação com Helper)')
    .describe(
      'On (default): the bot talks first and hands off to a 4biz ticket with the startHandoff action. Off: every Messenger conversation goes straight to a 4biz ticket.'
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
    .optional()
    .title('Use the HUMAN_AGENT tag')
    .describe(
      'Default off. Lets analyst replies reach the user between 24 hours and 7 days after their last message. Needs the Human Agent feature approved in Meta App Review.'
    ),
  hitlCancelOnStop: z
    .boolean()
    .optional()
    .title('HITL: cancel the ticket when the bot stops the session')
    .describe(
      'Default off: when the HITL plugin stops a session (the user typed the end command, no analyst in time, or the Stop HITL card) the ticket gets a note and stays open for the analyst. On: it is also cancelled.'
    ),
  language: z
    .enum(['pt-BR', 'en', 'es'])
    .optional()
    .title('Language')
    .describe('Language of the automatic texts sent to Messenger users: pt-BR (default), en or es.'),
  statusResolved: z
    .string()
    .optional()
    .title('4biz status: resolved')
    .describe('How this 4biz tenant spells the resolved status. Default Resolvida.'),
  statusClosed: z
    .string()
    .optional()
    .title('4biz status: closed')
    .describe('How this 4biz tenant spells the closed status. Default Fechada.'),
  statusCancelled: z
    .string()
    .optional()
    .title('4biz status: cancelled')
    .describe('How this 4biz tenant spells the cancelled status; also sent by cancelTicket. Default Cancelada.'),
  followUpCategory: z
    .string()
    .optional()
    .title('4biz follow-up category')
    .describe('Category of the follow-ups the integration writes. Default Acompanhamento.'),
  textTicketOpened: z
    .string()
    .optional()
    .title('Text: ticket opened')
    .describe('Overrides the automatic answer when a ticket is opened. {ticketNumber} is replaced.'),
  textAgentReplyPrefix: z
    .string()
    .optional()
    .title('Text: analyst reply prefix')
    .describe('Overrides the prefix put before analyst replies (default "[Chamado {ticketNumber}] "). {ticketNumber} and {author} are replaced.'),
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
})
