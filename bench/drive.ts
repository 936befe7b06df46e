import { createHash } from 'node:crypto'
import { metaJson, metaSignature } from '../test/fakes/meta-wire'
import { APP_SECRET, IDS, operationRequest, PAGE_ID, TEST_CONFIGURATION } from '../test/fakes/protocol'

/**
 * Driving a built bundle exactly as Botpress Cloud does: `handler` with the x-bp-* headers (like
 * test/harness.ts, but for any bundle and without importing src/: the project is measured only as
 * its built bundle, loaded next to the floor's).
 */

export type Handler = (req: {
  method: string
  path: string
  query: string
  headers: Record<string, string>
  body: string
}) => Promise<{ status?: number; body?: string } | void>
export type Bundle = { name: 'project' | 'floor'; handler: Handler; config: Record<string, unknown> }

export { IDS }
export { APP_SECRET, PAGE_ID }

/** The project's configuration as the tests use it (test/fakes/protocol.ts), against the remote 4biz fake. */
export const projectConfig = (fourbizUrl: string, overrides: Record<string, unknown> = {}) => ({
  ...TEST_CONFIGURATION,
  fourbizUrl,
  ...overrides,
})

export const floorConfig = () => ({ appSecret: APP_SECRET })

export function loadBundle(name: Bundle['name'], file: string, config: Record<string, unknown>): Bundle {
  return { name, handler: (require(file) as { handler: Handler }).handler, config }
}

export async function callOperation(b: Bundle, operation: string, body: unknown) {
  const res = await b.handler(operationRequest(operation, body, b.config))
  return { status: res?.status ?? 200, body: res?.body ?? '' }
}

/** A signed Messenger webhook body, forwarded by Botpress as webhook_received. */
export async function postMessenger(b: Bundle, raw: string) {
  const res = await callOperation(b, 'webhook_received', {
    req: {
      method: 'POST',
      path: '/',
      query: '',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(raw, APP_SECRET) },
      body: raw,
    },
  })
  if (res.status !== 200) throw new Error(`${b.name}: webhook answered ${res.status} ${res.body.slice(0, 300)}`)
  return res
}

export async function callAction(b: Bundle, type: string, input: unknown) {
  const res = await callOperation(b, 'action_triggered', { type, input })
  if (res.status !== 200) throw new Error(`${b.name}: ${type} answered ${res.status} ${res.body.slice(0, 300)}`)
  return JSON.parse(res.body).output
}

let mids = 0
/** Meta's mids are about 90 characters (`m_` and base64url): stored lists of them weigh what they weigh on Cloud. */
const midOf = (n: number) =>
  `m_${createHash('sha256').update(`${process.pid}:${n}`).digest('base64url')}${createHash('sha256').update(`${n}`).digest('base64url')}`.slice(
    0,
    90
  )
let clock = Date.now()

/** A user's text message as Meta sends it. */
export const textItem = (psid: string, text: string) => ({
  sender: { id: psid },
  recipient: { id: PAGE_ID },
  // never behind the clock: a message older than a handoff belongs to the bot
  timestamp: (clock = Math.max(Date.now(), clock + 1)),
  message: { mid: midOf(++mids), text },
})

/** The wire body of one page entry with these items (Meta's ASCII JSON). */
export const body = (items: object[]) =>
  metaJson({ object: 'page', entry: [{ id: PAGE_ID, time: Date.now(), messaging: items }] })

/** PSIDs unique to a bench run and a purpose. */
let psids = 0
export const newPsids = (n: number) =>
  Array.from({ length: n }, () => String(7_300_000_000_000_000 + process.pid * 100_000 + ++psids))
