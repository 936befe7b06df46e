import { createHmac, randomBytes } from 'node:crypto'

/**
 * Meta's wire format and signatures. The same rules as test/harness.ts (metaJson, metaSignature), kept
 * here because the harness imports the integration's source, and the local run must reach the
 * integration only over HTTP, through its built bundle.
 */

/** ASCII JSON: \uXXXX escapes (lowercase, surrogate pairs as two escapes) and `/` written `\/`. */
export function metaJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/[\u007f-\uffff]/g, (ch) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0'))
    .replace(/\//g, '\\/')
}

/** The headers Meta signs a webhook with: HMAC of the exact bytes with the app secret. */
export function metaSignatureHeaders(raw: string, appSecret: string): Record<string, string> {
  const bytes = Buffer.from(raw, 'utf8')
  return {
    'x-hub-signature-256': 'sha256=' + createHmac('sha256', appSecret).update(bytes).digest('hex'),
    'x-hub-signature': 'sha1=' + createHmac('sha1', appSecret).update(bytes).digest('hex'),
  }
}

/** A message id in Meta's style (`m_` and base64url). */
export const newMid = () => `m_${randomBytes(24).toString('base64url')}`
