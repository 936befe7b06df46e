import { readFile } from 'node:fs/promises'
import type * as http from 'node:http'
import { extname, join, normalize } from 'node:path'

/** Small helpers of the UI server: bodies, JSON answers, files from local/public. */

export const MAX_JSON_BYTES = 12 * 1024 * 1024

export async function readBody(req: http.IncomingMessage, limit = MAX_JSON_BYTES): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > limit) throw new HttpError(413, 'Request body too large')
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

export async function readJson(req: http.IncomingMessage): Promise<any> {
  const raw = await readBody(req)
  try {
    return raw ? JSON.parse(raw) : {}
  } catch {
    throw new HttpError(400, 'Invalid JSON')
  }
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message)
  }
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
  res.end(JSON.stringify(body))
}

export function sendText(res: http.ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8') {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' })
  res.end(body)
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
}

/** A file of local/public; never anything outside it. */
export async function sendPublicFile(res: http.ServerResponse, publicDir: string, name: string) {
  const path = normalize(join(publicDir, name))
  if (!path.startsWith(publicDir)) return sendText(res, 404, 'Not found')
  try {
    const body = await readFile(path)
    res.writeHead(200, {
      'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    })
    res.end(body)
  } catch {
    sendText(res, 404, 'Not found')
  }
}
