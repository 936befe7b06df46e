import type { z } from '@botpress/sdk'
import {
  classifyRefusal,
  explain,
  FourbizError,
  FourbizFailure,
  FourbizHints,
  FourbizOperation,
  isFourbizFailure,
  refusalExcerpt,
} from './errors'
import {
  CtOccurrence,
  CtRequest,
  emptyAnswerSchema,
  envelopeSchema,
  loginAnswerSchema,
  lookupAnswerSchema,
  occurrenceAnswerSchema,
  occurrenceListAnswerSchema,
  occurrenceSchema,
  requestAnswerSchema,
  requestListAnswerSchema,
  requestSchema,
} from './schemas'
import { FourbizSessions, HeldSession, InstanceMemory, instanceMemory, SessionStore } from './session'
import { attachmentTimeoutMs, FourbizAnswer, post, redact, safeOrigin, xmlElement } from './transport'
import { issuePath } from '../validate'

/** What request/create takes (CtRequest input), as documented for surface A. */
export type SourceRequest = {
  numberOrigin: string
  type: 'I' | 'R'
  description: string
  userID: string
  contact?: { name?: string; email?: string; phoneNumber?: string; department?: string }
  contractID?: string
  service?: { code?: string; name?: string }
  urgency?: 'H' | 'M' | 'L'
  impact?: 'H' | 'M' | 'L'
  groupId?: string
}

export type OccurrenceInput = {
  description: string
  /** YYYY-MM-DD */
  date: string
  /** HH:MM */
  hour: string
  category: { code: string }
  numberOrigin?: string
}

export type AttachmentInput = { name: string; extension: string; content: string }

/** A ticket reference: its 4biz number, or the numberOrigin the integration gave it. */
export type RequestRef = { number: string } | { numberOrigin: string }

export type FourbizClientOptions = {
  /** Base URL with the context path, e.g. https://empresa.4biz.one/4biz */
  baseUrl: string
  userName: string
  password: string
  platform: string
  store: SessionStore
  now?: () => number
  /** Epoch ms: no call of this client runs past it (e.g. the webhook's own limit). */
  deadline?: number
  /** The caller's signal: aborting it abandons whatever 4biz call runs. */
  signal?: AbortSignal
  /** Overall time of one method call, retries and a new login included. Default CALL_BUDGET_MS. */
  budgetMs?: number
  /** This instance's memory of the connection; default: shared by every client of the same URL, user and platform. */
  memory?: InstanceMemory
}

/** One client method (its retries, a new login and the retry after it) never takes longer than this by default. */
const CALL_BUDGET_MS = 25_000

/**
 * Where the web services live, in the order tried for request/addAttachments (one 4biz doc writes /webmvc/services/).
 */
const ATTACHMENT_PREFIXES = ['services', 'webmvc/services']

/**
 * The 4biz "Citrest" web services (surface A): one method per operation. The sessionID travels in the
 * body and the login's cookies in the Cookie header; a refused session triggers one new login and one
 * retry. Every failure is a FourbizError.
 */
export class FourbizClient {
  readonly sessions: FourbizSessions
  private readonly memory: InstanceMemory

  constructor(private readonly opts: FourbizClientOptions) {
    this.memory =
      opts.memory ?? instanceMemory(JSON.stringify([opts.baseUrl.replace(/\/+$/, ''), opts.userName, opts.platform]))
    this.sessions = new FourbizSessions(opts.store, () => this.login(), opts.now, this.memory)
  }

  get userName() {
    return this.opts.userName
  }

  /**
   * Logs in; understands the JSON `{sessionID}` answer and the XML `<SessionID>` one, and keeps the
   * cookies the answer sets. Sends `platform` unless this tenant refused it (then, and remembered for
   * the instance, without it; and the other way round for a tenant that requires it).
   */
  async login(): Promise<{ sessionId: string; cookies?: string }> {
    const withPlatform = this.memory.loginWithPlatform ?? true
    try {
      const session = await this.loginOnce(withPlatform)
      this.memory.loginWithPlatform = withPlatform
      return session
    } catch (err) {
      if (!platformRefused(err)) throw err
      const session = await this.loginOnce(!withPlatform)
      this.memory.loginWithPlatform = !withPlatform
      return session
    }
  }

  private async loginOnce(withPlatform: boolean): Promise<{ sessionId: string; cookies?: string }> {
    const operation = 'login'
    const body = {
      userName: this.opts.userName,
      password: this.opts.password,
      ...(withPlatform ? { platform: this.opts.platform } : {}),
      clientId: 'Botpress',
      language: 'pt_BR',
    }
    const answer = await post(this.url(operation), operation, body, { secrets: this.secrets(), ...this.limits() })
    this.throwIfRefused(operation, answer, {})
    const json = loginAnswerSchema.safeParse(answer.json)
    const sessionId =
      (json.success ? (json.data.sessionID ?? json.data.SessionID) : undefined) ??
      (answer.xml ? xmlElement(answer.xml, 'SessionID') : undefined)
    if (!sessionId) {
      const failure: FourbizFailure =
        answer.json === undefined && answer.xml === undefined ? 'notFourbiz' : 'unexpectedAnswer'
      throw this.failure(
        operation,
        failure,
        'UNEXPECTED',
        `the login answer (HTTP ${answer.status}, ${answer.contentType || 'no content type'}) has no sessionID`,
        {}
      )
    }
    const cookies = mergeCookies(undefined, answer.setCookies)
    return { sessionId, ...(cookies ? { cookies } : {}) }
  }

  /** request/create; `synchronize` (default true) lets 4biz create — or update — the requester from `contact`. */
  async createRequest(sourceRequest: SourceRequest, opts: { synchronize?: boolean } = {}): Promise<CtRequest> {
    const hints = {
      activity: sourceRequest.service?.code,
      contract: sourceRequest.contractID,
      requesterLogin: sourceRequest.userID,
    }
    const answer = await this.call(
      'request/create',
      { synchronize: opts.synchronize ?? true, sourceRequest },
      requestAnswerSchema,
      hints
    )
    return this.requestIn('request/create', answer, hints)
  }

  async getRequest(ref: RequestRef): Promise<CtRequest> {
    const hints = { ticketNumber: 'number' in ref ? ref.number : ref.numberOrigin }
    const answer = await this.call('request/getById', { ...ref }, requestAnswerSchema, hints)
    return this.requestIn('request/getById', answer, hints)
  }

  async getRequestsByUser(userID: string): Promise<CtRequest[]> {
    const answer = await this.call('request/getByUser', { userID }, requestListAnswerSchema, { requesterLogin: userID })
    return answer.requests ?? []
  }

  async createOccurrence(requestNumber: string, occurrence: OccurrenceInput): Promise<CtOccurrence> {
    const hints = { ticketNumber: requestNumber, category: occurrence.category.code }
    const answer = await this.call(
      'request/createOccurrence',
      { requestNumber, occurrence },
      occurrenceAnswerSchema,
      hints
    )
    if (answer.occurrence) return answer.occurrence
    if (answer.number) return occurrenceSchema.parse({ number: answer.number })
    throw this.failure(
      'request/createOccurrence',
      'unexpectedAnswer',
      'UNEXPECTED',
      'the answer has no occurrence number',
      hints
    )
  }

  async listOccurrences(requestNumber: string): Promise<CtOccurrence[]> {
    const answer = await this.call('request/listOccurrences', { requestNumber }, occurrenceListAnswerSchema, {
      ticketNumber: requestNumber,
    })
    return answer.logs ?? answer.occurrences ?? []
  }

  /** Changes the status; returns the ticket when 4biz sends it back. */
  async updateStatus(number: string, status: { code: string; details?: string }): Promise<CtRequest | undefined> {
    const hints = { ticketNumber: number, status: status.code }
    const answer = await this.call('request/updateStatus', { number, status }, requestAnswerSchema, hints)
    return answer.request ?? undefined
  }

  /**
   * Attaches files. The path is /services/request/addAttachments on most tenants and
   * /webmvc/services/request/addAttachments in one 4biz doc: on a 404 the other is tried, and the one
   * that answered is remembered for the instance.
   */
  async addAttachments(requestNumber: string, attachments: AttachmentInput[]): Promise<void> {
    const remembered = this.memory.attachmentsPrefix
    const prefixes = remembered
      ? [remembered, ...ATTACHMENT_PREFIXES.filter((p) => p !== remembered)]
      : ATTACHMENT_PREFIXES
    let firstRefusal: FourbizError | undefined
    for (const [i, prefix] of prefixes.entries()) {
      try {
        await this.call(
          'request/addAttachments',
          { mediaType: 'application/json', requestNumber, attachments },
          emptyAnswerSchema,
          { ticketNumber: requestNumber },
          { timeoutMs: attachmentTimeoutMs(), prefix }
        )
        this.memory.attachmentsPrefix = prefix
        return
      } catch (err) {
        // Not served here: a 404 page, or a dispatcher that does not know the operation under this path.
        const pageMissing = err instanceof FourbizError && err.httpStatus === 404 && err.failure === 'notFourbiz'
        const notHere = pageMissing || isFourbizFailure(err, 'operationMissing')
        if (!notHere) throw err
        if (!pageMissing) firstRefusal ??= err
        if (i === prefixes.length - 1) throw firstRefusal ?? err
      }
    }
  }

  /** The contracts the user may see (mobile API v2/contracts); for the setup check. */
  async listContracts(): Promise<{ id: string; description?: string }[]> {
    const answer = await this.call('v2/contracts', {}, lookupAnswerSchema, {})
    return answer.contracts ?? []
  }

  /** The units of a contract (mobile API v2/units); for the setup check. */
  async listUnits(contractID: string): Promise<{ id: string; description?: string }[]> {
    const answer = await this.call(
      'v2/units',
      { contractID: /^\d+$/.test(contractID) ? Number(contractID) : contractID },
      lookupAnswerSchema,
      { contract: contractID }
    )
    return answer.units ?? []
  }

  /**
   * Whether the user may run an operation, for the setup check: sends a body that cannot change
   * anything (4biz checks the permission before the fields). Any other refusal means the permission is there.
   */
  async probe(
    operation: Exclude<FourbizOperation, 'login'>,
    body: Record<string, unknown>
  ): Promise<'allowed' | 'denied' | 'missing'> {
    try {
      if (operation === 'request/addAttachments')
        await this.addAttachments(
          typeof body.requestNumber === 'string' ? body.requestNumber : '',
          (body.attachments as AttachmentInput[]) ?? []
        )
      else await this.call(operation, body, emptyAnswerSchema, {})
      return 'allowed'
    } catch (err) {
      if (isFourbizFailure(err, 'permission')) return 'denied'
      if (isFourbizFailure(err, 'operationMissing')) return 'missing'
      if (err instanceof FourbizError && ['sessionLost', 'notFourbiz', 'unavailable'].includes(err.failure)) throw err
      if (err instanceof FourbizError) return 'allowed'
      throw err
    }
  }

  /**
   * Calls an operation with the session; on a refused session, logs
   * in once more (or takes a sibling's) and retries once.
   */
  private async call<S extends z.ZodType>(
    operation: FourbizOperation,
    body: Record<string, unknown>,
    schema: S,
    hints: FourbizHints,
    opts: { timeoutMs?: number; prefix?: string } = {}
  ): Promise<z.output<S>> {
    const limits = this.limits(opts.timeoutMs)
    const held = await this.sessions.session()
    try {
      return await this.send(operation, body, held, schema, hints, { ...opts, ...limits })
    } catch (err) {
      if (!isFourbizFailure(err, 'sessionLost')) throw err
      const renewed = await this.sessions.renew(held.sessionId)
      return await this.send(operation, body, renewed, schema, hints, { ...opts, ...limits })
    }
  }

  private async send<S extends z.ZodType>(
    operation: FourbizOperation,
    body: Record<string, unknown>,
    held: HeldSession,
    schema: S,
    hints: FourbizHints,
    opts: { timeoutMs?: number; prefix?: string; deadline?: number; signal?: AbortSignal }
  ): Promise<z.output<S>> {
    const url = this.url(operation, opts.prefix)
    const answer = await post(
      url,
      operation,
      { sessionID: held.sessionId, ...body },
      { ...opts, cookies: held.cookies, secrets: this.secrets() }
    )
    if (answer.setCookies.length)
      this.sessions.updateCookies(held.sessionId, mergeCookies(held.cookies, answer.setCookies) ?? '')
    this.throwIfRefused(operation, answer, hints, url)
    if (answer.json === undefined) {
      const what = answer.xml ? 'XML' : answer.contentType || 'no content type'
      const shown = printable(answer.text)
      // The Sails 4biz client reads a non-JSON getById answer as a missing permission.
      const detail = `HTTP ${answer.status} answer in ${what}, not JSON${shown ? `: "${shown}"` : ''}`
      throw this.failure(
        operation,
        /html/i.test(what) ? 'notFourbiz' : 'unexpectedAnswer',
        'UNEXPECTED',
        detail,
        hints,
        answer.status
      )
    }
    const parsed = schema.safeParse(answer.json)
    if (!parsed.success) {
      const where = parsed.error.issues.map((i) => issuePath(i, 'answer')).join(', ')
      throw this.failure(
        operation,
        'unexpectedAnswer',
        'UNEXPECTED',
        `unexpected fields in the answer: ${where}`,
        hints
      )
    }
    return parsed.data
  }

  /** 401, 412 and `error` set: a refusal. Other non-2xx: not the 4biz web services (wrong URL?). */
  private throwIfRefused(
    operation: FourbizOperation,
    answer: FourbizAnswer,
    hints: FourbizHints,
    url = this.url(operation)
  ) {
    const envelope = envelopeSchema.safeParse(answer.json)
    const jsonError = envelope.success ? envelope.data.error : undefined
    const code = jsonError?.code ?? (answer.xml ? xmlElement(answer.xml, 'Code') : undefined)
    let description = jsonError?.description ?? (answer.xml ? xmlElement(answer.xml, 'Description') : undefined)
    // A refusal in plain text (no JSON, no XML): its words still say what it means.
    if (
      !code &&
      !description &&
      (answer.status === 401 || answer.status === 412) &&
      answer.json === undefined &&
      !answer.xml
    )
      description = printable(answer.text, 1000)
    if (code || description) {
      const c = (code ?? 'UNKNOWN').toUpperCase()
      const failure =
        operation === 'login' && c !== 'INTERNAL' ? 'credentials' : classifyRefusal(operation, c, description ?? '')
      throw this.failure(operation, failure, c, description ?? '', hints, answer.status, answer.attempts > 1)
    }
    if (answer.status === 401 || answer.status === 412) {
      // A refusal without a readable error: 4biz does this for an unknown or expired session.
      const failure = operation === 'login' ? 'credentials' : 'sessionLost'
      throw this.failure(operation, failure, 'SESSION', `HTTP ${answer.status}`, hints, answer.status)
    }
    if (answer.status >= 300) {
      const shown = answer.json === undefined && !/html/i.test(answer.contentType) ? printable(answer.text) : undefined
      throw this.failure(
        operation,
        'notFourbiz',
        'UNEXPECTED',
        `HTTP ${answer.status} from ${safeOrigin(url)}${shown ? ` ("${shown}")` : ''}`,
        hints,
        answer.status
      )
    }
  }

  private requestIn(
    operation: FourbizOperation,
    answer: z.output<typeof requestAnswerSchema>,
    hints: FourbizHints
  ): CtRequest {
    if (answer.request) return answer.request
    if (answer.number) return requestSchema.parse({ number: answer.number })
    throw this.failure(operation, 'unexpectedAnswer', 'UNEXPECTED', 'the answer has no request', hints)
  }

  private failure(
    operation: FourbizOperation,
    failure: FourbizFailure,
    fourbizCode: string,
    rawDescription: string,
    hints: FourbizHints,
    httpStatus?: number,
    repeated?: boolean
  ): FourbizError {
    // Never a Java stack trace: the exception's own message, short.
    const description = refusalExcerpt(redact(rawDescription, this.secrets()))
    return new FourbizError({
      message: explain(operation, failure, fourbizCode, description, { user: this.opts.userName, ...hints }),
      fourbizCode,
      description,
      operation,
      failure,
      httpStatus,
      repeated,
    })
  }

  /** The deadline of one method call: its own budget, within the caller's deadline. */
  private limits(timeoutMs?: number): { deadline: number; signal?: AbortSignal } {
    const budget = Math.max(this.opts.budgetMs ?? CALL_BUDGET_MS, timeoutMs ?? 0)
    const own = Date.now() + budget
    return {
      deadline: this.opts.deadline === undefined ? own : Math.min(own, this.opts.deadline),
      ...(this.opts.signal ? { signal: this.opts.signal } : {}),
    }
  }

  private url(operation: FourbizOperation, prefix = 'services') {
    return `${this.opts.baseUrl.replace(/\/+$/, '')}/${prefix}/${operation}`
  }

  private secrets() {
    return [this.opts.password, ...(this.sessions?.seen ?? [])]
  }
}

/** Refusals of the login that are about `platform`: an unknown field (Jackson, HTTP 400) or a required one. */
function platformRefused(err: unknown): boolean {
  if (!(err instanceof FourbizError) || err.operation !== 'login') return false
  if (err.failure === 'notFourbiz' && err.httpStatus === 400) return true
  return /platform|plataforma/i.test(err.fourbizDescription)
}

/** The Cookie header after an answer's Set-Cookie headers: name=value pairs, newer values win, deleted ones go. */
function mergeCookies(previous: string | undefined, setCookies: string[]): string | undefined {
  const jar = new Map<string, string>()
  for (const pair of (previous ?? '').split(';')) {
    const [name, ...value] = pair.trim().split('=')
    if (name) jar.set(name, value.join('='))
  }
  for (const header of setCookies) {
    const [first = '', ...attributes] = header.split(';') // split gives at least one part
    const eq = first.indexOf('=')
    if (eq <= 0) continue
    const name = first.slice(0, eq).trim()
    const value = first.slice(eq + 1).trim()
    const expired = attributes.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a)) || value === ''
    if (expired) jar.delete(name)
    else jar.set(name, value)
  }
  const header = [...jar].map(([n, v]) => `${n}=${v}`).join('; ')
  return header || undefined
}

/** A short, printable excerpt of a body that is not JSON (never binary garbage). */
function printable(text: string, max = 160): string | undefined {
  const t = text
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  // eslint-disable-next-line no-control-regex -- control characters are how binary garbage shows
  if (!t || /[\u0000-\u0008\u000e-\u001f\ufffd]/.test(t)) return undefined
  return t.length > max ? `${t.slice(0, max - 1)}…` : t
}
