import { RuntimeError, z } from '@botpress/sdk'

/**
 * Graph API failures, classified by Meta's `code`/`error_subcode` (never by HTTP status alone: Meta answers
 * most errors with 400 whatever they mean). Meta's list of codes:
 * https://developers.facebook.com/docs/messenger-platform/reference/send-api/error-codes
 */
export type GraphErrorKind =
  | 'window' // outside the 24-hour window (or the 7-day HUMAN_AGENT window)
  | 'token' // Page access token invalid or expired
  | 'permission' // the app/Page lacks a permission
  | 'parameter' // Meta says the request is invalid
  | 'unavailable-user' // the person can't receive messages (blocked the Page, deactivated…)
  | 'rate-limit' // throttled: retry with backoff
  | 'temporary' // Meta-side failure, timeout or network: retry
  | 'policy' // blocked for a policy reason, or tag abuse
  | 'thread-control' // another app controls the conversation
  | 'unknown'

/** Meta's error body: `{"error":{"message","type","code","error_subcode","fbtrace_id"}}`. */
export const graphErrorBody = z.object({
  error: z.object({
    message: z.string().optional(),
    type: z.string().optional(),
    code: z.number(),
    error_subcode: z.number().optional(),
    fbtrace_id: z.string().optional(),
  }),
})

const WINDOW_SUBCODES = [2018278, 2534022, 2018065]
const UNAVAILABLE_SUBCODES = [1545041, 2018108]
const THREAD_CONTROL_SUBCODES = [2018300, 2018321]
/** 613/2018338 is a tag-abuse warning: retrying would make it worse. 10/1893063: Page restricted. */
const POLICY_SUBCODES = [2018338, 1893063, 2018336]
const RATE_LIMIT_CODES = [4, 17, 32, 341, 613]
/**
 * −1/2018012 is ambiguous (Meta may have sent it), taken as temporary like
 * 1200 ("Temporary send message failure. Please try again later").
 */
const TEMPORARY_CODES = [-1, 1, 2, 1200]

export function classifyGraphError(
  code: number | undefined,
  subcode: number | undefined,
  httpStatus: number | undefined
): GraphErrorKind {
  if (subcode !== undefined) {
    if (WINDOW_SUBCODES.includes(subcode)) return 'window'
    if (UNAVAILABLE_SUBCODES.includes(subcode)) return 'unavailable-user'
    if (THREAD_CONTROL_SUBCODES.includes(subcode)) return 'thread-control'
    if (POLICY_SUBCODES.includes(subcode)) return 'policy'
    if (code === 613 && subcode === 1893016) return 'parameter' // duplicate opt-in request
  }
  if (code !== undefined) {
    if (code === 190 || code === 102) return 'token'
    if (code === 551) return 'unavailable-user'
    if (code === 368) return 'policy'
    if (RATE_LIMIT_CODES.includes(code)) return 'rate-limit'
    if (TEMPORARY_CODES.includes(code)) return 'temporary'
    if (code === 10 || code === 230 || (code >= 200 && code <= 299)) return 'permission'
    if (code === 100 || code === 2500) return 'parameter'
  }
  // No Graph code: the status (or its absence, for network errors) is all we have.
  if (httpStatus === 429) return 'rate-limit'
  if (httpStatus === undefined || httpStatus >= 500) return 'temporary'
  return 'unknown'
}

export const isRetryableKind = (kind: GraphErrorKind) => kind === 'temporary' || kind === 'rate-limit'

export type GraphErrorInit = {
  /** What we tried, as a verb phrase: "send a message to Messenger". */
  operation: string
  code?: number
  subcode?: number
  httpStatus?: number
  fbtraceId?: string
  /** Meta's message, already free of secrets. */
  metaMessage?: string
  /** Set when no Graph answer came: the request timed out, the connection failed, or the body was not Graph's. */
  transport?: 'timeout' | 'connection' | 'bad-response'
  /** The socket error code (ECONNREFUSED…) of a connection failure. */
  networkCode?: string
  /** Meta's hint (Retry-After, X-Business-Use-Case-Usage, X-App-Usage) when it is why we stopped. */
  retryAfterMs?: number
  attempts: number
  timeoutMs?: number
}

export class GraphError extends Error {
  readonly kind: GraphErrorKind
  readonly retryable: boolean
  readonly code: number | undefined
  readonly subcode: number | undefined
  readonly httpStatus: number | undefined
  readonly fbtraceId: string | undefined
  readonly metaMessage: string | undefined
  readonly retryAfterMs: number | undefined
  readonly attempts: number
  /** Meta down, throttling or not answering (src/errors.ts isOutage): what isRetryableKind says. */
  get outage(): boolean {
    return this.retryable
  }
  /** Set by the send path when a multi-part message failed after some parts went out. */
  partsDelivered = 0
  partsTotal = 1

  constructor(private readonly init: GraphErrorInit) {
    const kind = classifyGraphError(init.code, init.subcode, init.httpStatus)
    const codeText =
      init.code !== undefined
        ? codeLabel(init.code, init.subcode)
        : [init.transport, init.networkCode, init.httpStatus && `HTTP ${init.httpStatus}`].filter(Boolean).join(' ')
    super(
      `Could not ${init.operation}: Graph API ${codeText} (${kind})${init.metaMessage ? `: ${init.metaMessage}` : ''}`
    )
    this.name = 'GraphError'
    this.kind = kind
    this.retryable = isRetryableKind(kind)
    this.code = init.code
    this.subcode = init.subcode
    this.httpStatus = init.httpStatus
    this.fbtraceId = init.fbtraceId
    this.metaMessage = init.metaMessage
    this.retryAfterMs = init.retryAfterMs
    this.attempts = init.attempts
  }

  /** The error a bot builder sees: what happened, and what to do about it. */
  toRuntimeError(): RuntimeError {
    const parts = [`Could not ${this.init.operation}: ${this.explanation()}`]
    if (this.partsDelivered > 0)
      parts.push(`The first ${this.partsDelivered} of ${this.partsTotal} parts of the message were delivered.`)
    const ref = [
      this.code === undefined ? this.init.networkCode : `Meta error ${codeLabel(this.code, this.subcode)}`,
      this.metaMessage && `"${this.metaMessage}"`,
      this.fbtraceId && `fbtrace_id ${this.fbtraceId}`,
    ]
      .filter(Boolean)
      .join(', ')
    if (ref) parts.push(`(${ref})`)
    return new RuntimeError(parts.join(' '), undefined, undefined, {
      graph: {
        kind: this.kind,
        retryable: this.retryable,
        code: this.code,
        subcode: this.subcode,
        httpStatus: this.httpStatus,
        fbtraceId: this.fbtraceId,
        retryAfterSeconds: this.retryAfterMs === undefined ? undefined : Math.ceil(this.retryAfterMs / 1000),
      },
    })
  }

  private explanation(): string {
    switch (this.kind) {
      case 'token':
        return 'the Page access token is invalid or expired: generate a new one in Meta app > Messenger > Settings and update pageAccessToken.'
      case 'window':
        return (
          "the message is outside the 24-hour window after the user's last message. Only a human agent may answer later, " +
          'with the HUMAN_AGENT tag, up to 7 days after that message and once Meta approved the Human Agent feature for the app (humanAgentTag).' +
          (this.subcode === 2018065 ? ' Meta says the app lacks the permission to message outside the window.' : '')
        )
      case 'permission':
        return (
          'the app or the Page lacks a permission. Check that the token has pages_messaging, that the token was generated by a Page admin, ' +
          'and that the app is Live with Advanced Access (in development mode only people with a role on the app can be messaged).'
        )
      case 'parameter':
        return `Meta rejected the request as invalid. ${PARAMETER_HINTS[this.subcode ?? 0] ?? 'This is a bug in the message or the integration: report it with the fbtrace_id.'}`
      case 'unavailable-user':
        return "this person isn't available on Messenger right now (they may have blocked the Page or deactivated their account). Do not retry."
      case 'rate-limit':
        return this.retryAfterMs !== undefined
          ? `Meta is rate-limiting the app or the Page: retry in about ${humanDuration(this.retryAfterMs)}.`
          : `Meta is rate-limiting the app or the Page and still was after ${this.attempts} attempts: retry in a few minutes.`
      case 'temporary':
        if (this.init.transport === 'timeout')
          return `the Graph API did not answer within ${humanDuration(this.init.timeoutMs ?? 0)}; the message may or may not have been delivered. Retry later.`
        if (this.init.transport === 'connection')
          return `the Graph API could not be reached after ${this.attempts} attempts. Retry later.`
        return this.retryAfterMs !== undefined
          ? `Messenger had a temporary failure: retry in about ${humanDuration(this.retryAfterMs)}.`
          : `Messenger had a temporary failure and still failed after ${this.attempts} attempts. Retry in a few minutes.`
      case 'policy':
        return "Meta blocked it for a policy reason. Check the Page's messaging status (Page quality) in Meta Business Suite before sending again."
      case 'thread-control':
        return 'another app controls this Messenger conversation. In Meta Business Suite > Settings > Conversation routing, let this app answer Messenger conversations.'
      case 'unknown':
        return this.init.transport === 'bad-response'
          ? 'the Graph API answered something that is not a Graph response (a proxy or MESSENGER_GRAPH_URL misconfigured?).'
          : 'Meta refused the request.'
    }
  }
}

const PARAMETER_HINTS: Record<number, string> = {
  2018001: "The PSID is not a Messenger user of this Page: check the conversation's psid tag and the pageId setting.",
  2018008: 'Meta could not download the attachment: its URL must be public and answer within 10 s (75 s for videos).',
  2018294: 'Meta could not download the video in time (75 s).',
  2018047: 'The attachment type does not match the file at the URL.',
  2018109: 'The attachment is too big (25 MB at most; 8 MB for images).',
  2018014: 'A sender action was sent together with a message.',
  2018218: 'Meta has no profile for this user (accounts made with a phone number).',
}

const codeLabel = (code: number, subcode: number | undefined) =>
  subcode === undefined ? `${code}` : `${code}/${subcode}`

function humanDuration(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000))
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`
  const minutes = Math.ceil(seconds / 60)
  return `${minutes} minute${minutes === 1 ? '' : 's'}`
}
