/** What the webhook answers the caller (Meta or a 4biz automation), as Botpress forwards it. */
export type WebhookResponse = { status: number; headers?: Record<string, string>; body: string }

export const text = (status: number, body: string): WebhookResponse => ({
  status,
  headers: { 'content-type': 'text/plain; charset=utf-8' },
  body,
})
export const json = (status: number, body: unknown): WebhookResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
})
