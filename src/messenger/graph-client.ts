import { RuntimeError, z } from '@botpress/sdk'
import axios, {
  type AxiosError,
  type AxiosInstance,
  type AxiosRequestConfig,
  type RawAxiosResponseHeaders,
} from 'axios'
import axiosRetry from 'axios-retry'
import { createHmac } from 'node:crypto'
import type * as bp from '../typings'
import type { Config } from '../config'
import { env } from '../env'
import { classifyGraphError, GraphError, graphErrorBody, isRetryableKind } from './graph-errors'
import { graphBaseUrl } from './graph-version'
import { type MessagingOptions, OWN_ECHO_METADATA, type SendApiMessage, type SenderAction } from './send-api'

/**
 * The Graph API client for the Page: one typed method per Send API feature (Bottender style). Every call
 * carries `access_token` and `appsecret_proof`; failures become a classified `GraphError` whose messages
 * never contain the token, the proof or a URL with its query.
 */

export type RetryPolicy = {
  /** Retries after the first attempt, for temporary and rate-limit errors. */
  retries: number
  /** Exponential backoff base: base, 2×base, 4×base…, plus up to 20% jitter. */
  baseDelayMs: number
  /**
   * Longest wait Meta may ask for that we still honour: a handler
   * cannot wait minutes, so beyond it we give up at once.
   */
  maxWaitMs: number
  /** Budget of one call, retries included (axios-retry does not reset it between attempts). */
  timeoutMs: number
}

const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 3, baseDelayMs: 250, maxWaitMs: 10_000, timeoutMs: 15_000 }

/**
 * Meta gives no time with X-App-Usage at 100%; its window is a
 * rolling hour, so a few minutes is the first sensible retry.
 */
const APP_QUOTA_RETRY_MS = 5 * 60_000

export type GraphCredentials = Pick<Config, 'pageId' | 'pageAccessToken' | 'appSecret'>
type GraphLogger = Pick<bp.Logger, 'warn' | 'debug'>

export type SentMessage = { messageId: string; recipientId: string }
export type MessengerProfile = { name?: string; firstName?: string; lastName?: string; pictureUrl?: string }
export type PageIdentity = { id: string; name: string }

const sendResponse = z.object({ recipient_id: z.string(), message_id: z.string() })
const senderActionResponse = z.object({ recipient_id: z.string() })
const profileResponse = z.object({
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  profile_pic: z.string().optional(),
})
const meResponse = z.object({ id: z.string(), name: z.string() })
const profileListResponse = z.object({ data: z.array(z.record(z.string(), z.unknown())) })
const profileResultResponse = z.object({ result: z.literal('success') })

/** Shorter waits in tests (src/env.ts); none in production. */
const retryPolicyFromEnv = (): Partial<RetryPolicy> => {
  const baseDelayMs = env.graphRetryBaseMs()
  const timeoutMs = env.graphTimeoutMs()
  return { ...(baseDelayMs !== undefined && { baseDelayMs }), ...(timeoutMs !== undefined && { timeoutMs }) }
}

/** Builds the client from the configuration with its defaults (src/config.ts): the one way to get one. */
export function graphClientFor(
  config: GraphCredentials,
  options: { logger?: GraphLogger; retry?: Partial<RetryPolicy> } = {}
) {
  const missing = (['pageAccessToken', 'appSecret', 'pageId'] as const).filter((k) => !config?.[k]?.trim())
  if (missing.length)
    throw new RuntimeError(
      `The integration configuration is missing ${missing.join(', ')}: fill it in the integration settings.`
    )
  return new GraphClient(
    {
      pageId: config.pageId.trim(),
      pageAccessToken: config.pageAccessToken.trim(),
      appSecret: config.appSecret.trim(),
    },
    { ...DEFAULT_RETRY_POLICY, ...retryPolicyFromEnv(), ...options.retry },
    options.logger
  )
}

export class GraphClient {
  private readonly http: AxiosInstance
  private readonly proof: string

  constructor(
    private readonly credentials: { pageId: string; pageAccessToken: string; appSecret: string },
    readonly policy: RetryPolicy,
    private readonly logger?: GraphLogger
  ) {
    this.proof = createHmac('sha256', credentials.appSecret).update(credentials.pageAccessToken).digest('hex')
    this.http = axios.create({
      baseURL: graphBaseUrl(),
      timeout: policy.timeoutMs,
      params: { access_token: credentials.pageAccessToken, appsecret_proof: this.proof },
    })
    axiosRetry(this.http, {
      retries: policy.retries,
      shouldResetTimeout: false,
      retryCondition: (error) => this.shouldRetry(error),
      retryDelay: (retryCount, error) => this.scheduleRetry(retryCount, error),
    })
  }

  get pageId() {
    return this.credentials.pageId
  }

  /** Send API: one message to a PSID, marked as ours for the echo. */
  async sendMessage(psid: string, message: SendApiMessage, options: MessagingOptions): Promise<SentMessage> {
    const body = {
      recipient: { id: psid },
      messaging_type: options.messagingType,
      ...(options.messagingType === 'MESSAGE_TAG' ? { tag: options.tag } : {}),
      message: { ...message, metadata: OWN_ECHO_METADATA },
    }
    const data = await this.call('send a message to Messenger', sendResponse, {
      method: 'POST',
      url: `/${this.pageId}/messages`,
      data: body,
    })
    return { messageId: data.message_id, recipientId: data.recipient_id }
  }

  /**
   * Send API sender action, always alone (Meta: 100/2018014 when combined with a message). Not retried:
   * it is cosmetic, and a late "typing" would be wrong anyway.
   */
  async sendSenderAction(psid: string, action: SenderAction): Promise<void> {
    await this.call('send a sender action to Messenger', senderActionResponse, {
      method: 'POST',
      url: `/${this.pageId}/messages`,
      data: { recipient: { id: psid }, sender_action: action },
      'axios-retry': { retries: 0 },
    })
  }

  /**
   * User Profile API. Not retried: the profile is best effort and asked again later, and waiting on it
   * would delay the webhook answer Meta wants within 5 s.
   */
  async getProfile(psid: string): Promise<MessengerProfile> {
    const data = await this.call('read the Messenger user profile', profileResponse, {
      method: 'GET',
      url: `/${encodeURIComponent(psid)}`,
      params: { fields: 'first_name,last_name,profile_pic' },
      'axios-retry': { retries: 0 },
    })
    const name = [data.first_name, data.last_name].filter(Boolean).join(' ') || undefined
    return { name, firstName: data.first_name, lastName: data.last_name, pictureUrl: data.profile_pic }
  }

  /** The Page the token belongs to: register uses it to validate the Page access token. */
  async getMe(): Promise<PageIdentity> {
    return this.call('check the Page access token with Meta', meResponse, {
      method: 'GET',
      url: '/me',
      params: { fields: 'id,name' },
    })
  }

  /** Messenger Profile API: the Page's current values of `fields` (an empty object when none is set). */
  async getMessengerProfile(fields: string[]): Promise<Record<string, unknown>> {
    const data = await this.call('read the Messenger profile of the Page', profileListResponse, {
      method: 'GET',
      url: '/me/messenger_profile',
      params: { fields: fields.join(',') },
    })
    return data.data[0] ?? {}
  }

  /**
   * Messenger Profile API: sets the given fields in one call (Meta allows 10 profile calls per 10 minutes per Page).
   */
  async setMessengerProfile(fields: Record<string, unknown>): Promise<void> {
    await this.call('set the Messenger profile of the Page', profileResultResponse, {
      method: 'POST',
      url: '/me/messenger_profile',
      data: fields,
    })
  }

  /** Messenger Profile API: deletes the given fields in one call. */
  async deleteMessengerProfile(fields: string[]): Promise<void> {
    await this.call('delete fields of the Messenger profile of the Page', profileResultResponse, {
      method: 'DELETE',
      url: '/me/messenger_profile',
      data: { fields },
    })
  }

  private async call<S extends z.ZodTypeAny>(
    operation: string,
    schema: S,
    request: AxiosRequestConfig
  ): Promise<z.infer<S>> {
    let response
    try {
      response = await this.http.request(request)
    } catch (error) {
      throw this.toGraphError(operation, error)
    }
    const parsed = schema.safeParse(response.data)
    if (!parsed.success)
      throw new GraphError({
        operation,
        httpStatus: response.status,
        transport: 'bad-response',
        attempts: attemptsOf(response.config),
      })
    return parsed.data
  }

  private shouldRetry(error: AxiosError): boolean {
    if (!error.response) {
      // Timeouts are not retried: the budget is spent, and the send is ambiguous (Meta may have delivered it).
      return axiosRetry.isNetworkError(error)
    }
    const { code, subcode } = graphCodes(error.response.data)
    if (!isRetryableKind(classifyGraphError(code, subcode, error.response.status))) return false
    // −1/2018012 and 1200 are retried too although Meta may have sent the message: we accept a
    // rare duplicate over a lost reply (reconciling through echo metadata would need the webhook).
    const hint = waitHintMs(error.response.headers)
    return hint === undefined || hint <= this.policy.maxWaitMs
  }

  private scheduleRetry(retryCount: number, error: AxiosError): number {
    const hint = error.response ? waitHintMs(error.response.headers) : undefined
    const backoff = this.policy.baseDelayMs * 2 ** (retryCount - 1)
    const wait = Math.max(backoff, hint ?? 0)
    const delay = Math.round(wait + wait * 0.2 * Math.random())
    const { code, subcode } = graphCodes(error.response?.data)
    const what =
      code !== undefined
        ? `error ${code}${subcode !== undefined ? `/${subcode}` : ''}`
        : error.response
          ? `HTTP ${error.response.status}`
          : (error.code ?? 'a network error')
    this.logger?.warn(
      `Graph ${error.config?.method?.toUpperCase()} ${error.config?.url} answered ${what}; retry ${retryCount}/${this.policy.retries} in ${delay} ms` +
        (hint !== undefined ? ` (Meta asked to wait ${Math.ceil(hint / 1000)} s)` : '')
    )
    return delay
  }

  private toGraphError(operation: string, error: unknown): GraphError {
    if (!axios.isAxiosError(error)) {
      return new GraphError({
        operation,
        transport: 'connection',
        networkCode: this.redact(String((error as Error)?.message ?? error)),
        attempts: 1,
      })
    }
    const attempts = attemptsOf(error.config)
    if (!error.response) {
      const timedOut = error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT'
      return new GraphError({
        operation,
        transport: timedOut ? 'timeout' : 'connection',
        // Only the error code: axios messages can carry the URL.
        networkCode: timedOut ? undefined : error.code,
        attempts,
        timeoutMs: this.policy.timeoutMs,
      })
    }
    const body = graphErrorBody.safeParse(error.response.data)
    const httpStatus = error.response.status
    if (!body.success)
      return new GraphError({
        operation,
        httpStatus,
        attempts,
        transport: httpStatus >= 500 ? undefined : 'bad-response',
      })
    const { code, error_subcode: subcode, message, fbtrace_id: fbtraceId } = body.data.error
    const kind = classifyGraphError(code, subcode, httpStatus)
    const hint = isRetryableKind(kind) ? waitHintMs(error.response.headers) : undefined
    return new GraphError({
      operation,
      code,
      subcode,
      httpStatus,
      fbtraceId,
      metaMessage: message === undefined ? undefined : this.redact(message),
      // Only reported when it is the reason we stopped early.
      retryAfterMs: hint !== undefined && hint > this.policy.maxWaitMs ? hint : undefined,
      attempts,
    })
  }

  /** Defence in depth: Meta's messages should never echo the token, but nothing we surface may contain it. */
  private redact(text: string): string {
    return [this.credentials.pageAccessToken, this.proof, this.credentials.appSecret].reduce(
      (t, secret) => t.split(secret).join('[redacted]'),
      text
    )
  }
}

const attemptsOf = (config: AxiosRequestConfig | undefined) => (config?.['axios-retry']?.retryCount ?? 0) + 1

function graphCodes(data: unknown): { code?: number; subcode?: number } {
  const body = graphErrorBody.safeParse(data)
  return body.success ? { code: body.data.error.code, subcode: body.data.error.error_subcode } : {}
}

const bucUsage = z.record(
  z.string(),
  z.array(z.object({ estimated_time_to_regain_access: z.coerce.number().optional() }))
)
const appUsage = z.object({
  call_count: z.coerce.number().optional(),
  total_time: z.coerce.number().optional(),
  total_cputime: z.coerce.number().optional(),
})

/**
 * How long Meta asks us to wait, in ms, from its headers: `Retry-After` (seconds or a date),
 * `X-Business-Use-Case-Usage` `estimated_time_to_regain_access` (minutes), `X-App-Usage` at 100%.
 */
export function waitHintMs(headers: RawAxiosResponseHeaders | Record<string, unknown> | undefined): number | undefined {
  if (!headers) return undefined
  const header = (name: string) => {
    const v = headers[name]
    return typeof v === 'string' ? v : undefined
  }
  const hints: number[] = []
  const retryAfter = header('retry-after')
  if (retryAfter) {
    const seconds = Number(retryAfter)
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - Date.now()
    if (Number.isFinite(ms) && ms > 0) hints.push(ms)
  }
  const buc = parseJson(bucUsage, header('x-business-use-case-usage'))
  for (const entries of Object.values(buc ?? {}))
    for (const e of entries)
      if (e.estimated_time_to_regain_access && e.estimated_time_to_regain_access > 0)
        hints.push(e.estimated_time_to_regain_access * 60_000)
  const app = parseJson(appUsage, header('x-app-usage'))
  if (app && Math.max(app.call_count ?? 0, app.total_time ?? 0, app.total_cputime ?? 0) >= 100)
    hints.push(APP_QUOTA_RETRY_MS)
  return hints.length ? Math.max(...hints) : undefined
}

function parseJson<S extends z.ZodTypeAny>(schema: S, text: string | undefined): z.infer<S> | undefined {
  if (!text) return undefined
  try {
    const r = schema.safeParse(JSON.parse(text))
    return r.success ? r.data : undefined
  } catch {
    return undefined
  }
}
