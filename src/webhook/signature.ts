import { createHmac, timingSafeEqual } from 'node:crypto'

/** Header lookup that ignores case: Botpress forwards the caller's headers as they came. */
export function header(headers: Record<string, string | undefined>, name: string): string | undefined {
  const wanted = name.toLowerCase()
  for (const [k, v] of Object.entries(headers ?? {})) if (k.toLowerCase() === wanted) return v
  return undefined
}

/**
 * Checks a `sha256=<hex>` header against HMAC-SHA256(secret, signed), in constant time: Meta's
 * X-Hub-Signature-256 signs the raw body, the 4biz push "<timestamp>.<raw body>" (src/webhook/fourbiz-push.ts).
 * Fails closed: no secret, no header or a malformed header is a mismatch.
 */
export function isSignedWith(signed: string, signatureHeader: string | undefined, secret: string | undefined): boolean {
  if (!secret || !signatureHeader) return false
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(signatureHeader.trim())
  if (!match) return false
  const expected = createHmac('sha256', secret).update(signed, 'utf8').digest()
  return timingSafeEqual(expected, Buffer.from(match[1]!, 'hex'))
}

/** Meta's X-Hub-Signature-256 of the exact bytes of the body. */
export const isValidSignature = (rawBody: string, signatureHeader: string | undefined, secret: string | undefined) =>
  isSignedWith(rawBody, signatureHeader, secret)
