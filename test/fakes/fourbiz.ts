import { fourbizDateAndHour } from '../../src/fourbiz/dates'
import { createHmac, randomUUID } from 'node:crypto'
import { LoopbackFake, RecordedCall, Reply } from './http'

/**
 * A loopback fake of the 4biz "Citrest" web services (surface A of shared/reference/4biz-api.md), as
 * strict as the real service: POST JSON under `{contextPath}/services/...`, `sessionID` in the body
 * with an absolute expiry, HTTP 412 with `error{code, description}` (Portuguese), the order of checks of
 * the CITSmart source (session → operation registered → permission → fields), per-operation permissions
 * per user, numberOrigin unique per login platform, `synchronize` creating requesters, occurrences,
 * statuses and attachments. State lives in memory; `snapshot()` shows all of it as plain JSON.
 *
 * Refusal texts are the real ones of the CITSmart server source (Rocamdf/citsmart,
 * WEB-INF/src/br/com/centralit/citsmart/rest/**): "Solicitação de serviço já cadastrada no CITSmart"
 * (RestAddServiceRequest), "Solicitacação de serviço não encontrada" (RestMobile, typo included),
 * "Dados do usuário não cadastrados", "Usuário não tem acesso à operação", "Operação não cadastrada",
 * "Sessão não existe ou está expirada", "Usuário não encontrado e/ou senha inválida"; an exception inside
 * an operation comes back as INTERNAL with the Java stack trace (RestLogServiceEjb / RestUtil.stackToString).
 * 4biz writes its own follow-ups too (ticket opened, status changes, SLA: Enumerados.CategoriaOcorrencia),
 * kept apart in `ticket.systemOccurrences` and listed with the others. The login sets cookies and, on a
 * tenant that binds sessions to a node (`cookieBound`), a session sent without its JSESSIONID is refused.
 */

export type FourbizFakeUser = {
  password: string
  /** Web-service operations (request_create, ...) the user's groups are linked to; 'all' by default. */
  permissions?: string[] | 'all'
}

export type FourbizFakeOptions = {
  contextPath?: string
  users?: Record<string, FourbizFakeUser>
  /** Activities (service code → name) active and in production in the portfolio. */
  activities?: Record<string, { name: string; active?: boolean }>
  contracts?: string[]
  /** Parameter 118: contract of tickets that name none. */
  defaultContract?: string
  /** ORIGIN_ID of the request_create operation: the contact origin of every ticket it creates. */
  origin?: string
  /** Parameter 45 (LDAP – ID Grupo Padrão): group of requesters created by synchronize. */
  requesterGroup?: string
  /** DEFAULT_DEPTO_ID: unit of requesters created without contact.department. */
  defaultUnit?: string
  categories?: string[]
  sessionTtlMs?: number
  /** Answer login in XML (some tenants do by default); also done when the client asks for XML only. */
  xmlLogin?: boolean
  /** Session ids are JWTs (HS512, with exp) like current 4biz tenants, instead of UUIDs. */
  jwtSessions?: boolean
  /** How dates are written: "2020-05-19 14:56:00" (default), epoch ms, or ISO. */
  dateFormat?: 'text' | 'epoch' | 'iso'
  firstTicketNumber?: number
  /** CITSmart answers a missing permission with PARAM; newer 4biz with PERMISSION. */
  permissionErrorCode?: 'PERMISSION' | 'PARAM'
  /** Parameter 318. */
  forbiddenExtensions?: string[]
  /** Parameter 278, bytes. */
  maxAttachmentBytes?: number
  /** Units (Unidade) of the tenant, listed by v2/units; contact.department must name one (else DEFAULT_DEPTO_ID's). */
  units?: { id: string; name: string }[]
  /**
   * `platform` on login: 'optional' (2025 4biz tenants: clients omit it), 'required' (refused without it),
   * 'unknownField' (an old CITSmart whose Jackson rejects unknown fields: HTTP 400 with it).
   */
  loginPlatform?: 'optional' | 'required' | 'unknownField'
  /** A session is valid only with the JSESSIONID cookie its login set (multi-node tenant without sticky routing). */
  cookieBound?: boolean
  /** How an expired or unknown session is refused: 412 + SESSION (CITSmart), or a bare 401 (webmvc-style tenants). */
  expiredSessionStatus?: 412 | 401
  /** How refusals are written: JSON (default), JAXB XML, or plain text (a proxy or an old version). */
  refusalFormat?: 'json' | 'xml' | 'text'
  /** Where request/addAttachments lives: /services/… (default) or /webmvc/services/… (one 4biz doc). */
  attachmentsPath?: 'services' | 'webmvc'
  /** A duplicate numberOrigin raised as an exception inside the operation: INTERNAL + stack trace, not INPUT. */
  duplicateAsException?: boolean
}

export type FakeRequester = {
  login: string
  name: string
  unit: string
  group: string
  email?: string
  phoneNumber?: string
  createdAt: string
  createdBy: string
  /** Set when synchronize changed an existing person. */
  updatedBy?: string
}
export type FakeOccurrence = {
  number: string
  numberOrigin?: string
  description: string
  date: string
  hour: string
  userID: string
  category: { code: string; name: string }
  reason?: string
  createdAt: string
  /** Written by 4biz itself (ticket opened, status change, SLA), not by a person's follow-up. */
  system?: boolean
}
export type FakeAttachment = { name: string; extension: string; size: number; addedBy: string; addedAt: string }
export type FakeStatusChange = { code: string; details?: string; by: string; at: string }
export type FakeTicket = {
  number: string
  numberOrigin: string
  platform: string
  type: 'I' | 'R'
  description: string
  userID: string
  contact: Record<string, string>
  service: { code: string; name: string }
  contractID: string
  origin: string
  urgency?: string
  impact?: string
  groupId?: string
  status: { code: string; name: string }
  openedAt: number
  deadline: number
  createdBy: string
  statusHistory: FakeStatusChange[]
  occurrences: FakeOccurrence[]
  /** 4biz's own follow-ups (Criacao, Atualizacao, MudancaSLA…), listed by listOccurrences with the others. */
  systemOccurrences: FakeOccurrence[]
  attachments: FakeAttachment[]
}
type Session = { id: string; user: string; platform: string; createdAt: number; expiresAt: number; cookie: string }

/** Enumerados.CategoriaOcorrencia (2014 source): code → the name 4biz shows. */
export const FAKE_CATEGORY_NAMES: Record<string, string> = {
  Criacao: 'Registro da Solicitação',
  Acompanhamento: 'Acompanhamento com o Cliente',
  Atualizacao: 'Atualização de Status',
  Execucao: 'Registro de Execução',
  MudancaSLA: 'Mudança de SLA',
  InicioSLA: 'Inicio do SLA',
  Encerramento: 'Encerramento da Solicitação',
  Direcionamento: 'Direcionamento da Solicitação',
}

/** The texts of the CITSmart source, for tests to compare with. */
export const REAL_TEXTS = {
  duplicate: 'Solicitação de serviço já cadastrada no CITSmart',
  ticketNotFound: 'Solicitacação de serviço não encontrada',
  unknownUser: 'Dados do usuário não cadastrados',
  noAccess: 'Usuário não tem acesso à operação',
  operationMissing: 'Operação não cadastrada',
  session: 'Sessão não existe ou está expirada',
  badLogin: 'Usuário não encontrado e/ou senha inválida',
}

/** What RestUtil.stackToString makes of an exception: the trace between dashes. */
export function javaStackTrace(exception: string, message: string): string {
  return [
    '------',
    `${exception}: ${message}`,
    '\tat br.com.centralit.citcorpore.negocio.SolicitacaoServicoServiceEjb.create(SolicitacaoServicoServiceEjb.java:412)',
    '\tat br.com.centralit.citsmart.rest.operation.RestAddServiceRequest.execute(RestAddServiceRequest.java:213)',
    '\tat br.com.centralit.citsmart.rest.util.RestOperationUtil.executeJavaClass(RestOperationUtil.java:78)',
    '\tat org.jboss.resteasy.core.MethodInjectorImpl.invoke(MethodInjectorImpl.java:167)',
    '------',
    '',
  ].join('\n')
}

/** Status codes of a Portuguese tenant (request/updateStatus doc), with their display names. */
export const FAKE_STATUSES: Record<string, string> = {
  EmAndamento: 'Em andamento',
  Suspensa: 'Suspensa',
  Cancelada: 'Cancelada',
  Resolvida: 'Resolvida',
  Reaberta: 'Reaberta',
  Fechada: 'Fechada',
}
const FINAL_STATUSES = new Set(['Cancelada', 'Fechada'])

const DEFAULT_CATEGORIES = [
  'Acompanhamento',
  'Atualização',
  'Diagnostico',
  'Investigação',
  'Memorando',
  'Informação',
  'Retorno',
  'Sintoma',
  'Contorno',
  'Agendamento',
]

export const ALL_OPERATIONS = [
  'request_create',
  'request_getById',
  'request_getByUser',
  'request_createOccurrence',
  'request_listOccurrences',
  'request_updateStatus',
  'request_addAttachments',
]
/** The mobile API's read-only lookups (4biz apis.md), registered like the others. */
export const LOOKUP_OPERATIONS = ['v2_contracts', 'v2_units']

const SOURCE_REQUEST_FIELDS = new Set([
  'numberOrigin',
  'type',
  'description',
  'userID',
  'contact',
  'contractID',
  'service',
  'urgency',
  'impact',
  'groupId',
])
const CONTACT_FIELDS = new Set(['name', 'email', 'phoneNumber', 'department'])
const OCCURRENCE_FIELDS = new Set(['numberOrigin', 'description', 'date', 'hour', 'category', 'reason'])

class Refusal {
  constructor(
    readonly code: string,
    readonly description: string,
    readonly status = 412
  ) {}
}
/** 4biz writes its own follow-ups in the tenant's local time (Brasília), as the integration writes its own. */
const tenantTime = (at: Date) => fourbizDateAndHour(at)

const refuse = (code: string, description: string, status = 412): never => {
  throw new Refusal(code, description, status)
}

export class FourbizFake extends LoopbackFake {
  readonly contextPath: string
  users: Record<string, FourbizFakeUser>
  activities: Record<string, { name: string; active?: boolean }>
  contracts: string[]
  defaultContract: string
  origin: string
  requesterGroup: string
  defaultUnit: string
  categories: string[]
  sessionTtlMs: number
  xmlLogin: boolean
  jwtSessions: boolean
  dateFormat: 'text' | 'epoch' | 'iso'
  permissionErrorCode: 'PERMISSION' | 'PARAM'
  forbiddenExtensions: string[]
  maxAttachmentBytes: number
  units: { id: string; name: string }[]
  loginPlatform: 'optional' | 'required' | 'unknownField'
  cookieBound: boolean
  expiredSessionStatus: 412 | 401
  refusalFormat: 'json' | 'xml' | 'text'
  attachmentsPath: 'services' | 'webmvc'
  duplicateAsException: boolean
  /** Operations loaded by the web-service scripts; remove one to see "Operação não cadastrada". */
  registeredOperations = new Set([...ALL_OPERATIONS, ...LOOKUP_OPERATIONS])

  requesters = new Map<string, FakeRequester>()
  tickets = new Map<string, FakeTicket>()
  private sessions = new Map<string, Session>()
  private nextTicket: number
  private nextOccurrence = 5001
  /** 4biz's own follow-ups are numbered apart, so the numbers of the written ones stay predictable in tests. */
  private nextSystemOccurrence = 9_000_001
  /** The order follow-ups were written in, whatever their number range. */
  private written = new WeakMap<FakeOccurrence, number>()
  private writtenCount = 0
  private nextOperation = 90001
  private readonly jwtKey = randomUUID()

  constructor(opts: FourbizFakeOptions = {}) {
    super((call) => this.answer(call))
    this.contextPath = opts.contextPath ?? '/4biz'
    this.users = opts.users ?? { 'botpress.integration': { password: 'fourbiz-password', permissions: 'all' } }
    this.activities = opts.activities ?? {
      '170': { name: 'Falha - Ger. Eventos' },
      '171': { name: 'Solicitação de acesso' },
      '180': { name: 'Atividade desativada', active: false },
    }
    this.contracts = opts.contracts ?? ['1', '2']
    this.defaultContract = opts.defaultContract ?? '1'
    this.origin = opts.origin ?? 'Facebook'
    this.requesterGroup = opts.requesterGroup ?? 'Solicitantes Facebook'
    this.defaultUnit = opts.defaultUnit ?? 'Geral'
    this.categories = opts.categories ?? DEFAULT_CATEGORIES
    this.sessionTtlMs = opts.sessionTtlMs ?? 600_000
    this.xmlLogin = opts.xmlLogin ?? false
    this.jwtSessions = opts.jwtSessions ?? false
    this.dateFormat = opts.dateFormat ?? 'text'
    this.nextTicket = opts.firstTicketNumber ?? 1001
    this.permissionErrorCode = opts.permissionErrorCode ?? 'PARAM'
    this.forbiddenExtensions = opts.forbiddenExtensions ?? ['exe', 'bat', 'cmd', 'js']
    this.maxAttachmentBytes = opts.maxAttachmentBytes ?? 1024 * 1024 * 1024
    this.units = opts.units ?? [
      { id: '1', name: this.defaultUnit },
      { id: '2', name: 'Atendimento Digital' },
    ]
    this.loginPlatform = opts.loginPlatform ?? 'optional'
    this.cookieBound = opts.cookieBound ?? false
    this.expiredSessionStatus = opts.expiredSessionStatus ?? 412
    this.refusalFormat = opts.refusalFormat ?? 'json'
    this.attachmentsPath = opts.attachmentsPath ?? 'services'
    this.duplicateAsException = opts.duplicateAsException ?? false
    // JSON bodies carry base64 files: allow a 10 MB file plus its encoding.
    this.maxBodyBytes = 32 * 1024 * 1024
  }

  // ---------------------------------------------------------------- test and analyst helpers

  get loginCount() {
    return this.callsTo(`${this.contextPath}/services/login`).length
  }

  /** Calls to one operation, e.g. 'request/create'. */
  callsToOperation(operation: string) {
    return this.calls.filter((c) => c.path === `${this.contextPath}/services/${operation}`)
  }

  /** Every session becomes invalid, as when 4biz restarts or the tokens time out. */
  expireSessions() {
    this.sessions.clear()
  }

  get activeSessions() {
    const now = Date.now()
    return [...this.sessions.values()].filter((s) => s.expiresAt > now).length
  }

  /** Seeds a requester that already exists in 4biz (an employee, not created by synchronize). */
  addRequester(
    login: string,
    name: string,
    unit = this.defaultUnit,
    group = 'Colaboradores',
    contact: { email?: string; phoneNumber?: string } = {}
  ) {
    this.requesters.set(login, { login, name, unit, group, ...contact, createdAt: this.now(), createdBy: 'seed' })
  }

  /**
   * The administrator links (or unlinks) a group of the user to a web-service operation
   * (Sistema > Web Service > Operação de Web Service > Adicionar Grupo), e.g. 'request_updateStatus'.
   */
  setPermission(user: string, operation: string, allowed: boolean) {
    const u = this.users[user]
    if (!u) throw new Error(`no user ${user}`)
    const current =
      u.permissions === 'all' || u.permissions === undefined ? [...ALL_OPERATIONS, ...LOOKUP_OPERATIONS] : u.permissions
    u.permissions = allowed ? [...new Set([...current, operation])] : current.filter((o) => o !== operation)
  }

  /** 4biz writes a follow-up of its own on the ticket (e.g. MudancaSLA by a batch job, as "Automático"). */
  systemFollowUp(number: string, category: string, text: string, author = 'Automático'): string {
    const ticket = this.tickets.get(number)
    if (!ticket) throw new Error(`no ticket ${number}`)
    return this.addSystemOccurrence(ticket, category, text, author).number
  }

  ticket(number: string): FakeTicket | undefined {
    return this.tickets.get(number)
  }

  ticketByNumberOrigin(numberOrigin: string): FakeTicket | undefined {
    return [...this.tickets.values()].find((t) => t.numberOrigin === numberOrigin)
  }

  /** An analyst writes a follow-up on the ticket (what the routing code relays to Messenger). */
  analystFollowUp(number: string, text: string, author = 'analista.n1', category = 'Acompanhamento'): string {
    const ticket = this.tickets.get(number)
    if (!ticket) throw new Error(`no ticket ${number}`)
    const at = new Date()
    return this.addOccurrence(ticket, { description: text, userID: author, category, ...tenantTime(at) }).number
  }

  /** An analyst moves the ticket to a status (any transition, as an administrator could). */
  setStatus(number: string, code: string, details?: string, by = 'analista.n1') {
    const ticket = this.tickets.get(number)
    if (!ticket) throw new Error(`no ticket ${number}`)
    if (!FAKE_STATUSES[code]) throw new Error(`unknown status ${code}`)
    ticket.status = { code, name: FAKE_STATUSES[code] }
    ticket.statusHistory.push({ code, details, by, at: this.now() })
    this.addSystemOccurrence(
      ticket,
      'Atualizacao',
      `Situação alterada para ${FAKE_STATUSES[code]}${details ? `: ${details}` : ''}`,
      by
    )
  }

  /** The whole state as plain JSON (no secrets, no file contents). */
  snapshot() {
    return JSON.parse(
      JSON.stringify({
        parameters: {
          '45 LDAP - ID Grupo Padrão': this.requesterGroup,
          '118 ID do contrato padrão': this.defaultContract,
          'request_create ORIGIN_ID': this.origin,
          DEFAULT_DEPTO_ID: this.defaultUnit,
        },
        users: Object.entries(this.users).map(([login, u]) => ({ login, permissions: u.permissions ?? 'all' })),
        activeSessions: this.activeSessions,
        requesters: [...this.requesters.values()],
        tickets: [...this.tickets.values()].map((t) => ({
          ...t,
          openedAt: new Date(t.openedAt).toISOString(),
          deadline: new Date(t.deadline).toISOString(),
        })),
      })
    )
  }

  /** Runs a call through the real routes: lets a fault handle a request and still lose its answer. */
  process(call: RecordedCall): Reply {
    return this.answer(call)
  }

  // ---------------------------------------------------------------- wire

  private answer(call: RecordedCall): Reply {
    const services = `${this.contextPath}/services/`
    const webmvc = `${this.contextPath}/webmvc/services/`
    // request/addAttachments lives under one of the two paths, as the tenant's version has it.
    const underWebmvc = call.path.startsWith(webmvc)
    if (
      underWebmvc
        ? call.path !== `${webmvc}request/addAttachments` || this.attachmentsPath !== 'webmvc'
        : !call.path.startsWith(services)
    )
      return notFoundPage(call.path)
    const operation = call.path.slice(underWebmvc ? webmvc.length : services.length)
    if (operation === 'request/addAttachments' && !underWebmvc && this.attachmentsPath === 'webmvc')
      return notFoundPage(call.path)
    if (call.method !== 'POST') return { status: 405, raw: '', headers: { allow: 'POST' } }
    if (!String(call.headers['content-type'] ?? '').includes('application/json'))
      return { status: 415, raw: 'Unsupported Media Type', headers: { 'content-type': 'text/plain' } }
    if (!call.body || typeof call.body !== 'object' || Array.isArray(call.body))
      return { status: 400, raw: 'Bad Request', headers: { 'content-type': 'text/plain' } }
    if (operation === 'login') return this.login(call)
    try {
      const session = this.session(call.body.sessionID, call)
      const name = operation.replace('/', '_')
      if (!this.registeredOperations.has(name) || !this.handlers[operation])
        refuse('PARAM', REAL_TEXTS.operationMissing)
      const perms = this.users[session.user]?.permissions ?? 'all'
      if (perms !== 'all' && !perms.includes(name)) refuse(this.permissionErrorCode, REAL_TEXTS.noAccess)
      return this.ok(this.handlers[operation]!(call.body, session))
    } catch (err) {
      if (err instanceof Refusal) return this.refusal(err)
      throw err
    }
  }

  private refusal(err: Refusal): Reply {
    if (err.status === 401) return { status: 401, raw: '', headers: { 'content-type': 'text/plain' } }
    if (this.refusalFormat === 'xml')
      return {
        status: err.status,
        raw: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><ctMessageResp><DateTime>${this.date(Date.now())}</DateTime><Error><Code>${err.code}</Code><Description>${xmlEscape(err.description)}</Description></Error></ctMessageResp>`,
        headers: { 'content-type': 'application/xml' },
      }
    if (this.refusalFormat === 'text')
      return { status: err.status, raw: err.description, headers: { 'content-type': 'text/plain;charset=UTF-8' } }
    return { status: err.status, body: { ...this.envelope(), error: { code: err.code, description: err.description } } }
  }

  private login(call: RecordedCall): Reply {
    const b = call.body
    const accept = String(call.headers.accept ?? '')
    const xml = this.xmlLogin || (accept.includes('xml') && !accept.includes('json'))
    const fail = (code: string, description: string): Reply =>
      xml
        ? {
            status: 412,
            raw: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><ctLoginResp><DateTime>${this.date(Date.now())}</DateTime><Error><Code>${code}</Code><Description>${description}</Description></Error></ctLoginResp>`,
            headers: { 'content-type': 'application/xml' },
          }
        : { status: 412, body: { ...this.envelope(), sessionID: null, error: { code, description } } }
    if (this.loginPlatform === 'unknownField' && 'platform' in b)
      return {
        status: 400,
        raw: 'Unrecognized field "platform" (Class br.com.centralit.citsmart.rest.schema.CtLogin), not marked as ignorable',
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
      }
    // RestSessionServiceEjb.authentication
    if (typeof b.password !== 'string' || !b.password.trim()) return fail('SESSION', 'Senha não informada')
    if (typeof b.userName !== 'string' || !b.userName.trim()) return fail('SESSION', 'Usuário não informado')
    if (this.loginPlatform === 'required' && (typeof b.platform !== 'string' || !b.platform.trim()))
      return fail('PARAM', 'Plataforma (platform) não informada')
    const user = this.users[b.userName]
    if (!user || user.password !== b.password) return fail('SESSION', REAL_TEXTS.badLogin)
    const now = Date.now()
    const id = this.jwtSessions ? this.jwt(b.userName, now) : randomUUID()
    // The servlet session of the node that served the login (the 2014 sessionID is HttpSession.getId()).
    const cookie = randomUUID().replace(/-/g, '').toUpperCase()
    const platform = typeof b.platform === 'string' && b.platform.trim() ? b.platform : '(sem plataforma)'
    this.sessions.set(id, {
      id,
      user: b.userName,
      platform,
      createdAt: now,
      expiresAt: now + this.sessionTtlMs,
      cookie,
    })
    // The LoopbackFake writes headers as given: Node sends an array value as one Set-Cookie line each.
    const setCookie = [
      `JSESSIONID=${cookie}; Path=${this.contextPath}; HttpOnly`,
      `AWSALB=node-${cookie.slice(0, 8)}; Path=/`,
    ] as unknown as string
    if (xml)
      return {
        status: 200,
        raw: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><ctLoginResp><DateTime>${this.date(now)}</DateTime><OperationID>${this.nextOperation++}</OperationID><SessionID>${id}</SessionID></ctLoginResp>`,
        headers: { 'content-type': 'application/xml', 'set-cookie': setCookie },
      }
    return { status: 200, body: { ...this.envelope(), sessionID: id }, headers: { 'set-cookie': setCookie } }
  }

  private session(sessionID: unknown, call: RecordedCall): Session {
    const s = typeof sessionID === 'string' ? this.sessions.get(sessionID) : undefined
    const expired = !s || s.expiresAt <= Date.now()
    // Without its JSESSIONID the call reaches a node that never saw the session.
    const otherNode = !!s && this.cookieBound && cookieValue(call.headers.cookie, 'JSESSIONID') !== s.cookie
    if (expired || otherNode) {
      if (s && expired) this.sessions.delete(s.id)
      return this.expiredSessionStatus === 401
        ? refuse('SESSION', 'Unauthorized', 401)
        : refuse('SESSION', REAL_TEXTS.session)
    }
    return s
  }

  private ok(body: object): Reply {
    return { status: 200, body: { ...this.envelope(), ...body } }
  }

  private envelope() {
    return { dateTime: this.date(Date.now()), operationID: String(this.nextOperation++), error: null }
  }

  // ---------------------------------------------------------------- operations

  private readonly handlers: Record<string, (body: any, session: Session) => object> = {
    'request/create': (b, s) => this.create(b, s),
    'request/getById': (b, s) => ({ request: this.ctRequest(this.find(b.number, b.numberOrigin, s)) }),
    'request/getByUser': (b) => this.byUser(b),
    'request/createOccurrence': (b, s) => this.createOccurrence(b, s),
    'request/listOccurrences': (b, s) => this.listOccurrences(b, s),
    'request/updateStatus': (b, s) => this.updateStatus(b, s),
    'request/addAttachments': (b, s) => this.addAttachments(b, s),
    'v2/contracts': () => ({
      contracts: this.contracts.map((id) => ({ id: Number(id) || id, description: `Contrato ${id}` })),
    }),
    'v2/units': (b) => {
      if (b.contractID === undefined || b.contractID === null)
        refuse('PARAM', 'Campo obrigatório não informado: contractID')
      if (!this.contracts.includes(String(b.contractID))) refuse('INPUT', `Contrato ${b.contractID} não encontrado`)
      return { units: this.units.map((u) => ({ id: Number(u.id) || u.id, description: u.name })) }
    },
  }

  private create(b: any, s: Session): object {
    if (b.synchronize !== undefined && typeof b.synchronize !== 'boolean')
      refuse('PARAM', 'O atributo synchronize deve ser booleano')
    const src = b.sourceRequest
    if (!src || typeof src !== 'object') return refuse('PARAM', 'Parâmetro sourceRequest não informado')
    for (const k of Object.keys(src))
      if (!SOURCE_REQUEST_FIELDS.has(k)) refuse('PARAM', `Atributo desconhecido: sourceRequest.${k}`)
    for (const k of ['numberOrigin', 'type', 'description', 'userID'])
      if (!nonEmpty(src[k])) refuse('PARAM', `Campo obrigatório não informado: sourceRequest.${k}`)
    if (src.type !== 'I' && src.type !== 'R')
      refuse('INPUT', `Tipo de solicitação inválido: ${src.type} (use I para incidente ou R para requisição)`)
    for (const k of ['urgency', 'impact'])
      if (src[k] !== undefined && !['H', 'M', 'L'].includes(src[k]))
        refuse('INPUT', `Valor inválido para ${k === 'urgency' ? 'urgência' : 'impacto'}: ${src[k]} (use H, M ou L)`)
    if (src.contact !== undefined) {
      if (typeof src.contact !== 'object' || src.contact === null)
        refuse('PARAM', 'sourceRequest.contact deve ser um objeto')
      for (const k of Object.keys(src.contact))
        if (!CONTACT_FIELDS.has(k)) refuse('PARAM', `Atributo desconhecido: sourceRequest.contact.${k}`)
    }
    if ([...this.tickets.values()].some((t) => t.platform === s.platform && t.numberOrigin === src.numberOrigin)) {
      if (this.duplicateAsException)
        refuse('INTERNAL', javaStackTrace('br.com.citframework.excecao.LogicException', REAL_TEXTS.duplicate))
      refuse('INPUT', REAL_TEXTS.duplicate)
    }

    const code = src.service?.code === undefined ? undefined : String(src.service.code)
    const entry =
      code !== undefined
        ? this.activities[code]
        : Object.entries(this.activities).find(([, a]) => a.name === src.service?.name)?.[1]
    const activityCode = code ?? Object.entries(this.activities).find(([, a]) => a.name === src.service?.name)?.[0]
    if (!src.service || (code === undefined && !src.service.name))
      refuse('INPUT', 'Atividade não informada e não configurada na operação request_create')
    if (!entry || entry.active === false || activityCode === undefined)
      refuse(
        'INPUT',
        `Atividade ${code ?? src.service.name} não encontrada: informe uma atividade ativa e em produção no portfólio`
      )
    const contractID = src.contractID === undefined ? this.defaultContract : String(src.contractID)
    if (!this.contracts.includes(contractID)) refuse('INPUT', `Contrato ${contractID} não encontrado`)

    let requester = this.requesters.get(src.userID)
    if (!requester) {
      if (b.synchronize !== true) refuse('PARAM', REAL_TEXTS.unknownUser)
      // webservices-esp.md: name, phoneNumber and e-mail "(obrigatório)" when the requester is new.
      for (const k of ['name', 'email', 'phoneNumber'])
        if (!nonEmpty(src.contact?.[k]))
          refuse(
            'PARAM',
            `Campo obrigatório não informado: sourceRequest.contact.${k} (obrigatório para criar o solicitante ${src.userID})`
          )
      requester = {
        login: src.userID,
        name: src.contact.name,
        unit: this.unitNamed(src.contact.department),
        group: this.requesterGroup,
        email: src.contact.email,
        phoneNumber: src.contact.phoneNumber,
        createdAt: this.now(),
        createdBy: `synchronize (${s.user})`,
      }
      this.requesters.set(requester.login, requester)
    } else if (b.synchronize === true && src.contact) {
      // "criados ou atualizados": synchronize overwrites an existing person with whatever contact says.
      if (nonEmpty(src.contact.name)) requester.name = src.contact.name
      if (nonEmpty(src.contact.email)) requester.email = src.contact.email
      if (nonEmpty(src.contact.phoneNumber)) requester.phoneNumber = src.contact.phoneNumber
      if (nonEmpty(src.contact.department)) requester.unit = this.unitNamed(src.contact.department)
      requester.updatedBy = `synchronize (${s.user})`
    }

    const now = Date.now()
    const ticket: FakeTicket = {
      number: String(this.nextTicket++),
      numberOrigin: src.numberOrigin,
      platform: s.platform,
      type: src.type,
      description: src.description,
      userID: requester.login,
      contact: { ...(src.contact ?? {}) },
      service: { code: activityCode!, name: entry!.name },
      contractID,
      origin: this.origin,
      urgency: src.urgency,
      impact: src.impact,
      groupId: src.groupId,
      status: { code: 'EmAndamento', name: FAKE_STATUSES.EmAndamento! },
      openedAt: now,
      deadline: now + 8 * 3600_000,
      createdBy: s.user,
      statusHistory: [{ code: 'EmAndamento', by: s.user, at: this.now() }],
      occurrences: [],
      systemOccurrences: [],
      attachments: [],
    }
    this.tickets.set(ticket.number, ticket)
    // SolicitacaoServicoServiceEjb.create: a Criacao follow-up with the contact as JSON, then the SLA start.
    this.addSystemOccurrence(
      ticket,
      'Criacao',
      JSON.stringify({
        nomecontato: requester.name,
        emailcontato: requester.email ?? '',
        telefonecontato: requester.phoneNumber ?? '',
      }),
      s.user
    )
    this.addSystemOccurrence(ticket, 'InicioSLA', FAKE_CATEGORY_NAMES.InicioSLA!, 'Automático')
    return { request: this.ctRequest(ticket) }
  }

  private byUser(b: any): object {
    if (!nonEmpty(b.userID)) refuse('PARAM', 'Campo obrigatório não informado: userID')
    if (!this.requesters.has(b.userID)) refuse('PARAM', REAL_TEXTS.unknownUser)
    const statusCode = b.status?.code
    const list = [...this.tickets.values()].filter(
      (t) => t.userID === b.userID && (!statusCode || t.status.code === statusCode)
    )
    return { amount: list.length, requests: list.map((t) => this.ctRequest(t)) }
  }

  private createOccurrence(b: any, s: Session): object {
    const ticket = this.find(b.requestNumber, b.requestNumberOrigin, s, 'requestNumber')
    const o = b.occurrence
    if (!o || typeof o !== 'object') return refuse('PARAM', 'Parâmetro occurrence não informado')
    for (const k of Object.keys(o))
      if (!OCCURRENCE_FIELDS.has(k)) refuse('PARAM', `Atributo desconhecido: occurrence.${k}`)
    if (!nonEmpty(o.description)) refuse('PARAM', 'Campo obrigatório não informado: occurrence.description')
    if (!nonEmpty(o.category?.code)) refuse('PARAM', 'Campo obrigatório não informado: occurrence.category.code')
    if (!this.categories.includes(o.category.code))
      refuse('INPUT', `Categoria de ocorrência ${o.category.code} não cadastrada`)
    if (o.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(o.date))
      refuse('INPUT', `Data inválida: ${o.date} (use AAAA-MM-DD)`)
    if (o.hour !== undefined && !/^([01]\d|2[0-3]):[0-5]\d$/.test(o.hour))
      refuse('INPUT', `Hora inválida: ${o.hour} (use HH:MM)`)
    const at = new Date()
    const occurrence = this.addOccurrence(ticket, {
      description: o.description,
      userID: s.user,
      category: o.category.code,
      date: o.date ?? tenantTime(at).date,
      hour: o.hour ?? tenantTime(at).hour,
      numberOrigin: o.numberOrigin,
      reason: o.reason,
    })
    return { occurrence: this.ctOccurrence(occurrence) }
  }

  private listOccurrences(b: any, s: Session): object {
    const ticket = this.find(b.requestNumber, b.requestNumberOrigin, s, 'requestNumber')
    const categories: string[] | undefined = Array.isArray(b.categoryList)
      ? b.categoryList.map((c: any) => c?.code ?? c)
      : undefined
    const all = [...ticket.occurrences, ...ticket.systemOccurrences].sort(
      (a, b) => (this.written.get(a) ?? 0) - (this.written.get(b) ?? 0)
    )
    const logs = all.filter((o) => !categories || categories.includes(o.category.code))
    return { amount: logs.length, logs: logs.map((o) => this.ctOccurrence(o)) }
  }

  private updateStatus(b: any, s: Session): object {
    const ticket = this.find(b.number, b.numberOrigin, s)
    if (!nonEmpty(b.status?.code)) refuse('PARAM', 'Campo obrigatório não informado: status.code')
    const code = b.status.code as string
    if (!FAKE_STATUSES[code])
      refuse('INPUT', `Situação ${code} inválida. Situações válidas: ${Object.keys(FAKE_STATUSES).join(', ')}`)
    if (FINAL_STATUSES.has(ticket.status.code))
      refuse(
        'INPUT',
        `A solicitação ${ticket.number} está ${ticket.status.name.toLowerCase()} e não pode mudar de situação`
      )
    ticket.status = { code, name: FAKE_STATUSES[code]! }
    ticket.statusHistory.push({ code, details: b.status.details, by: s.user, at: this.now() })
    this.addSystemOccurrence(ticket, 'Atualizacao', `Situação alterada para ${FAKE_STATUSES[code]}`, s.user)
    return { request: this.ctRequest(ticket) }
  }

  private addAttachments(b: any, s: Session): object {
    // The 4biz doc: "500 if required fields are missing".
    // The 4biz doc: HTTP 500 "Campos obrigatórios não informados".
    if (!nonEmpty(b.requestNumber))
      refuse(
        'INTERNAL',
        javaStackTrace('java.lang.IllegalArgumentException', 'Campos obrigatórios não informados'),
        500
      )
    if (!Array.isArray(b.attachments) || b.attachments.length === 0)
      refuse(
        'INTERNAL',
        javaStackTrace('java.lang.IllegalArgumentException', 'Campos obrigatórios não informados'),
        500
      )
    const ticket = this.find(b.requestNumber, undefined, s, 'requestNumber')
    const files = b.attachments.map((a: any) => {
      if (!nonEmpty(a?.name) || !nonEmpty(a?.extension) || typeof a?.content !== 'string')
        refuse(
          'INTERNAL',
          javaStackTrace('java.lang.IllegalArgumentException', 'Campos obrigatórios não informados'),
          500
        )
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(a.content) || a.content.length % 4 !== 0)
        refuse('INPUT', `Conteúdo do anexo ${a.name} não está em base64`)
      const extension = String(a.extension).toLowerCase().replace(/^\./, '')
      if (this.forbiddenExtensions.includes(extension))
        refuse('INPUT', `Extensão ${extension} não permitida para anexos (parâmetro 318)`)
      const size = Buffer.from(a.content, 'base64').length
      if (size > this.maxAttachmentBytes)
        refuse('INPUT', `O anexo ${a.name} excede o tamanho máximo permitido (parâmetro 278)`)
      return { name: a.name as string, extension, size, addedBy: s.user, addedAt: this.now() }
    })
    ticket.attachments.push(...files)
    return { dateTimeMilliseconds: Date.now() }
  }

  // ---------------------------------------------------------------- shapes

  private find(number: unknown, numberOrigin: unknown, s: Session, numberField = 'number'): FakeTicket {
    if (nonEmpty(number)) {
      const t = this.tickets.get(String(number))
      return t ?? refuse('INPUT', REAL_TEXTS.ticketNotFound)
    }
    if (nonEmpty(numberOrigin)) {
      const t = [...this.tickets.values()].find((x) => x.platform === s.platform && x.numberOrigin === numberOrigin)
      return t ?? refuse('INPUT', REAL_TEXTS.ticketNotFound)
    }
    return refuse('PARAM', `Campo obrigatório não informado: ${numberField} ou ${numberField}Origin`)
  }

  private addOccurrence(
    ticket: FakeTicket,
    o: {
      description: string
      userID: string
      category: string
      date: string
      hour: string
      numberOrigin?: string
      reason?: string
    }
  ): FakeOccurrence {
    const occurrence: FakeOccurrence = {
      number: String(this.nextOccurrence++),
      numberOrigin: o.numberOrigin,
      description: o.description,
      date: o.date,
      hour: o.hour,
      userID: o.userID,
      category: { code: o.category, name: FAKE_CATEGORY_NAMES[o.category] ?? o.category },
      reason: o.reason,
      createdAt: this.now(),
    }
    ticket.occurrences.push(occurrence)
    this.written.set(occurrence, ++this.writtenCount)
    return occurrence
  }

  /** A follow-up 4biz writes itself (Enumerados.CategoriaOcorrencia), under the login of who caused it. */
  private addSystemOccurrence(
    ticket: FakeTicket,
    category: string,
    description: string,
    userID: string
  ): FakeOccurrence {
    const at = new Date()
    const occurrence: FakeOccurrence = {
      number: String(this.nextSystemOccurrence++),
      description,
      ...tenantTime(at),
      userID,
      category: { code: category, name: FAKE_CATEGORY_NAMES[category] ?? category },
      createdAt: this.now(),
      system: true,
    }
    ticket.systemOccurrences.push(occurrence)
    this.written.set(occurrence, ++this.writtenCount)
    return occurrence
  }

  /** The unit a contact.department names; else DEFAULT_DEPTO_ID's (RestAddServiceRequest's fallback). */
  private unitNamed(department: unknown): string {
    const wanted = typeof department === 'string' ? department.trim() : ''
    return this.units.find((u) => u.name === wanted)?.name ?? this.defaultUnit
  }

  private ctRequest(t: FakeTicket) {
    return {
      number: t.number,
      numberOrigin: t.numberOrigin,
      type: t.type,
      description: t.description,
      startDateTime: this.date(t.openedAt),
      startSLA: this.date(t.openedAt),
      endSLA: this.date(t.deadline),
      deadline: this.date(t.deadline),
      urgency: t.urgency ?? 'M',
      impact: t.impact ?? 'M',
      groupId: t.groupId ?? 'N1',
      userID: t.userID,
      contact: t.contact,
      service: t.service,
      contractID: t.contractID,
      status: t.status,
      currentTask: {
        number: `${t.number}01`,
        name: 'Atender solicitação',
        groupId: t.groupId ?? 'N1',
        status: t.status,
      },
    }
  }

  private ctOccurrence(o: FakeOccurrence) {
    return {
      number: o.number,
      numberOrigin: o.numberOrigin ?? null,
      description: o.description,
      date: o.date,
      hour: o.hour,
      userID: o.userID,
      category: o.category,
      reason: o.reason ?? null,
    }
  }

  private date(ms: number): string | number {
    if (this.dateFormat === 'epoch') return ms
    const iso = new Date(ms).toISOString()
    return this.dateFormat === 'iso' ? iso : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`
  }

  private now() {
    return new Date().toISOString()
  }

  private jwt(user: string, now: number): string {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
    const head = b64({ alg: 'HS512' })
    const body = b64({
      sub: user,
      username: user,
      client_id: 'Botpress',
      locale: 'pt_BR',
      control: randomUUID(),
      issuedAt: now,
      exp: Math.floor((now + this.sessionTtlMs) / 1000),
    })
    const sig = createHmac('sha512', this.jwtKey).update(`${head}.${body}`).digest('base64url')
    return `${head}.${body}.${sig}`
  }
}

const xmlEscape = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

function cookieValue(header: string | string[] | undefined, name: string): string | undefined {
  for (const pair of String(header ?? '').split(';')) {
    const [n, ...v] = pair.trim().split('=')
    if (n === name) return v.join('=')
  }
  return undefined
}

const nonEmpty = (v: unknown): v is string => (typeof v === 'string' && v.trim() !== '') || typeof v === 'number'

/** What Tomcat answers for a path outside the web services (e.g. a wrong context path). */
function notFoundPage(path: string): Reply {
  return {
    status: 404,
    raw: `<!doctype html><html lang="en"><head><title>HTTP Status 404 – Not Found</title></head><body><h1>HTTP Status 404 – Not Found</h1><p>${path}</p></body></html>`,
    headers: { 'content-type': 'text/html;charset=utf-8' },
  }
}

/** A refusal as 4biz answers it: HTTP 412 (or `status`) with its error object, for a test's fault. */
export const fourbizRefusal = (code: string, description: string, status = 412) => ({
  status,
  body: { dateTime: null, operationID: '1', error: { code, description } },
})
