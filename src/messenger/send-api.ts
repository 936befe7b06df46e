/**
 * The Send API's wire shapes we produce and Messenger's limits (Meta's Send API reference,
 * https://developers.facebook.com/docs/messenger-platform/reference/send-api/, and its quick replies page,
 * https://developers.facebook.com/docs/messenger-platform/reference/buttons/quick-replies).
 * Only what the integration sends is modelled; Graph *responses* are validated with zod in graph-client.ts.
 */

/** Messenger's documented limits, enforced by the renderer rather than left to Meta. */
export const LIMITS = {
  /** Text: "less than 2000 characters"; measured in UTF-16 units, which never undercounts. */
  text: 2000,
  quickReplies: 13,
  quickReplyTitle: 20,
  payload: 1000,
  genericElements: 10,
  elementTitle: 80,
  elementSubtitle: 80,
  buttons: 3,
  buttonTitle: 20,
  buttonTemplateText: 640,
} as const

export type QuickReply = { content_type: 'text'; title: string; payload: string }

export type Button =
  { type: 'postback'; title: string; payload: string } | { type: 'web_url'; title: string; url: string }

export type GenericElement = { title: string; subtitle?: string; image_url?: string; buttons?: Button[] }

export type MediaType = 'image' | 'audio' | 'video' | 'file'

type TextMessage = { text: string; quick_replies?: QuickReply[] }
type MediaMessage = { attachment: { type: MediaType; payload: { url: string } } }
type GenericTemplateMessage = {
  attachment: { type: 'template'; payload: { template_type: 'generic'; elements: GenericElement[] } }
}
type ButtonTemplateMessage = {
  attachment: { type: 'template'; payload: { template_type: 'button'; text: string; buttons: Button[] } }
}

/**
 * Put on every message we send (`message.metadata`, < 1000 characters): Meta returns it in the echo, so the
 * webhook can tell our own sends from a human answering in the Page inbox even without `appId`.
 */
export const OWN_ECHO_METADATA = 'fourbiz-botpress'

/** The `message` object of one Send API call. */
export type SendApiMessage = TextMessage | MediaMessage | GenericTemplateMessage | ButtonTemplateMessage

/**
 * How a message relates to the 24-hour window. The union makes a tag impossible without MESSAGE_TAG, and
 * the deprecated tags (CONFIRMED_EVENT_UPDATE, ACCOUNT_UPDATE, POST_PURCHASE_UPDATE: error 100 since
 * 27 Apr 2026) impossible at all.
 */
export type MessagingOptions =
  { messagingType: 'RESPONSE' | 'UPDATE' } | { messagingType: 'MESSAGE_TAG'; tag: 'HUMAN_AGENT' }

export type SenderAction = 'typing_on' | 'typing_off' | 'mark_seen'
