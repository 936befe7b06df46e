import type { z } from 'zod'
import { classifyRefusal, explain, FourbizError, FourbizFailure, FourbizHints, FourbizOperation, isFourbizFailure } from './errors'
import {
  CtOccurrence,
  CtRequest,
  emptyAnswerSchema,
  envelopeSchema,
  loginAnswerSchema,
  occurrenceAnswerSchema,
  occurrenceListAnswerSchema,
  occurrenceSchema,
  requestAnswerSchema,
  requestListAnswerSchema,
  requestSchema,
} from './schemas'
import { FourbizSessions, SessionStore } from './session'
import { attachmentTimeoutMs, FourbizAnswer, post, redact, safeOrigin, xmlElement } from './transport'

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
}

/**
 * The 4biz "Citrest" web services (surface A): one method per operation. The sessionID travels in the
 * body; a refused session triggers one new login and one retry. Every failure is a FourbizError.
 */
export class FourbizClient {
  readonly sessions: FourbizSessions

  constructor(private readonly opts: FourbizClientOptions) {
    this.sessions = new FourbizSessions(opts.store, () => this.login(), opts.now)
  }

  get userName() {
    return this.opts.userName
  }

  /** Logs in; understands the JSON `{sessionID}` answer and the XML `<SessionID>` one. */
  async login(): Promise<string> {
    const operation = 'login'
    const answer = await post(
      this.url(operation),
      operation,
      { userName: this.opts.userName, password: this.opts.password, platform: this.opts.platform, clientId: 'Botpress', language: 'pt_BR' },
      { secrets: this.secrets() }
    )
    this.throwIfRefused(operation, answer, {})
    const json = loginAnswerSchema.safeParse(answer.json)
    const sessionId =
      (json.success ? json.data.sessionID ?? json.data.SessionID : undefined) ?? (answer.xml ? xmlElement(answer.xml, 'SessionID') : undefined)
    if (!sessionId) {
      const failure: FourbizFailure = answer.json === undefined && answer.xml === undefined ? 'notFourbiz' : 'unexpectedAnswer'
      throw this.failure(operation, failure, 'UNEXPECTED', `the login answer (HTTP ${answer.status}, ${answer.contentType || 'no content type'}) has no sessionID`, {})
    }
    return sessionId
  }

  async createRequest(sourceRequest: SourceRequest): Promise<CtRequest> {
    const hints = { activity: sourceRequest.service?.code, contract: sourceRequest.contractID, requesterLogin: sourceRequest.userID }
    const answer = await this.call('request/create', { synchronize: true, sourceRequest }, requestAnswerSchema, hints)
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
    const answer = await this.call('request/createOccurrence', { requestNumber, occurrence }, occurrenceAnswerSchema, hints)
    if (answer.occurrence) return answer.occurrence
    if (answer.number) return occurrenceSchema.parse({ number: answer.number })
    throw this.failure('request/createOccurrence', 'unexpectedAnswer', 'UNEXPECTED', 'the answer has no occurrence number', hints)
  }

  async listOccurrences(requestNumber: string): Promise<CtOccurrence[]> {
    const answer = await this.call('request/listOccurrences', { requestNumber }, occurrenceListAnswerSchema, { ticketNumber: requestNumber })
    return answer.logs ?? answer.occurrences ?? []
  }

  /** Changes the status; returns the ticket when 4biz sends it back. */
  async updateStatus(number: string, status: { code: string; details?: string }): Promise<CtRequest | undefined> {
    const hints = { ticketNumber: number, status: status.code }
    const answer = await this.call('request/updateStatus', { number, status }, requestAnswerSchema, hints)
    return answer.request ?? undefined
  }

  async addAttachments(requestNumber: string, attachments: AttachmentInput[]): Promise<void> {
    await this.call(
      'request/addAttachments',
      { mediaType: 'application/json', requestNumber, attachments },
      emptyAnswerSchema,
      { ticketNumber: requestNumber },
      attachmentTimeoutMs()
    )
  }

  /**
   * Whether the user may run an operation, for register: sends a body that cannot change anything
   * (4biz checks the permission before the fields). Any other refusal means the permission is there.
   */
  async probe(operation: Exclude<FourbizOperation, 'login'>, body: Record<string, unknown>): Promise<'allowed' | 'denied' | 'missing'> {
    try {
      await this.call(operation, body, emptyAnswerSchema, {})
      return 'allowed'
    } catch (err) {
      if (isFourbizFailure(err, 'permission')) return 'denied'
      if (isFourbizFailure(err, 'operationMissing')) return 'missing'
      if (err instanceof FourbizError && ['sessionLost', 'notFourbiz'].includes(err.failure)) throw err
      if (err instanceof FourbizError) return 'allowed'
      throw err
    }
  }

  /** Calls an operation with the session; on a refused session, logs in once more and retries once. */
  private async call<S extends z.ZodType>(
    operation: FourbizOperation,
    body: Record<string, unknown>,
    schema: S,
    hints: FourbizHints,
    timeoutMs?: number
  ): Promise<z.output<S>> {
    const sessionId = await this.sessions.sessionId()
    try {
      return await this.send(operation, { sessionID: sessionId, ...body }, schema, hints, timeoutMs)
    } catch (err) {
      if (!isFourbizFailure(err, 'sessionLost')) throw err
      const renewed = await this.sessions.renew(sessionId)
      return await this.send(operation, { sessionID: renewed, ...body }, schema, hints, timeoutMs)
    }
  }

  private async send<S extends z.ZodType>(
    operation: FourbizOperation,
    body: Record<string, unknown>,
    schema: S,
    hints: FourbizHints,
    timeoutMs?: number
  ): Promise<z.output<S>> {
    const answer = await post(this.url(operation), operation, body, { timeoutMs, secrets: this.secrets() })
    this.throwIfRefused(operation, answer, hints)
    if (answer.json === undefined) {
      const what = answer.xml ? 'XML' : answer.contentType || 'no content type'
      throw this.failure(operation, 'notFourbiz', 'UNEXPECTED', `HTTP ${answer.status} answer in ${what}, not JSON`, hints)
    }
    const parsed = schema.safeParse(answer.json)
    if (!parsed.success) {
      const where = parsed.error.issues.map((i) => i.path.join('.') || 'answer').join(', ')
      throw this.failure(operation, 'unexpectedAnswer', 'UNEXPECTED', `unexpected fields in the answer: ${where}`, hints)
    }
    return parsed.data
  }

  /** 401, 412 and `error` set: a refusal. Other non-2xx: not the 4biz web services (wrong URL?). */
  private throwIfRefused(operation: FourbizOperation, answer: FourbizAnswer, hints: FourbizHints) {
    const envelope = envelopeSchema.safeParse(answer.json)
    const jsonError = envelope.success ? envelope.data.error : undefined
    const code = jsonError?.code ?? (answer.xml ? xmlElement(answer.xml, 'Code') : undefined)
    const description = jsonError?.description ?? (answer.xml ? xmlElement(answer.xml, 'Description') : undefined)
    if (code || description) {
      const c = (code ?? 'UNKNOWN').toUpperCase()
      const failure = operation === 'login' && c !== 'INTERNAL' ? 'credentials' : classifyRefusal(operation, c, description ?? '')
      throw this.failure(operation, failure, c, description ?? '', hints, answer.status, answer.attempts > 1)
    }
    if (answer.status === 401 || answer.status === 412) {
      // A refusal without a readable error: 4biz does this for an unknown or expired session.
      const failure = operation === 'login' ? 'credentials' : 'sessionLost'
      throw this.failure(operation, failure, 'SESSION', `HTTP ${answer.status}`, hints, answer.status)
    }
    if (answer.status >= 300) {
      throw this.failure(operation, 'notFourbiz', 'UNEXPECTED', `HTTP ${answer.status} from ${safeOrigin(this.url(operation))}`, hints, answer.status)
    }
  }

  private requestIn(operation: FourbizOperation, answer: z.output<typeof requestAnswerSchema>, hints: FourbizHints): CtRequest {
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
    const description = redact(rawDescription, this.secrets())
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

  private url(operation: FourbizOperation) {
    return `${this.opts.baseUrl.replace(/\/+$/, '')}/services/${operation}`
  }

  private secrets() {
    return [this.opts.password, ...(this.sessions?.seen ?? [])]
  }
}
