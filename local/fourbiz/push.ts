import { createHmac } from 'node:crypto'

/**
 * The 4biz push (hub.md, "Push endpoint"): what a 4biz automation sends to `{webhookUrl}/4biz` when a
 * ticket changes. JSON body; `X-4biz-Timestamp` in Unix seconds; `X-4biz-Signature: sha256=<hex>` =
 * HMAC-SHA256 with fourbizWebhookSecret of "<timestamp>.<raw body>".
 */

export type PushBody = { ticketNumber: string }
export type PushResult = { status: number; body: string }

export function signedPush(body: PushBody, secret: string, now = Date.now()) {
  const raw = JSON.stringify(body)
  const timestamp = String(Math.floor(now / 1000))
  const signature = 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${raw}`).digest('hex')
  return {
    raw,
    headers: { 'content-type': 'application/json', 'x-4biz-timestamp': timestamp, 'x-4biz-signature': signature },
  }
}

export async function sendPush(url: string, body: PushBody, secret: string): Promise<PushResult> {
  const { raw, headers } = signedPush(body, secret)
  try {
    const res = await fetch(url, { method: 'POST', headers, body: raw })
    return { status: res.status, body: await res.text() }
  } catch (err) {
    return { status: 0, body: (err as Error).message }
  }
}
