import { createHash, randomBytes } from 'node:crypto'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { RecordedCall, Reply } from './http'

/**
 * The Botpress Files API as the SDK client (@botpress/client 1.35, inside @botpress/sdk 5.4.3) uses it:
 * `upsertFile` = PUT /v1/files (JSON: key, size, contentType, accessPolicies, tags, expiresAt,
 * publicContentImmediatelyAccessible…) answering `{file: {…, status: "upload_pending", uploadUrl}}`;
 * `uploadFile` = that, then a PUT of the raw bytes to `uploadUrl` (no Botpress token: a pre-signed
 * storage URL); `getFile` = GET /v1/files/{id or key}. The storage side is a separate loopback server,
 * like S3 behind Botpress: it serves the bytes at the file's public URL once uploaded, and refuses an
 * upload whose Content-Type, size or tagging header differs from what was declared (the URL is signed
 * for them).
 */

export type BpFile = {
  id: string
  botId: string
  key: string
  url: string
  size: number | null
  contentType: string
  tags: Record<string, string>
  metadata: Record<string, unknown>
  createdAt: string
  updatedAt: string
  accessPolicies: ('integrations' | 'public_content')[]
  index: boolean
  status: 'upload_pending' | 'upload_failed' | 'upload_completed'
  expiresAt?: string
  owner: { type: 'integration' | 'bot'; id?: string; name?: string; alias?: string }
}

type Stored = { file: BpFile; declaredSize: number; immediate: boolean; content?: Buffer }

const MAX_EXPIRY_MS = 90 * 24 * 3600_000
const TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  pdf: 'application/pdf',
  mp4: 'video/mp4',
  mp3: 'audio/mpeg',
  txt: 'text/plain',
}

const apiError = (status: number, type: string, message: string): Reply => ({
  status,
  body: { id: `err_${Date.now()}`, code: status, type, message },
})

export class BotpressFilesFake {
  /** Files by bot and key. */
  private readonly byKey = new Map<string, Stored>()
  private server: http.Server | undefined
  private starting: Promise<void> | undefined
  storageUrl = ''
  /** Uploads received by the storage (PUTs with a body), for "uploaded once" assertions. */
  uploads: { key: string; bytes: number }[] = []
  private seq = 0

  constructor(private readonly integrationName: string) {}

  files(): BpFile[] {
    return [...this.byKey.values()].map((s) => s.file)
  }

  content(key: string): Buffer | undefined {
    return [...this.byKey.values()].find((s) => s.file.key === key)?.content
  }

  /** /v1/files routes of the Botpress API (auth already checked by the Botpress fake). */
  async handle(call: RecordedCall): Promise<Reply> {
    await this.ensureStorage()
    const botId = String(call.headers['x-bot-id'])
    const b = call.body ?? {}
    if (call.method === 'PUT' && call.path === '/v1/files') return this.upsert(botId, b, call)
    const m = call.path.match(/^\/v1\/files\/([^/]+)$/)
    if (m && call.method === 'GET') {
      const idOrKey = decodeURIComponent(m[1]!)
      const stored =
        this.byKey.get(`${botId}/${idOrKey}`) ??
        [...this.byKey.values()].find((s) => s.file.botId === botId && s.file.id === idOrKey)
      if (!stored) return apiError(404, 'ResourceNotFound', `File "${idOrKey}" not found`)
      return { status: 200, body: { file: stored.file } }
    }
    return apiError(501, 'Unknown', `The Botpress fake does not implement ${call.method} ${call.path}`)
  }

  private upsert(botId: string, b: any, call: RecordedCall): Reply {
    if (typeof b.key !== 'string' || !b.key) return apiError(400, 'InvalidPayload', '"key" is required')
    if (typeof b.size !== 'number' || !Number.isInteger(b.size) || b.size < 0)
      return apiError(400, 'InvalidPayload', '"size" must be a non-negative integer')
    if (
      b.accessPolicies !== undefined &&
      (!Array.isArray(b.accessPolicies) ||
        b.accessPolicies.some((p: unknown) => p !== 'public_content' && p !== 'integrations'))
    )
      return apiError(400, 'InvalidPayload', '"accessPolicies" must be a list of "public_content" and "integrations"')
    if (
      b.tags !== undefined &&
      (typeof b.tags !== 'object' || Object.values(b.tags).some((v) => typeof v !== 'string'))
    )
      return apiError(400, 'InvalidPayload', '"tags" must be an object of strings')
    if (b.expiresAt !== undefined) {
      const at = Date.parse(b.expiresAt)
      if (!Number.isFinite(at) || at <= Date.now())
        return apiError(400, 'InvalidPayload', '"expiresAt" must be a future ISO 8601 date')
      if (at - Date.now() > MAX_EXPIRY_MS + 60_000)
        return apiError(400, 'InvalidPayload', '"expiresAt" cannot be more than 90 days from now')
    }
    const publicContent = (b.accessPolicies ?? []).includes('public_content')
    if (b.publicContentImmediatelyAccessible && !publicContent)
      return apiError(
        400,
        'InvalidPayload',
        '"publicContentImmediatelyAccessible" needs the "public_content" access policy'
      )
    const now = new Date().toISOString()
    const mapKey = `${botId}/${b.key}`
    const existing = this.byKey.get(mapKey)
    const id = existing?.file.id ?? `file_${String(++this.seq).padStart(6, '0')}${randomBytes(3).toString('hex')}`
    const ext = String(b.key)
      .match(/\.([a-z0-9]+)$/i)?.[1]
      ?.toLowerCase()
    const integration = call.headers['x-integration-id']
      ? {
          type: 'integration' as const,
          name: this.integrationName,
          alias: String(call.headers['x-integration-alias'] ?? ''),
        }
      : { type: 'bot' as const, id: botId }
    const url = publicContent
      ? `${this.storageUrl}/public/${encodeURIComponent(botId)}/${b.key.split('/').map(encodeURIComponent).join('/')}`
      : `${this.storageUrl}/private/${id}?X-Amz-Signature=${createHash('sha256').update(id).digest('hex').slice(0, 16)}`
    const file: BpFile = {
      id,
      botId,
      key: b.key,
      url,
      size: null,
      contentType: b.contentType ?? (ext && TYPES[ext]) ?? 'application/octet-stream',
      tags: { ...(b.tags ?? {}) },
      metadata: { ...(b.metadata ?? {}) },
      createdAt: existing?.file.createdAt ?? now,
      updatedAt: now,
      accessPolicies: b.accessPolicies ?? [],
      index: !!b.index,
      status: 'upload_pending',
      owner: integration,
      ...(b.expiresAt ? { expiresAt: b.expiresAt } : {}),
    }
    this.byKey.set(mapKey, { file, declaredSize: b.size, immediate: !!b.publicContentImmediatelyAccessible })
    return {
      status: 200,
      body: {
        file: {
          ...file,
          uploadUrl: `${this.storageUrl}/upload/${id}?X-Amz-Signature=${randomBytes(8).toString('hex')}`,
        },
      },
    }
  }

  private ensureStorage(): Promise<void> {
    if (!this.starting) {
      this.server = http.createServer((req, res) => void this.serveStorage(req, res))
      this.starting = new Promise<void>((resolve, reject) => {
        this.server!.once('error', reject)
        this.server!.listen(0, '127.0.0.1', () => {
          this.storageUrl = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`
          resolve()
        })
      })
    }
    return this.starting
  }

  async stop(): Promise<void> {
    if (!this.server) return
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server!.close(() => resolve()))
    this.server = undefined
    this.starting = undefined
  }

  private async serveStorage(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks)
    const url = new URL(req.url ?? '/', 'http://storage')
    const s3Error = (status: number, code: string, message: string) => {
      res.writeHead(status, { 'content-type': 'application/xml' })
      res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`)
    }
    const upload = url.pathname.match(/^\/upload\/([^/]+)$/)
    if (upload && req.method === 'PUT') {
      const stored = [...this.byKey.values()].find((s) => s.file.id === upload[1])
      if (!stored) return s3Error(404, 'NoSuchUpload', 'The upload URL is unknown or expired.')
      if (
        String(req.headers['content-type'] ?? '')
          .split(';')[0]!
          .trim() !== stored.file.contentType
      )
        return s3Error(403, 'SignatureDoesNotMatch', `The URL is signed for Content-Type ${stored.file.contentType}.`)
      if (stored.immediate && req.headers['x-amz-tagging'] !== 'public=true')
        return s3Error(
          403,
          'AccessDenied',
          'publicContentImmediatelyAccessible needs the header x-amz-tagging: public=true.'
        )
      if (body.length !== stored.declaredSize) {
        stored.file.status = 'upload_failed'
        return s3Error(400, 'IncompleteBody', `Declared ${stored.declaredSize} bytes, received ${body.length}.`)
      }
      stored.content = body
      stored.file.size = body.length
      stored.file.status = 'upload_completed'
      stored.file.updatedAt = new Date().toISOString()
      this.uploads.push({ key: stored.file.key, bytes: body.length })
      res.writeHead(200)
      return res.end()
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      const stored = [...this.byKey.values()].find(
        (s) => s.file.url.split('?')[0] === `${this.storageUrl}${url.pathname}`
      )
      if (!stored || !stored.content) return s3Error(404, 'NoSuchKey', 'The specified key does not exist.')
      res.writeHead(200, { 'content-type': stored.file.contentType, 'content-length': String(stored.content.length) })
      return res.end(req.method === 'HEAD' ? undefined : stored.content)
    }
    return s3Error(405, 'MethodNotAllowed', `${req.method} is not allowed here.`)
  }
}
