import type * as http from 'node:http'
import type { IntegrationCaller } from '../runtime/operations'
import { readBody } from './http'

/**
 * What webhook.botpress.cloud does: any HTTP request to `/webhook/<webhookId>[/path]` becomes the
 * integration's `webhook_received` operation (the request serialised, body as a string), and the
 * integration's answer goes back to the caller (Meta, or a 4biz automation).
 */

/** Headers that describe one hop, not the request: the Cloud does not forward them either. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'upgrade'])

export async function relayWebhook(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  integration: IntegrationCaller,
  subPath: string,
  query: string
) {
  const body = ['POST', 'PUT', 'PATCH'].includes(req.method ?? '') ? await readBody(req, 2 * 1024 * 1024) : undefined
  const headers: Record<string, string> = {}
  for (const [k, v] of Object.entries(req.headers))
    if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = Array.isArray(v) ? v.join(', ') : v
  try {
    const answer = await integration.send('webhook_received', {
      req: {
        method: req.method ?? 'GET',
        path: subPath || '/',
        query,
        headers,
        ...(body !== undefined ? { body } : {}),
      },
    })
    const out: Record<string, string> = {}
    for (const [k, v] of Object.entries(answer.headers)) if (!HOP_BY_HOP.has(k) && k !== 'date') out[k] = v
    res.writeHead(answer.status, out)
    res.end(answer.body)
  } catch (err) {
    res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' })
    res.end(`The integration did not answer: ${(err as Error).message}`)
  }
}
