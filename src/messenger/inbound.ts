import type * as bp from '../typings'
import type { InboundAttachment, MessengerEvent } from './webhook-events'

type Messages = bp.TIntegration['channels']['messenger']['messages']
type Bloc = { type: 'bloc'; payload: Messages['bloc'] }

/** What Botpress receives for a Messenger message or postback: the SDK's message types a bloc may hold. */
export type IncomingMessage = Messages['bloc']['items'][number]

/** One message, or several (text with attachments) as a bloc. */
export type BotMessage = IncomingMessage | Bloc

export type Incoming = BotMessage & {
  /** the title of the quick reply or button tapped: the text is its value */
  title?: string
}

/** The message without the tapped option's title (that goes in a tag), as Botpress's client takes it. */
export function botMessage(incoming: Incoming): BotMessage {
  const { title: _title, ...message } = incoming
  return message
}

type MessageEvent = Extract<MessengerEvent, { kind: 'message' }>
type PostbackEvent = Extract<MessengerEvent, { kind: 'postback' }>

/**
 * Quick replies and postbacks arrive as text whose text is the option's value (payload), so a flow
 * can branch on it; several attachments (or text with attachments) arrive as one bloc.
 */
export function toIncoming(event: MessageEvent | PostbackEvent): Incoming | undefined {
  if (event.kind === 'postback') {
    const text = event.payload ?? event.title
    return text ? { type: 'text', payload: { text }, title: event.title } : undefined
  }
  if (event.quickReplyPayload !== undefined && event.quickReplyPayload !== '') {
    return { type: 'text', payload: { text: event.quickReplyPayload }, title: event.text }
  }
  const items: IncomingMessage[] = []
  if (event.text) items.push({ type: 'text', payload: { text: event.text } })
  for (const a of event.attachments) items.push(fromAttachment(a))
  if (items.length === 0) return undefined
  if (items.length === 1) return items[0]!
  return { type: 'bloc', payload: { items } }
}

function fromAttachment(a: InboundAttachment): IncomingMessage {
  switch (a.type) {
    case 'image':
      return { type: 'image', payload: withTitle({ imageUrl: a.url }, a.title) }
    case 'audio':
      return { type: 'audio', payload: withTitle({ audioUrl: a.url }, a.title) }
    case 'video':
      return { type: 'video', payload: withTitle({ videoUrl: a.url }, a.title) }
    case 'file':
      return { type: 'file', payload: withTitle({ fileUrl: a.url }, a.title) }
    case 'sticker':
      // a sticker is a picture; the rare one without URL still tells the bot something was sent
      return a.url
        ? { type: 'image', payload: { imageUrl: a.url, title: 'sticker' } }
        : { type: 'text', payload: { text: `(sticker ${a.stickerId})` } }
    case 'location':
      return { type: 'location', payload: withTitle({ latitude: a.latitude, longitude: a.longitude }, a.title) }
    case 'share': {
      const text = [a.title, a.url].filter(Boolean).join('\n') || `(${a.kind})`
      return { type: 'text', payload: { text } }
    }
  }
}

function withTitle<T extends object>(payload: T, title: string | undefined): T & { title?: string } {
  return title ? { ...payload, title } : payload
}

/** A one-line rendering, for ticket follow-ups and transcripts. */
export function describeIncoming(m: Incoming | IncomingMessage): string {
  switch (m.type) {
    case 'text':
      return m.payload.text
    case 'image':
      return `[image] ${m.payload.imageUrl}`
    case 'audio':
      return `[audio] ${m.payload.audioUrl}`
    case 'video':
      return `[video] ${m.payload.videoUrl}`
    case 'file':
      return `[file] ${m.payload.title ? m.payload.title + ' ' : ''}${m.payload.fileUrl}`
    case 'location':
      return `[location] ${m.payload.title ? m.payload.title + ' ' : ''}${m.payload.latitude},${m.payload.longitude}`
    case 'bloc':
      return m.payload.items.map(describeIncoming).join('\n')
  }
}
