import integration from '../src/index'
import { BotpressFake } from './fakes/botpress'
import { metaJson, metaSignature as signWithAppSecret } from './fakes/meta-wire'
import { APP_ID, APP_SECRET, IDS, operationRequest, PAGE_ID, PAGE_TOKEN, TEST_CONFIGURATION } from './fakes/protocol'
import type * as bp from '../src/typings'

export { IDS }

export { APP_ID, APP_SECRET, PAGE_ID, PAGE_TOKEN }

export function baseConfig(overrides: Partial<bp.Configuration> = {}): bp.Configuration {
  return { ...TEST_CONFIGURATION, ...overrides }
}

export type HandlerResponse = { status: number; headers: Record<string, string>; body: string; json: any }

/** The entry point Botpress Cloud calls; tests may run several copies (test/instances.ts). */
export type Handler = (typeof integration)['handler']

/** Calls the bundle's entry point exactly as Botpress Cloud does: one request with the x-bp-* headers. */
export async function callOperation(
  operation: string,
  body: unknown,
  config: bp.Configuration,
  handler: Handler = integration.handler
): Promise<HandlerResponse> {
  const res = await handler(operationRequest(operation, body, config))
  const r = res ?? { status: 200, body: '{}' }
  const text = r.body ?? '{}'
  let json: any
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status: r.status ?? 200, headers: r.headers ?? {}, body: text, json }
}

export type WebhookRequest = {
  method?: string
  path?: string
  query?: string
  headers?: Record<string, string>
  body?: string
}

/** A webhook_received operation: the external HTTP request serialised, as Botpress Cloud forwards it. */
export async function callWebhook(req: WebhookRequest, config: bp.Configuration, handler?: Handler) {
  const res = await callOperation(
    'webhook_received',
    {
      req: {
        method: req.method ?? 'POST',
        path: req.path ?? '/',
        query: req.query ?? '',
        headers: req.headers ?? {},
        body: req.body ?? '',
      },
    },
    config,
    handler
  )
  return res
}

/** Signs like Meta: sha256 HMAC of the exact bytes (with the tests' app secret by default). */
export const metaSignature = (raw: string, secret = APP_SECRET) => signWithAppSecret(raw, secret)
export { metaJson }

/** Posts a Messenger webhook body (already in wire format) with a valid signature. */
export async function postMessenger(
  raw: string,
  config: bp.Configuration,
  headers: Record<string, string> = {},
  handler?: Handler
) {
  return callWebhook(
    {
      body: raw,
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(raw), ...headers },
    },
    config,
    handler
  )
}

export async function callAction(type: string, input: unknown, config: bp.Configuration, handler?: Handler) {
  return callOperation('action_triggered', { type, input }, config, handler)
}

/** Starts a Botpress fake and points the SDK client at it (BP_API_URL / BP_TOKEN, read per request). */
export async function startBotpress() {
  const botpress = new BotpressFake({ botUserId: IDS.botUserId })
  await botpress.start()
  process.env.BP_API_URL = botpress.url
  process.env.BP_TOKEN = botpress.token
  return botpress
}

/** The message_created operation Botpress sends for a bot message on the messenger channel. */
export async function sendBotMessage(
  botpress: BotpressFake,
  conversationId: string,
  type: string,
  payload: unknown,
  config: bp.Configuration
) {
  const conversation = botpress.conversations.find((c) => c.id === conversationId)
  if (!conversation) throw new Error(`no conversation ${conversationId}`)
  const message = botpress.createBotMessage(conversationId, type, payload)
  const user = botpress.users.find((u) => u.tags.psid === conversation.tags.psid) ?? {
    id: 'user_unknown',
    tags: {},
    createdAt: '',
    updatedAt: '',
  }
  return callOperation('message_created', { type, payload, conversation, message, user }, config)
}
