import { messages, RuntimeError, type z } from '@botpress/sdk'
import { describeFieldIssues } from '../validate'
import {
  type Button,
  type GenericElement,
  LIMITS,
  type MediaType,
  type QuickReply,
  type SendApiMessage,
} from './send-api'

/**
 * Botpress message → the Send API `message` objects that show it on Messenger, in order, within
 * Messenger's limits (./send-api.ts, with Meta's pages). Pure: no I/O.
 *
 * Choices made where Messenger has no direct equivalent:
 * - text over 2000 characters: split on a line break or a space (never inside an emoji or a word unless
 *   the word alone is longer than the limit);
 * - media `title`: Messenger attachments have no caption, so the title follows as a text message;
 * - location: Messenger cannot send one, so a text with the title, the address and a Google Maps link;
 * - card/carousel: generic templates of 10 elements per message (the fewest sends Messenger permits);
 *   titles and subtitles cut to 80 with "…"; a card with more than 3 actions continues in the next
 *   elements of the carousel, 3 buttons each, so no action is dropped and no extra message is needed;
 *   a card with nothing but a title is sent as text (Meta refuses such an element);
 * - choice/dropdown: up to 13 options are quick replies on the (last piece of the) text; beyond that, the
 *   options go as generic-template cards of 3 postback buttons titled with the text (30 options per
 *   message), preceded by the text alone only when it is longer than a card title, because a postback
 *   carries the exact option value back, unlike a numbered list.
 */

type Defaults = typeof messages.defaults
type BotpressMessageType = keyof Defaults
type BotpressMessage = {
  [T in BotpressMessageType]: { type: T; payload: z.infer<Defaults[T]['schema']> }
}[BotpressMessageType]
type CardPayload = z.infer<Defaults['card']['schema']>
type CardAction = CardPayload['actions'][number]
type ChoicePayload = z.infer<Defaults['choice']['schema']>
type LocationPayload = z.infer<Defaults['location']['schema']>

const isMessageType = (type: string): type is BotpressMessageType =>
  Object.prototype.hasOwnProperty.call(messages.defaults, type)

/** Validates the payload against Botpress's own schema for the type, then renders it. */
export function renderMessage(type: string, payload: unknown): SendApiMessage[] {
  if (!isMessageType(type)) throw new RuntimeError(`The Messenger channel cannot send messages of type "${type}".`)
  const result = messages.defaults[type].schema.safeParse(payload)
  if (!result.success) {
    throw new RuntimeError(`Invalid ${type} message: ${describeFieldIssues(result.error.issues, 'payload')}`)
  }
  return render({ type, payload: result.data } as BotpressMessage)
}

function render(message: BotpressMessage): SendApiMessage[] {
  switch (message.type) {
    case 'text':
      return textMessages(message.payload.text)
    case 'image':
      return media('image', message.payload.imageUrl, message.payload.title, 'imageUrl')
    case 'audio':
      return media('audio', message.payload.audioUrl, message.payload.title, 'audioUrl')
    case 'video':
      return media('video', message.payload.videoUrl, message.payload.title, 'videoUrl')
    case 'file':
      return media('file', message.payload.fileUrl, message.payload.title, 'fileUrl')
    case 'location':
      return textMessages(locationText(message.payload))
    case 'card':
      return cards([message.payload], '')
    case 'carousel':
      if (!message.payload.items.length)
        throw new RuntimeError('Invalid carousel message: "items" is empty; there is nothing to send.')
      return cards(message.payload.items, 'items.')
    case 'choice':
    case 'dropdown':
      return choice(message.payload)
    case 'bloc':
      return message.payload.items.flatMap((item) => render(item))
  }
}

function textMessages(text: string, quickReplies?: QuickReply[]): SendApiMessage[] {
  const pieces = splitText(text)
  return pieces.map((piece, i) =>
    quickReplies?.length && i === pieces.length - 1 ? { text: piece, quick_replies: quickReplies } : { text: piece }
  )
}

function media(type: MediaType, url: string, title: string | undefined, field: string): SendApiMessage[] {
  const attachment: SendApiMessage = { attachment: { type, payload: { url: httpUrl(url, field) } } }
  return title ? [attachment, ...textMessages(title)] : [attachment]
}

function locationText({ latitude, longitude, title, address }: LocationPayload): string {
  const maps = `https://www.google.com/maps/search/?api=1&query=${latitude},${longitude}`
  return [title, address, maps].filter((line) => line && line.trim()).join('\n')
}

/**
 * Cards as generic templates (10 per message); actions beyond 3 follow each message as button templates.
 * A card with only a title is not a valid element for Meta ("title and at least one other field"), so it
 * is sent as text, in its place.
 */
function cards(items: CardPayload[], path: string): SendApiMessage[] {
  const out: SendApiMessage[] = []
  let run: { item: CardPayload; path: string }[] = []
  const flush = () => {
    out.push(...cardRun(run))
    run = []
  }
  items.forEach((item, i) => {
    const itemPath = path ? `${path}${i}.` : ''
    if (item.subtitle || item.imageUrl || item.actions.length) return void run.push({ item, path: itemPath })
    flush()
    out.push(...textMessages(item.title))
  })
  flush()
  return out
}

/**
 * A card with more than 3 actions becomes several elements of the same carousel (the first with the
 * card's subtitle and image, the next ones titled alike and numbered), so every action stays a button
 * and the run still packs 10 elements per send: 12 cards of 5 actions are 24 elements, 3 sends.
 */
function cardRun(run: { item: CardPayload; path: string }[]): SendApiMessage[] {
  const elements = run.flatMap(({ item, path }) => cardElements(item, path))
  return groups(elements, LIMITS.genericElements).map(genericTemplate)
}

function cardElements(item: CardPayload, path: string): GenericElement[] {
  const buttons = item.actions.map((action, i) => button(action, `${path}actions.${i}`))
  const title = truncate(item.title, LIMITS.elementTitle)
  const first: GenericElement = { title }
  if (item.subtitle) first.subtitle = truncate(item.subtitle, LIMITS.elementSubtitle)
  if (item.imageUrl) first.image_url = httpUrl(item.imageUrl, `${path}imageUrl`)
  if (buttons.length <= LIMITS.buttons) return [buttons.length ? { ...first, buttons } : first]
  const parts = groups(buttons, LIMITS.buttons)
  return parts.map((group, k) =>
    k === 0 ? { ...first, buttons: group } : { title, subtitle: `${k + 1}/${parts.length}`, buttons: group }
  )
}

/** `postback` and `say` both answer with the value (it comes back as the user's text); `url` opens a page. */
function button(action: CardAction, path: string): Button {
  const title = truncate(action.label, LIMITS.buttonTitle)
  if (action.action === 'url') return { type: 'web_url', title, url: httpUrl(action.value, `${path}.value`) }
  return { type: 'postback', title, payload: payload(action.value, `${path}.value`) }
}

function choice({ text, options }: ChoicePayload): SendApiMessage[] {
  if (options.length <= LIMITS.quickReplies) {
    const quickReplies = options.map<QuickReply>((o, i) => ({
      content_type: 'text',
      title: truncate(o.label, LIMITS.quickReplyTitle),
      payload: payload(o.value, `options.${i}.value`),
    }))
    return textMessages(text, quickReplies)
  }
  const buttons = options.map<Button>((o, i) => ({
    type: 'postback',
    title: truncate(o.label, LIMITS.buttonTitle),
    payload: payload(o.value, `options.${i}.value`),
  }))
  const cardTitle = truncate(text, LIMITS.elementTitle)
  const elements = groups(buttons, LIMITS.buttons).map<GenericElement>((group, g) => ({
    title: cardTitle,
    subtitle: `${g * LIMITS.buttons + 1}–${g * LIMITS.buttons + group.length} / ${options.length}`,
    buttons: group,
  }))
  // the cards carry the text as their title: a separate text only when it does not fit there whole
  const lead = text.length <= LIMITS.elementTitle && text.trim() ? [] : textMessages(text)
  return [...lead, ...groups(elements, LIMITS.genericElements).map(genericTemplate)]
}

const genericTemplate = (elements: GenericElement[]): SendApiMessage => ({
  attachment: { type: 'template', payload: { template_type: 'generic', elements } },
})

function groups<T>(list: T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size))
  return out
}

/** Payloads can't be shortened without changing what comes back, so an over-long one is the bot builder's to fix. */
function payload(value: string, path: string): string {
  if (value.length > LIMITS.payload)
    throw new RuntimeError(
      `Invalid message: "${path}" is ${value.length} characters; Messenger allows ${LIMITS.payload} in a button or quick reply payload.`
    )
  return value
}

function httpUrl(value: string, path: string): string {
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    url = undefined
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
    throw new RuntimeError(
      `Invalid message: "${path}" must be an http(s) URL that Meta can fetch, got "${value.slice(0, 100)}".`
    )
  return value
}

// made at the first cut, not at load: creating a Segmenter loads ICU's break rules (~6 ms of a cold start)
let segmenter: Intl.Segmenter | undefined
const graphemes = () => (segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' }))

/** The largest grapheme boundary ≤ max (UTF-16 units), so an emoji or a letter with its accent is never cut. */
function graphemeCut(text: string, max: number): number {
  let cut = 0
  for (const { index, segment } of graphemes().segment(text.slice(0, max + 64))) {
    if (index + segment.length > max) break
    cut = index + segment.length
  }
  if (cut > 0) return cut
  // A single grapheme longer than the limit (absurd combining runs): cut by code point instead.
  return text.codePointAt(max - 1)! > 0xffff ? max - 1 : max
}

/** Cuts to `max` UTF-16 units, ending with "…" when shortened. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text
  return text.slice(0, graphemeCut(text, max - 1)).trimEnd() + '…'
}

/** Splits text into pieces of at most `limit` UTF-16 units, on a line break or a space when there is one. */
export function splitText(text: string, limit: number = LIMITS.text): string[] {
  const pieces: string[] = []
  let rest = text
  while (rest.length > limit) {
    const cut = breakpoint(rest, limit)
    const piece = rest.slice(0, cut).trimEnd()
    if (piece) pieces.push(piece)
    rest = rest.slice(cut).trimStart()
  }
  if (rest) pieces.push(rest)
  return pieces
}

function breakpoint(text: string, limit: number): number {
  // text[limit] is included: a space right after the limit is a clean break too.
  const window = text.slice(0, limit + 1)
  const lineBreak = window.lastIndexOf('\n')
  if (lineBreak >= limit / 2) return lineBreak
  const space = lastWhitespace(window)
  if (space > 0) return space
  return graphemeCut(text, limit)
}

function lastWhitespace(text: string): number {
  for (let i = text.length - 1; i >= 0; i--) if (/\s/.test(text.charAt(i))) return i
  return -1
}
