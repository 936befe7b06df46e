import { createHash } from 'node:crypto'
import type * as bp from '../typings'
import type { Config } from '../config'
import { env } from '../env'
import { downloadAttachment } from '../fourbiz/attachments'
import type { Incoming, IncomingMessage } from './inbound'

/**
 * Media that outlives Meta's CDN: the images, audio, video and files a user sends are copied into
 * Botpress files (public URL) and the message carries that URL, so the conversation history and the
 * 4biz ticket (which downloads the message's URL) keep working after Meta's signed links expire.
 *
 * Best effort by design: a download that fails, is too large or too slow keeps Meta's URL and says
 * why in the bot's logs; the message is never held back. The file key comes from the message id, so a
 * redelivery (on this or another instance) finds the file already there and uploads nothing.
 */

export type MediaProps = Pick<bp.CommonProps, 'client' | 'logger'> & {
  config: Pick<Config, 'rehostMedia' | 'mediaMaxMegabytes' | 'mediaExpiryDays'>
  /** The time left for the download (the webhook's budget); past it the CDN link is kept. */
  budgetMs?: number
}

/**
 * Meta wants the webhook answered within seconds: a copy that takes
 * longer is abandoned (shorter in tests: src/env.ts).
 */
const mediaTimeoutMs = env.mediaTimeoutMs

type MediaItem = Extract<IncomingMessage, { type: 'image' | 'audio' | 'video' | 'file' }>
const URL_FIELD = { image: 'imageUrl', audio: 'audioUrl', video: 'videoUrl', file: 'fileUrl' } as const

/** The message with every media URL replaced by its Botpress copy (unchanged when re-hosting is off). */
export async function rehostMedia(props: MediaProps, incoming: Incoming, mid: string | undefined): Promise<Incoming>
export async function rehostMedia(
  props: MediaProps,
  incoming: Incoming | undefined,
  mid: string | undefined
): Promise<Incoming | undefined>
export async function rehostMedia(
  props: MediaProps,
  incoming: Incoming | undefined,
  mid: string | undefined
): Promise<Incoming | undefined> {
  if (!incoming || !props.config.rehostMedia || !mid) return incoming
  if (incoming.type === 'bloc') {
    const items: IncomingMessage[] = []
    for (const [i, item] of incoming.payload.items.entries()) items.push(await rehostItem(props, item, mid, i))
    return { ...incoming, payload: { items } }
  }
  return {
    ...(await rehostItem(props, incoming, mid, 0)),
    ...(incoming.title !== undefined ? { title: incoming.title } : {}),
  }
}

async function rehostItem(
  props: MediaProps,
  item: IncomingMessage,
  mid: string,
  index: number
): Promise<IncomingMessage> {
  if (!(item.type in URL_FIELD)) return item
  const media = item as MediaItem
  const field = URL_FIELD[media.type]
  const cdnUrl = (media.payload as Record<string, string>)[field]!
  try {
    const url = await copyToBotpress(props, cdnUrl, fileKey(mid, index, cdnUrl), media.type)
    return { ...media, payload: { ...media.payload, [field]: url } } as IncomingMessage
  } catch (error) {
    props.logger
      .forBot()
      .warn(`A Messenger ${media.type} stays on Meta's CDN (its link expires): ${(error as Error).message}`)
    return item
  }
}

async function copyToBotpress(
  props: MediaProps,
  cdnUrl: string,
  key: string,
  type: MediaItem['type']
): Promise<string> {
  const existing = await props.client.getFile({ id: key }).then(
    (r) => r.file,
    (err: unknown) => {
      if (isNotFound(err)) return undefined
      throw new Error(`Botpress files could not be read (${(err as Error).message}).`)
    }
  )
  if (existing?.status === 'upload_completed') return existing.url

  const maxBytes = Math.round(props.config.mediaMaxMegabytes * 1024 * 1024)
  // downloadAttachment's messages never show the CDN query (Meta's signature)
  const file = await downloadAttachment(cdnUrl, {
    maxBytes,
    timeoutMs: Math.min(mediaTimeoutMs(), props.budgetMs ?? Infinity),
  })
  const days = props.config.mediaExpiryDays
  const { file: uploaded } = await props.client
    .uploadFile({
      key,
      content: file.content,
      contentType: file.contentType ?? 'application/octet-stream',
      accessPolicies: ['public_content'],
      publicContentImmediatelyAccessible: true,
      tags: { source: 'messenger', type },
      metadata: { name: file.name },
      ...(days > 0 ? { expiresAt: new Date(Date.now() + days * 24 * 3600_000).toISOString() } : {}),
    })
    .catch((err: unknown) => {
      throw new Error(`the copy could not be uploaded to Botpress files (${(err as Error).message}).`)
    })
  return uploaded.url
}

/**
 * Stable across redeliveries: the mid (hashed: mids carry characters keys should not), the position in
 * the message, and the name in Meta's URL path so a ticket attachment keeps the file's name.
 */
export function fileKey(mid: string, index: number, cdnUrl: string): string {
  const hash = createHash('sha256').update(mid).digest('hex').slice(0, 32)
  let name = ''
  try {
    name = decodeURIComponent(new URL(cdnUrl).pathname.split('/').filter(Boolean).pop() ?? '')
  } catch {
    name = ''
  }
  name = name.replace(/[^A-Za-z0-9._-]/g, '_').slice(-80)
  // the name last, as its own segment: the public URL then ends with it, and 4biz names the attachment by it
  return `messenger-media/${hash}-${index}${name ? `/${name}` : ''}`
}

function isNotFound(err: unknown): boolean {
  const e = err as { code?: number; type?: string }
  return e?.code === 404 || e?.type === 'ResourceNotFound'
}
