import { timingSafeEqual } from 'node:crypto'
import { text, type WebhookResponse } from './response'

/** Meta's subscription check: echo hub.challenge (as plain text, never HTML) when the verify token matches. */
export function answerVerification(query: string, verifyToken: string | undefined): WebhookResponse {
  const params = new URLSearchParams(query)
  const mode = params.get('hub.mode')
  const token = params.get('hub.verify_token')
  const challenge = params.get('hub.challenge')
  if (mode === 'subscribe' && challenge !== null && token !== null && verifyToken && sameString(token, verifyToken)) {
    return text(200, challenge)
  }
  return text(403, 'Forbidden')
}

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8')
  const y = Buffer.from(b, 'utf8')
  return x.length === y.length && timingSafeEqual(x, y)
}
