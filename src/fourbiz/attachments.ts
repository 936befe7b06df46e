import { RuntimeError } from '@botpress/sdk'
import axios, { AxiosError } from 'axios'
import axiosRetry, { isNetworkError } from 'axios-retry'
import type { FourbizClient } from './client'
import { attachmentTimeoutMs } from './transport'

/**
 * Files for 4biz tickets: downloaded from a URL (bot input, Messenger CDN) within a size and time
 * limit, then sent base64 with request/addAttachments, one file per call so one big file never
 * makes a request body too large for the tenant's proxy.
 */

const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024

export type TicketFile = { name: string; extension: string; content: Buffer; contentType?: string }

/** A download that failed; `outage` when the file host was down (repeating later may work). */
class AttachmentError extends RuntimeError {
  constructor(
    message: string,
    readonly outage: boolean
  ) {
    super(message)
  }
}

// A GET may be repeated, but not a file that is simply too large (axios reports it without a response).
const retryable = (err: AxiosError) =>
  !/maxContentLength/.test(err.message ?? '') && (isNetworkError(err) || (err.response?.status ?? 0) >= 500)
// made at the first download, not at load: most cold starts never fetch a file
let downloader: ReturnType<typeof axios.create> | undefined
function download() {
  if (!downloader) {
    downloader = axios.create({ maxRedirects: 5 })
    axiosRetry(downloader, {
      retries: 2,
      retryDelay: (n) => 200 * 2 ** (n - 1),
      shouldResetTimeout: true,
      retryCondition: retryable,
    })
  }
  return downloader
}

export async function downloadAttachment(
  url: string,
  opts: { maxBytes?: number; timeoutMs?: number } = {}
): Promise<TicketFile> {
  const maxBytes = opts.maxBytes ?? MAX_ATTACHMENT_BYTES
  const shown = urlForHumans(url)
  if (!/^https?:$/.test(safeProtocol(url)))
    throw new AttachmentError(`Attachment ${shown} is not an http(s) URL.`, false)
  try {
    const res = await download().get<ArrayBuffer>(url, {
      responseType: 'arraybuffer',
      timeout: opts.timeoutMs ?? attachmentTimeoutMs(),
      maxContentLength: maxBytes,
    })
    const content = Buffer.from(res.data)
    const contentType = (String(res.headers['content-type'] ?? '').split(';')[0] ?? '').trim() || undefined
    const name = fileName(url, String(res.headers['content-disposition'] ?? ''), contentType)
    return { name, extension: extensionOf(name, contentType), content, contentType }
  } catch (err) {
    if (err instanceof AttachmentError) throw err
    const ax = err as AxiosError
    if (/maxContentLength/.test(ax.message ?? ''))
      throw new AttachmentError(
        `Attachment ${shown} is larger than ${Math.round(maxBytes / 1024 / 1024)} MB: send a smaller file or a link.`,
        false
      )
    if (ax.response) {
      const status = ax.response.status
      throw new AttachmentError(`Attachment ${shown} could not be downloaded: HTTP ${status}.`, status >= 500)
    }
    if (ax.code === 'ECONNABORTED' || ax.code === 'ETIMEDOUT')
      throw new AttachmentError(
        `Attachment ${shown} could not be downloaded within ${Math.round((opts.timeoutMs ?? attachmentTimeoutMs()) / 1000)} s.`,
        true
      )
    throw new AttachmentError(`Attachment ${shown} could not be downloaded (${ax.code ?? 'network error'}).`, true)
  }
}

/** Downloads every URL before anything is created, so a bad URL fails the call cleanly. */
export async function downloadAttachments(urls: string[]): Promise<TicketFile[]> {
  const files: TicketFile[] = []
  for (const url of urls) files.push(await downloadAttachment(url))
  return files
}

export async function attachFiles(fourbiz: FourbizClient, ticketNumber: string, files: TicketFile[]): Promise<void> {
  for (const file of files) {
    await fourbiz.addAttachments(ticketNumber, [
      { name: file.name, extension: file.extension, content: file.content.toString('base64') },
    ])
  }
}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/aac': 'aac',
  'audio/ogg': 'ogg',
  'audio/wav': 'wav',
  'video/mp4': 'mp4',
  'video/quicktime': 'mov',
  'text/plain': 'txt',
  'text/csv': 'csv',
  'application/zip': 'zip',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
}

function extensionOf(name: string, contentType: string | undefined): string {
  const m = name.match(/\.([A-Za-z0-9]{1,8})$/)
  if (m) return m[1]!.toLowerCase()
  return (contentType && EXTENSIONS[contentType]) || 'bin'
}

/** Content-Disposition filename, else the last URL segment, else "attachment"; always with an extension. */
function fileName(url: string, disposition: string, contentType: string | undefined): string {
  const star = disposition.match(/filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i)
  const plain = disposition.match(/filename\s*=\s*"?([^";]+)"?/i)
  let name = ''
  try {
    name = star ? decodeURIComponent(star[1]!.trim().replace(/^"|"$/g, '')) : plain ? plain[1]!.trim() : ''
  } catch {
    name = plain ? plain[1]!.trim() : ''
  }
  if (!name) {
    try {
      const last = new URL(url).pathname.split('/').filter(Boolean).pop() ?? ''
      name = decodeURIComponent(last)
    } catch {
      name = ''
    }
  }
  // eslint-disable-next-line no-control-regex -- control characters are what a file name must not have
  name = name.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').slice(-120) || 'attachment'
  if (!/\.[A-Za-z0-9]{1,8}$/.test(name)) name = `${name}.${extensionOf('', contentType)}`
  return name
}

function safeProtocol(url: string): string {
  try {
    return new URL(url).protocol
  } catch {
    return ''
  }
}

/** The URL without its query (Messenger CDN URLs carry signatures there). */
function urlForHumans(url: string): string {
  try {
    const u = new URL(url)
    return `${u.protocol}//${u.host}${u.pathname}`
  } catch {
    return '(invalid URL)'
  }
}
