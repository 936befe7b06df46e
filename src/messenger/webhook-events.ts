import { z } from '@botpress/sdk'
import { describeIssues } from '../validate'

/**
 * Parsing a Messenger webhook body into typed events. Deciding what an event means for Botpress or
 * 4biz happens elsewhere (src/webhook/dispatch.ts). Every item is parsed on its own, so one bad item
 * never sinks its siblings. Objects are not strict: Meta adds fields over time.
 */

const id = z.union([z.string().min(1), z.number()]).transform(String)
const str = z.union([z.string(), z.number()]).transform(String)
const timestamp = z.union([z.number(), z.string().regex(/^\d+(\.\d+)?$/)]).transform(toMillis)
// shared by the many optional fields below (schemas are immutable): fewer objects built at load
const optionalText = z.string().nullish()
const optionalStr = str.nullish()

/** Meta sends ms, but some pages document seconds, and "all properties are strings". */
function toMillis(value: number | string): number {
  const n = typeof value === 'number' ? value : Number(value)
  return n < 1e12 ? Math.round(n * 1000) : Math.round(n)
}

const party = z.object({ id: id.optional(), user_ref: str.optional() }).optional()

const attachmentSchema = z.object({
  type: z.string(),
  title: optionalText,
  url: optionalText,
  payload: z
    .object({
      url: optionalText,
      title: optionalText,
      sticker_id: optionalStr,
      coordinates: z.object({ lat: z.number(), long: z.number() }).nullish(),
      product: z
        .object({
          elements: z.array(z.object({ title: optionalText, subtitle: optionalText, image_url: optionalText })),
        })
        .nullish(),
      reel_video_id: optionalStr,
      id: optionalStr,
      status: optionalText,
      start_time: z.union([z.number(), z.string()]).nullish(),
      booking_id: optionalStr,
    })
    .nullish(),
})

const messageSchema = z.object({
  mid: z.string().min(1),
  text: optionalText,
  is_echo: z.boolean().nullish(),
  app_id: optionalStr,
  metadata: optionalText,
  quick_reply: z.object({ payload: str }).nullish(),
  reply_to: z.object({ mid: optionalText }).nullish(),
  attachments: z.array(z.unknown()).nullish(),
  sticker_id: optionalStr,
})

const itemSchema = z.object({
  sender: party,
  recipient: party,
  timestamp: timestamp.optional(),
  message: messageSchema.optional(),
  postback: z
    .object({
      mid: optionalText,
      title: optionalText,
      payload: optionalStr,
      referral: z.object({ ref: optionalText, source: optionalText, type: optionalText }).nullish(),
    })
    .optional(),
  read: z.object({ watermark: timestamp }).optional(),
  delivery: z.object({ watermark: timestamp.optional(), mids: z.array(z.string()).nullish() }).optional(),
  reaction: z
    .object({ mid: z.string(), action: z.enum(['react', 'unreact']), reaction: optionalText, emoji: optionalText })
    .optional(),
  referral: z
    .object({
      ref: optionalText,
      source: optionalText,
      type: optionalText,
      ad_id: optionalStr,
      referer_uri: optionalText,
    })
    .optional(),
  optin: z
    .object({
      type: optionalText,
      ref: optionalText,
      user_ref: optionalStr,
      payload: optionalStr,
      notification_messages_token: optionalText,
      notification_messages_status: optionalText,
      user_token_status: optionalText,
    })
    .optional(),
  account_linking: z.object({ status: z.enum(['linked', 'unlinked']), authorization_code: optionalText }).optional(),
  message_edit: z
    .object({ mid: z.string(), text: optionalText, num_edit: z.union([z.number(), z.string()]).nullish() })
    .optional(),
  policy_enforcement: z.object({ action: z.string(), reason: optionalText }).optional(),
  'policy-enforcement': z.object({ action: z.string(), reason: optionalText }).optional(),
  pass_thread_control: z
    .object({ new_owner_app_id: optionalStr, previous_owner_app_id: optionalStr, metadata: optionalText })
    .optional(),
  take_thread_control: z
    .object({ new_owner_app_id: optionalStr, previous_owner_app_id: optionalStr, metadata: optionalText })
    .optional(),
  request_thread_control: z.object({ requested_owner_app_id: optionalStr, metadata: optionalText }).optional(),
  app_roles: z.record(z.string(), z.unknown()).optional(),
})
type Item = z.infer<typeof itemSchema>

export type InboundAttachment =
  | { type: 'image' | 'audio' | 'video' | 'file'; url: string; title?: string }
  | { type: 'sticker'; url?: string; stickerId: string }
  | { type: 'location'; latitude: number; longitude: number; title?: string; url?: string }
  | { type: 'share'; title?: string; url?: string; kind: string }

type Base = {
  pageId: string
  /** The Messenger user: sender for inbound events, recipient for echoes. */
  psid?: string
  /** Chat-plugin / checkbox visitors have a user_ref instead of a PSID. */
  userRef?: string
  timestamp: number
  standby: boolean
  /** Identifies the event across redeliveries: the mid, or a key derived from its content. */
  key: string
}

export type MessengerEvent = Base &
  (
    | {
        kind: 'message'
        mid: string
        text?: string
        quickReplyPayload?: string
        replyTo?: string
        attachments: InboundAttachment[]
        referral?: Referral
      }
    | { kind: 'echo'; mid: string; appId?: string; metadata?: string; text?: string; attachments: InboundAttachment[] }
    | { kind: 'postback'; mid?: string; payload?: string; title?: string; referral?: Referral }
    | { kind: 'reaction'; mid: string; action: 'react' | 'unreact'; reaction?: string; emoji?: string }
    | { kind: 'read'; watermark: number }
    | { kind: 'delivery'; watermark?: number; mids: string[] }
    | ({ kind: 'referral' } & Referral)
    | { kind: 'optin'; type?: string; ref?: string; payload?: string; token?: string; status?: string }
    | { kind: 'accountLinking'; status: 'linked' | 'unlinked'; authorizationCode?: string }
    | { kind: 'edit'; mid: string; text: string; numEdit?: number }
    | { kind: 'handover'; action: 'pass' | 'take' | 'request' | 'appRoles'; detail: Record<string, unknown> }
    | { kind: 'policy'; action: string; reason?: string }
    | { kind: 'unknown'; fields: string[] }
  )

type Referral = { ref?: string; source?: string; type?: string; adId?: string; refererUri?: string }

type ParsedItem = { ok: true; event: MessengerEvent } | { ok: false; error: string; where: string }

export type ParsedBody =
  { kind: 'page'; items: ParsedItem[]; ignoredEntries: number } | { kind: 'ignored'; reason: string }

const entrySchema = z.object({
  id: id,
  time: timestamp.optional(),
  messaging: z.array(z.unknown()).optional(),
  standby: z.array(z.unknown()).optional(),
})

/** Every entry, every messaging[] and standby[] item; entries of other pages are dropped. */
export function parseWebhookBody(body: unknown, pageId: string): ParsedBody {
  if (!isObject(body)) return { kind: 'ignored', reason: 'body is not a JSON object' }
  if (body.object !== 'page') return { kind: 'ignored', reason: `object "${String(body.object)}" is not "page"` }
  if (!Array.isArray(body.entry)) return { kind: 'ignored', reason: 'entry is not an array' }
  const items: ParsedItem[] = []
  let ignoredEntries = 0
  body.entry.forEach((rawEntry, e) => {
    const entry = entrySchema.safeParse(rawEntry)
    if (!entry.success) {
      items.push({ ok: false, error: describe(entry.error), where: `entry[${e}]` })
      return
    }
    if (entry.data.id !== pageId) {
      ignoredEntries += 1
      return
    }
    const lists: [unknown[] | undefined, boolean][] = [
      [entry.data.messaging, false],
      [entry.data.standby, true],
    ]
    for (const [list, standby] of lists) {
      list?.forEach((raw, i) => {
        const where = `entry[${e}].${standby ? 'standby' : 'messaging'}[${i}]`
        items.push(parseItem(raw, { pageId, standby, fallbackTime: entry.data.time, where }))
      })
    }
  })
  return { kind: 'page', items, ignoredEntries }
}

function parseItem(
  raw: unknown,
  ctx: { pageId: string; standby: boolean; fallbackTime?: number; where: string }
): ParsedItem {
  const parsed = itemSchema.safeParse(raw)
  if (!parsed.success) return { ok: false, error: describe(parsed.error), where: ctx.where }
  try {
    return { ok: true, event: toEvent(parsed.data, raw as Record<string, unknown>, ctx) }
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err), where: ctx.where }
  }
}

function toEvent(
  item: Item,
  rawItem: Record<string, unknown>,
  ctx: { pageId: string; standby: boolean; fallbackTime?: number }
): MessengerEvent {
  const timestamp = item.timestamp ?? ctx.fallbackTime ?? Date.now()
  const senderId = item.sender?.id
  const userRef = item.sender?.user_ref ?? undefined
  const base = { pageId: ctx.pageId, timestamp, standby: ctx.standby, userRef }
  const who = senderId ?? userRef ?? 'page'

  if (item.message) {
    const m = item.message
    const attachments = parseAttachments(m.attachments ?? [], m.sticker_id ?? undefined)
    if (m.is_echo) {
      // Echoes go from the page to the user: the PSID is the recipient.
      const psid = item.recipient?.id
      return {
        ...base,
        kind: 'echo',
        psid,
        key: m.mid,
        mid: m.mid,
        appId: m.app_id ?? undefined,
        metadata: m.metadata ?? undefined,
        text: m.text ?? undefined,
        attachments,
      }
    }
    requireSender(senderId, 'message')
    return {
      ...base,
      kind: 'message',
      psid: senderId,
      key: m.mid,
      mid: m.mid,
      text: m.text ?? undefined,
      quickReplyPayload: m.quick_reply?.payload,
      replyTo: m.reply_to?.mid ?? undefined,
      attachments,
    }
  }
  if (item.postback) {
    const p = item.postback
    requireSender(senderId ?? userRef, 'postback')
    return {
      ...base,
      kind: 'postback',
      psid: senderId,
      key: p.mid ?? `postback:${who}:${timestamp}:${p.payload ?? p.title ?? ''}`,
      mid: p.mid ?? undefined,
      payload: p.payload ?? undefined,
      title: p.title ?? undefined,
      referral: p.referral
        ? clean({ ref: p.referral.ref, source: p.referral.source, type: p.referral.type })
        : undefined,
    }
  }
  if (item.reaction) {
    const r = item.reaction
    requireSender(senderId, 'reaction')
    return {
      ...base,
      kind: 'reaction',
      psid: senderId,
      key: `reaction:${senderId}:${r.mid}:${r.action}:${timestamp}`,
      mid: r.mid,
      action: r.action,
      reaction: r.reaction ?? undefined,
      emoji: r.emoji ?? undefined,
    }
  }
  if (item.message_edit) {
    const m = item.message_edit
    requireSender(senderId, 'message_edit')
    const numEdit = m.num_edit === null || m.num_edit === undefined ? undefined : Number(m.num_edit)
    return {
      ...base,
      kind: 'edit',
      psid: senderId,
      key: `edit:${m.mid}:${numEdit ?? timestamp}`,
      mid: m.mid,
      text: m.text ?? '',
      numEdit: Number.isFinite(numEdit) ? numEdit : undefined,
    }
  }
  if (item.read) {
    return {
      ...base,
      kind: 'read',
      psid: senderId,
      key: `read:${who}:${item.read.watermark}`,
      watermark: item.read.watermark,
    }
  }
  if (item.delivery) {
    const mids = item.delivery.mids ?? []
    return {
      ...base,
      kind: 'delivery',
      psid: senderId,
      key: `delivery:${who}:${mids.join(',') || item.delivery.watermark}`,
      watermark: item.delivery.watermark,
      mids,
    }
  }
  if (item.referral) {
    const r = item.referral
    return {
      ...base,
      kind: 'referral',
      psid: senderId,
      key: `referral:${who}:${timestamp}:${r.ref ?? ''}`,
      ...clean({ ref: r.ref, source: r.source, type: r.type, adId: r.ad_id, refererUri: r.referer_uri }),
    }
  }
  if (item.optin) {
    const o = item.optin
    const ref = o.user_ref ?? userRef
    return {
      ...base,
      kind: 'optin',
      psid: senderId,
      userRef: ref ?? undefined,
      key: `optin:${senderId ?? ref ?? 'anonymous'}:${timestamp}:${o.type ?? o.ref ?? ''}`,
      ...clean({
        type: o.type,
        ref: o.ref,
        payload: o.payload,
        token: o.notification_messages_token,
        status: o.notification_messages_status ?? o.user_token_status,
      }),
    }
  }
  if (item.account_linking) {
    requireSender(senderId, 'account_linking')
    return {
      ...base,
      kind: 'accountLinking',
      psid: senderId,
      key: `account_linking:${senderId}:${timestamp}:${item.account_linking.status}`,
      status: item.account_linking.status,
      authorizationCode: item.account_linking.authorization_code ?? undefined,
    }
  }
  const policy = item.policy_enforcement ?? item['policy-enforcement']
  if (policy) {
    return {
      ...base,
      kind: 'policy',
      key: `policy:${timestamp}:${policy.action}`,
      action: policy.action,
      reason: policy.reason ?? undefined,
    }
  }
  const handover = (
    [
      ['pass', item.pass_thread_control],
      ['take', item.take_thread_control],
      ['request', item.request_thread_control],
      ['appRoles', item.app_roles],
    ] as const
  ).find(([, v]) => v !== undefined)
  if (handover) {
    return {
      ...base,
      kind: 'handover',
      psid: senderId,
      key: `handover:${who}:${timestamp}:${handover[0]}`,
      action: handover[0],
      detail: { ...(handover[1] as Record<string, unknown>) },
    }
  }
  // a kind we don't know (payments, game plays, feedback...): report its keys only
  const fields = Object.keys(rawItem).filter((k) => !['sender', 'recipient', 'timestamp'].includes(k))
  return { ...base, kind: 'unknown', psid: senderId, key: `unknown:${who}:${timestamp}:${fields.join(',')}`, fields }
}

/**
 * Attachments, normalised. During Meta's 2026 sticker transition one sticker arrives twice (a
 * `sticker` and an `image` with the same sticker_id): they collapse into one.
 */
function parseAttachments(list: unknown[], legacyStickerId?: string): InboundAttachment[] {
  const out: InboundAttachment[] = []
  const stickers = new Set<string>()
  for (const rawAttachment of list) {
    const parsed = attachmentSchema.safeParse(rawAttachment)
    if (!parsed.success) continue
    const a = parsed.data
    const p = a.payload ?? {}
    const url = p.url ?? a.url ?? undefined
    const stickerId = p.sticker_id ?? (a.type === 'image' && legacyStickerId ? legacyStickerId : undefined)
    if (a.type === 'sticker' || stickerId) {
      const sid = stickerId ?? url ?? 'sticker'
      if (stickers.has(sid)) {
        // keep the URL if the first shape had none
        const first = out.find((x) => x.type === 'sticker' && x.stickerId === sid) as Extract<
          InboundAttachment,
          { type: 'sticker' }
        >
        if (first && !first.url && url) first.url = url
        continue
      }
      stickers.add(sid)
      out.push({ type: 'sticker', stickerId: sid, url: url ?? undefined })
      continue
    }
    switch (a.type) {
      case 'image':
      case 'audio':
      case 'video':
      case 'file':
        if (url) out.push({ type: a.type, url, title: p.title ?? a.title ?? undefined })
        break
      case 'location':
        if (p.coordinates)
          out.push({
            type: 'location',
            latitude: p.coordinates.lat,
            longitude: p.coordinates.long,
            title: a.title ?? p.title ?? undefined,
            url: url ?? undefined,
          })
        break
      case 'template': {
        const elements = p.product?.elements ?? []
        const title = elements
          .map((e) => [e.title, e.subtitle].filter(Boolean).join(' — '))
          .filter(Boolean)
          .join('; ')
        out.push({
          type: 'share',
          kind: 'product',
          title: title || p.title || a.title || undefined,
          url: url ?? undefined,
        })
        break
      }
      case 'appointment_booking':
        out.push({
          type: 'share',
          kind: 'appointment',
          title:
            [p.status, p.start_time ? new Date(toMillis(p.start_time)).toISOString() : undefined]
              .filter(Boolean)
              .join(' ') || undefined,
        })
        break
      default:
        // fallback, reel, ig_reel, post, ig_post, share, and types Meta adds later: title and link
        out.push({ type: 'share', kind: a.type, title: p.title ?? a.title ?? undefined, url: url ?? undefined })
    }
  }
  if (legacyStickerId && !stickers.has(legacyStickerId)) out.unshift({ type: 'sticker', stickerId: legacyStickerId })
  return out
}

function requireSender(senderId: string | undefined, kind: string): asserts senderId is string {
  if (!senderId) throw new Error(`${kind} without sender.id`)
}

/** Without its null and undefined fields: an event names only what Meta sent. */
function clean<T extends Record<string, unknown>>(o: T): { [K in keyof T]: Exclude<T[K], null> } {
  // Object.fromEntries loses the keys' types; the filter is what makes the result's type true
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], null>
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

const describe = (error: z.ZodError): string => describeIssues(error.issues, '(root)', 3)
