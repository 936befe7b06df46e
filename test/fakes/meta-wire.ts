import { createHmac } from 'node:crypto'

/**
 * Meta's wire format and signatures, shared by the tests and the local run (which must not import the
 * integration's source: it reaches the integration over HTTP only).
 */

/** ASCII JSON: \uXXXX escapes (lowercase, surrogate pairs as two escapes) and `/` written `\/`. */
export function metaJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/[\u007f-\uffff]/g, (ch) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0'))
    .replace(/\//g, '\\/')
}

/** `sha256=<hex>`: HMAC-SHA256 of the exact bytes with the app secret. */
export function metaSignature(raw: string, appSecret: string): string {
  return 'sha256=' + createHmac('sha256', appSecret).update(Buffer.from(raw, 'utf8')).digest('hex')
}
