import axios, { AxiosError } from 'axios'
import axiosRetry, { isNetworkError } from 'axios-retry'
import { explain, FourbizError, FourbizOperation, refusalExcerpt } from './errors'
import { env } from '../env'

/**
 * HTTP to the 4biz web services: POST JSON, a timeout on every call, and retries only where repeating
 * cannot do harm. Answers come back raw (JSON, XML or anything else): the client decides what they mean.
 */

/** Reads (and create, made idempotent by numberOrigin) may be repeated on any network failure or 5xx. */
const REPEATABLE: ReadonlySet<FourbizOperation> = new Set<FourbizOperation>([
  'login',
  'request/getById',
  'request/getByUser',
  'request/listOccurrences',
  'request/create',
])

/** Writes are repeated only when the request surely never reached 4biz. */
const NEVER_DELIVERED = new Set(['ECONNREFUSED'])

const isTimeout = (err: AxiosError) => err.code === 'ECONNABORTED' || err.code === 'ETIMEDOUT'

export function shouldRetry(operation: FourbizOperation, err: AxiosError): boolean {
  if (err.code === 'ERR_CANCELED') return false // the call's deadline or the caller's signal: stop now
  if (!REPEATABLE.has(operation)) return !err.response && NEVER_DELIVERED.has(err.code ?? '')
  return isNetworkError(err) || isTimeout(err) || (err.response?.status ?? 0) >= 500
}

const RETRIES = 2
/** 200 ms, then 400 ms (+ up to 20% jitter): short, so a blip is absorbed without stalling the webhook. */
const retryDelayMs = (attempt: number) => {
  const base = 200 * 2 ** (attempt - 1)
  return Math.min(1000, base + Math.random() * base * 0.2)
}

/** Per-call timeouts (shorter in tests of slow 4biz answers: src/env.ts). */
const requestTimeoutMs = env.fourbizHttpTimeoutMs
export const attachmentTimeoutMs = () => Math.max(requestTimeoutMs(), 30_000)

// made at the first 4biz call, not at load: most cold starts (a Messenger message) never talk to 4biz
let shared: ReturnType<typeof axios.create> | undefined
function http() {
  if (!shared) {
    shared = axios.create({ maxBodyLength: Infinity, maxContentLength: 64 * 1024 * 1024, maxRedirects: 0 })
    axiosRetry(shared, { retries: RETRIES, retryDelay: retryDelayMs, shouldResetTimeout: true })
  }
  return shared
}

/** What 4biz answered, before interpretation. */
export type FourbizAnswer = {
  status: number
  contentType: string
  text: string
  json: unknown
  /** The body when it is XML (some tenants answer XML, e.g. on login). */
  xml: string | undefined
  /** How many times the request was sent (more than 1 after a retried network failure or 5xx). */
  attempts: number
  /** The Set-Cookie headers of the answer (JSESSIONID, AUTH-TOKEN, load-balancer cookies). */
  setCookies: string[]
}

export type PostOptions = {
  /** Per attempt. */
  timeoutMs?: number
  /** Strings never to show in an error (password, sessionIDs). */
  secrets: string[]
  /** The Cookie header to send (the cookies the login set). */
  cookies?: string
  /** Epoch ms after which no attempt is started and the running one is abandoned (the call's overall budget). */
  deadline?: number
  /** The caller's own signal (e.g. the webhook's), aborting whatever runs. */
  signal?: AbortSignal
}

/** Thrown before sending when the deadline already passed. */
const budgetSpent = (deadline: number) => deadline - Date.now() <= 0

export async function post(
  url: string,
  operation: FourbizOperation,
  body: unknown,
  opts: PostOptions
): Promise<FourbizAnswer> {
  const remaining = opts.deadline === undefined ? Infinity : opts.deadline - Date.now()
  const timeoutMs = Math.max(1, Math.min(opts.timeoutMs ?? requestTimeoutMs(), remaining))
  const signals = [
    opts.signal,
    Number.isFinite(remaining) ? AbortSignal.timeout(Math.max(1, remaining)) : undefined,
  ].filter((x): x is AbortSignal => !!x)
  try {
    if (opts.signal?.aborted || (opts.deadline !== undefined && budgetSpent(opts.deadline)))
      throw Object.assign(new Error('canceled'), { code: 'ERR_CANCELED' })
    const res = await http().post(url, body, {
      timeout: timeoutMs,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      signal: signals.length ? AbortSignal.any(signals) : undefined,
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/json; charset=utf-8',
        ...(opts.cookies ? { Cookie: opts.cookies } : {}),
      },
      // 4xx (notably 412, the 4biz refusal) are answers to read; 5xx are failures (retried where safe).
      validateStatus: (status) => status < 500,
      'axios-retry': { retryCondition: (err) => shouldRetry(operation, err) },
    })
    const answer = readAnswer(
      res.status,
      String(res.headers['content-type'] ?? ''),
      typeof res.data === 'string' ? res.data : ''
    )
    const setCookie = res.headers['set-cookie']
    const setCookies = Array.isArray(setCookie) ? setCookie : setCookie ? [String(setCookie)] : []
    return { ...answer, setCookies, attempts: 1 + (res.config['axios-retry']?.retryCount ?? 0) }
  } catch (err) {
    if ((err as AxiosError)?.code === 'ERR_CANCELED' || axios.isCancel(err)) throw outOfTime(url, operation, opts)
    // A 5xx that carries 4biz's own error (addAttachments answers 500 "Campos obrigatórios não informados")
    // is a refusal to read, not an outage: repeating it later would fail the same way.
    const ax = err as AxiosError
    if (ax?.response) {
      const answer = readAnswer(
        ax.response.status,
        String(ax.response.headers?.['content-type'] ?? ''),
        typeof ax.response.data === 'string' ? ax.response.data : ''
      )
      const j = answer.json as { error?: { code?: unknown } } | undefined
      if (j && typeof j === 'object' && j.error && typeof j.error === 'object' && j.error.code)
        return { ...answer, attempts: 1 + (ax.config?.['axios-retry']?.retryCount ?? 0) }
    }
    throw unreachable(url, operation, err, timeoutMs, opts.secrets)
  }
}

/** The call's overall budget ran out, or the caller gave up: an outage for the caller (nothing was refused). */
function outOfTime(url: string, operation: FourbizOperation, opts: PostOptions): FourbizError {
  const description = opts.signal?.aborted
    ? `the caller stopped waiting for ${safeOrigin(url)}`
    : `no answer from ${safeOrigin(url)} within the time left for this call`
  return new FourbizError({
    message: explain(operation, 'unavailable', 'UNAVAILABLE', description, {}),
    fourbizCode: 'UNAVAILABLE',
    description,
    operation,
    failure: 'unavailable',
  })
}

function readAnswer(status: number, contentType: string, text: string): FourbizAnswer {
  return { ...parseBody(text), status, contentType, text, attempts: 1, setCookies: [] }
}

function parseBody(text: string): { json: unknown; xml: string | undefined } {
  const trimmed = text.trim()
  let json: unknown = undefined
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      json = JSON.parse(trimmed)
    } catch {
      json = undefined
    }
  }
  const xml =
    json === undefined && trimmed.startsWith('<') && !/<html[\s>]|<!doctype html/i.test(trimmed) ? trimmed : undefined
  return { json, xml }
}

/** The text of the first `<Tag>` element (JAXB names: SessionID, Code, Description...). */
export function xmlElement(xml: string, tag: string): string | undefined {
  const m = xml.match(new RegExp(`<(?:\\w+:)?${tag}(?:\\s[^>]*)?>([^<]*)</(?:\\w+:)?${tag}>`, 'i'))
  return m ? decodeXmlText(m[1]!).trim() : undefined
}

const decodeXmlText = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&')

/** Removes secrets from text that may be shown to a bot builder. */
export function redact(text: string, secrets: string[]): string {
  let out = text
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('***')
  return out
}

const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/

/**
 * A failure before any readable answer: down, timeout, 5xx, DNS, TLS. Never includes the request (it holds secrets).
 */
function unreachable(
  url: string,
  operation: FourbizOperation,
  err: unknown,
  timeoutMs: number,
  secrets: string[]
): FourbizError {
  const ax = err as AxiosError
  const where = safeOrigin(url)
  let description: string
  let failure: 'unavailable' | 'notFourbiz' = 'unavailable'
  let httpStatus: number | undefined
  if (ax?.response) {
    httpStatus = ax.response.status
    const answer = readAnswer(
      ax.response.status,
      String(ax.response.headers?.['content-type'] ?? ''),
      typeof ax.response.data === 'string' ? ax.response.data : ''
    )
    const detail = fourbizDescription(answer)
    description = `HTTP ${httpStatus} from ${where}${detail ? ` (${refusalExcerpt(redact(detail, secrets))})` : ''}`
  } else if (isTimeout(ax)) {
    description = `no answer from ${where} within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}`
  } else if (ax?.code === 'ECONNREFUSED') {
    description = `connection refused by ${where}`
  } else if (ax?.code === 'ENOTFOUND' || ax?.code === 'EAI_AGAIN') {
    description = `the host name of ${where} does not resolve (${ax.code})`
  } else if (ax?.code && TLS_CODES.test(ax.code)) {
    failure = 'notFourbiz'
    description = `the TLS certificate of ${where} is not accepted (${ax.code})`
  } else {
    description = `${ax?.code ?? 'network error'} talking to ${where}`
  }
  return new FourbizError({
    message: explain(operation, failure, failure === 'unavailable' ? 'UNAVAILABLE' : 'UNEXPECTED', description, {}),
    fourbizCode: 'UNAVAILABLE',
    description,
    operation,
    failure,
    httpStatus,
  })
}

/** The 4biz error description in an answer, if it carries one (JSON or XML). */
function fourbizDescription(answer: FourbizAnswer): string | undefined {
  const j = answer.json as { error?: { description?: unknown } } | undefined
  const description =
    j && typeof j === 'object' && j.error && typeof j.error === 'object' ? j.error.description : undefined
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- 4biz writes a text there; whatever it is, said as it is
  if (description) return String(description)
  if (answer.xml) return xmlElement(answer.xml, 'Description')
  return undefined
}

/** scheme://host[:port]/path without credentials or query: safe to show. */
export function safeOrigin(url: string): string {
  try {
    const u = new URL(url)
    return `${u.protocol}//${u.host}${u.pathname}`
  } catch {
    return 'an invalid URL'
  }
}
