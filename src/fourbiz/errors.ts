import { RuntimeError } from '@botpress/sdk'

/**
 * 4biz failures as RuntimeErrors a bot builder can act on. The message says what went wrong, what to
 * fix, and quotes 4biz's own code and (Portuguese) description. `code` stays the HTTP code the SDK
 * answers with (400); 4biz's code is `fourbizCode`.
 */

/** The web-service operations of surface A, as they appear in the URL (`/services/<operation>`). */
export type FourbizOperation =
  | 'login'
  | 'request/create'
  | 'request/getById'
  | 'request/getByUser'
  | 'request/createOccurrence'
  | 'request/listOccurrences'
  | 'request/updateStatus'
  | 'request/addAttachments'
  // Read-only lookups of the mobile API (4biz's docs:
  // https://github.com/run2bizdocs/developers/blob/955ebb3075784cb78eb45fab0d940b695e6449fd/pt-br/docs/api/apis.md),
  // used by the setup check only.
  | 'v2/contracts'
  | 'v2/units'

/** What the failure means, so callers can branch without parsing Portuguese. */
export type FourbizFailure =
  | 'unavailable' // network error, timeout, HTTP 5xx: 4biz did not answer; repeating later may work
  | 'notFourbiz' // the URL answered, but not like the 4biz web services (wrong URL or context path)
  | 'credentials' // login refused
  | 'sessionLost' // the session was refused again right after a new login
  | 'permission' // the user's groups are not linked to the web-service operation
  | 'operationMissing' // the web-service operation is not registered (scripts not loaded)
  | 'duplicateNumberOrigin'
  | 'unknownActivity'
  | 'unknownContract'
  | 'unknownTicket'
  | 'unknownRequester'
  | 'unknownStatus'
  | 'unknownCategory'
  | 'missingField' // PARAM
  | 'invalidInput' // INPUT not recognised above
  | 'internal' // INTERNAL
  | 'unexpectedAnswer' // 4biz answered something this integration cannot read

/** What the caller knew when it called 4biz: used to name the setting to fix. */
export type FourbizHints = {
  user?: string
  activity?: string
  contract?: string
  ticketNumber?: string
  requesterLogin?: string
  status?: string
  category?: string
}

const PERMISSION_NAME: Record<FourbizOperation, string> = {
  login: 'login',
  'request/create': 'request_create',
  'request/getById': 'request_getById',
  'request/getByUser': 'request_getByUser',
  'request/createOccurrence': 'request_createOccurrence',
  'request/listOccurrences': 'request_listOccurrences',
  'request/updateStatus': 'request_updateStatus',
  'request/addAttachments': 'request_addAttachments',
  'v2/contracts': 'v2/contracts',
  'v2/units': 'v2/units',
}

/** The name 4biz gives the operation in Sistema > Web Service > Operação de Web Service. */
export const webServiceOperationName = (operation: FourbizOperation) => PERMISSION_NAME[operation]

const DOING: Record<FourbizOperation, string> = {
  login: 'logging in',
  'request/create': 'creating the ticket',
  'request/getById': 'reading the ticket',
  'request/getByUser': "listing the requester's tickets",
  'request/createOccurrence': 'adding the follow-up',
  'request/listOccurrences': 'reading the follow-ups',
  'request/updateStatus': 'changing the ticket status',
  'request/addAttachments': 'attaching files',
  'v2/contracts': 'listing the contracts',
  'v2/units': 'listing the units',
}

export class FourbizError extends RuntimeError {
  /** 4biz's error code (SESSION, PARAM, INPUT, INTERNAL, PERMISSION), or UNAVAILABLE / UNEXPECTED. */
  readonly fourbizCode: string
  /** 4biz's description, secrets removed (`description` is taken by RuntimeError). */
  readonly fourbizDescription: string
  readonly operation: FourbizOperation
  readonly failure: FourbizFailure
  /** True when 4biz could not be reached or failed (5xx, timeout): the routing code asks Meta to redeliver. */
  readonly outage: boolean
  readonly httpStatus: number | undefined
  /** The answer came after the same request had been sent again (a retried network failure or 5xx). */
  readonly repeated: boolean

  constructor(args: {
    message: string
    fourbizCode: string
    description: string
    operation: FourbizOperation
    failure: FourbizFailure
    httpStatus?: number
    repeated?: boolean
  }) {
    super(args.message, undefined, undefined, {
      fourbizCode: args.fourbizCode,
      fourbizDescription: args.description,
      operation: args.operation,
    })
    this.fourbizCode = args.fourbizCode
    this.fourbizDescription = args.description
    this.operation = args.operation
    this.failure = args.failure
    this.outage = args.failure === 'unavailable'
    this.httpStatus = args.httpStatus
    this.repeated = args.repeated ?? false
  }
}

export const isFourbizFailure = (err: unknown, failure: FourbizFailure): err is FourbizError =>
  err instanceof FourbizError && err.failure === failure

/** Lower case without accents, so Portuguese descriptions match whatever the tenant's spelling. */
export const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()

/**
 * The readable part of a 4biz description. An INTERNAL error carries a whole Java stack trace
 * (CITSmart's RestUtil.stackToString: "------\n<exception>: <message>\n\tat …------"): keep the
 * exception's own message, drop the frames and the class names, and cut what is left short.
 */
export function refusalExcerpt(description: string, max = 200): string {
  const lines = description
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^-{3,}$/.test(l) && !/^at [\w$.<>]+\(.*\)$/.test(l) && !/^\.\.\. \d+ more$/.test(l))
  const stack =
    lines.length !==
    description
      .trim()
      .split(/\r?\n/)
      .filter((l) => l.trim()).length
  // "Caused by: x.y.LogicException: texto" → "texto"; "java.lang.Exception: a.b.C: texto" → "texto".
  const text = lines
    .map((l) => l.replace(/^Caused by:\s*/, ''))
    .map((l) => (stack || /^([a-z_$][\w$]*\.)+[A-Z][\w$]*(Exception|Error)\b/.test(l) ? stripExceptionNames(l) : l))
    .filter((l, i, all) => l && all.indexOf(l) === i)
    .slice(0, stack ? 2 : lines.length)
    .join(' — ')
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text
}

function stripExceptionNames(line: string): string {
  let l = line
  for (;;) {
    const m = l.match(/^([a-z_$][\w$]*\.)+[A-Z][\w$]*(Exception|Error|Throwable)(:\s*|$)/)
    if (!m) return l.trim() || line.trim()
    const rest = l.slice(m[0].length)
    if (!rest.trim()) return m[0].replace(/:\s*$/, '')
    l = rest
  }
}

/**
 * What a refusal means, read from the (folded) text. Each rule names the real texts it covers: the
 * CITSmart server source (Rocamdf/citsmart, citsmart/rest/**) and the 4biz docs. Order matters: a
 * specific meaning wins over the words it contains ("Solicitação de serviço já cadastrada" mentions
 * "serviço" but is a duplicate, not an activity).
 */
const MEANINGS: [FourbizFailure, RegExp][] = [
  // RestOperationUtil.execute: PARAM "Usuário não tem acesso à operação"; RestAddServiceRequest:
  // PERMISSION "Execução da operação não é permitida para o usuário"; webmvc 401 "user without access".
  [
    'permission',
    /nao tem (acesso|permissao)|sem (acesso|permissao)|nao e permitida para o usuario|not allowed|access denied|no permission|without access/,
  ],
  // RestOperationUtil.execute: PARAM "Operação não cadastrada".
  ['operationMissing', /operacao nao (cadastrada|registrada|encontrada)|operation not (registered|found)/],
  // RestAddServiceRequest: INPUT "Solicitação de serviço já
  // cadastrada no CITSmart"; 4biz doc: "numberOrigin já enviado".
  [
    'duplicateNumberOrigin',
    /\bja (foi )?(cadastrad|existe|registrad|enviad|inserid)|duplicad|duplicate|already (exists|registered|sent)/,
  ],
  // RestMobile: INPUT "Solicitacação de serviço não encontrada" (typo in the source); webmvc 404 "Ticket not found".
  [
    'unknownTicket',
    /(solicita\w*( de servico)?|ticket|chamado|requisicao|incidente|request)( \S+)?( com numberorigin \S+)? nao (foi )?(encontrad|localizad|existe)|(ticket|request) (was )?not found|no such (ticket|request)/,
  ],
  // RestAddServiceRequest / RestMobile: PARAM "Dados do usuário não cadastrados".
  [
    'unknownRequester',
    /dados do usuario nao cadastrad|(usuario|solicitante|colaborador|empregado)( \S+)? nao (foi )?(cadastrad|encontrad|localizad|existe)|(user|requester) (\S+ )?(not found|does not exist|unknown)/,
  ],
  // The fake's and 4biz's "Campo obrigatório não informado: x", Jackson's "Unrecognized field".
  ['missingField', /obrigatori|required|desconhecid|unrecognized field/],
  // RestAddServiceRequest: PARAM "Serviço não associado ao contrato" (the activity is not offered by the contract).
  ['unknownActivity', /servico nao (associado|parametrizado|informado|encontrad)|atividade|activity|service not/],
  ['unknownContract', /contrato|contract/],
  ['unknownCategory', /categoria|category/],
  ['unknownStatus', /situacao|\bstatus\b/],
]

/**
 * Reads what a 4biz refusal means. 4biz codes are coarse (a missing permission comes as PERMISSION on
 * some versions and as PARAM on CITSmart's; an unknown user as PARAM), so the meaning of the text
 * decides, and the code only when the text says nothing known.
 */
export function classifyRefusal(operation: FourbizOperation, code: string, description: string): FourbizFailure {
  const d = fold(refusalExcerpt(description, 1000))
  const c = code.toUpperCase()
  if (c === 'PERMISSION') return 'permission'
  if (c === 'SESSION') return operation === 'login' ? 'credentials' : 'sessionLost'
  for (const [failure, pattern] of MEANINGS) if (pattern.test(d)) return failure
  if (c === 'INTERNAL') return 'internal'
  if (c === 'PARAM') return 'missingField'
  return 'invalidInput'
}

const quote = (code: string, description: string) => `(4biz ${code}: ${description || 'no description'})`

/** The sentence a bot builder reads: what happened, what to fix, then 4biz's own words. */
export function explain(
  operation: FourbizOperation,
  failure: FourbizFailure,
  code: string,
  description: string,
  hints: FourbizHints
): string {
  const user = hints.user ? `"${hints.user}"` : 'configured in fourbizUser'
  const op = webServiceOperationName(operation)
  const doing = DOING[operation]
  const q = quote(code, description)
  switch (failure) {
    case 'unavailable':
      return `4biz is unavailable while ${doing}: ${description}. Try again later (repeating createTicket, or addTicketComment with an idempotencyKey, never duplicates). If it persists, check fourbizUrl and that 4biz is up.`
    case 'notFourbiz':
      return `The 4biz URL did not answer like the 4biz web services while ${doing}: ${description}. Check fourbizUrl: it must be the 4biz address including the context path, e.g. https://empresa.4biz.one/4biz (CITSmart: .../citsmart).`
    case 'credentials':
      return `4biz refused the login of user ${user}. Check fourbizUser and fourbizPassword (directory users log in as DOMINIO\\login) and that the user is active in 4biz. ${q}`
    case 'sessionLost':
      return `4biz refused the session again right after a new login while ${doing}. Check that user ${user} is active and allowed to use the web services, and that fourbizPlatform is accepted by this tenant. ${q}`
    case 'permission':
      return `4biz user ${user} has no permission for the web-service operation ${op} (needed for ${doing}). In 4biz, link a group of this user to the operation: Sistema > Web Service > Operação de Web Service > ${op} > Adicionar Grupo. ${q}`
    case 'operationMissing':
      return `The web-service operation ${op} is not registered in this 4biz. Ask the 4biz administrator to load the web-service scripts (Sistema > Banco de Dados > Scripts > Carga de Scripts Webservice) and link the operation to a group of user ${user}. ${q}`
    case 'duplicateNumberOrigin':
      return `4biz says a ticket with the same origin number was already sent, but it could not be read back. Check that fourbizPlatform did not change since the ticket was created. ${q}`
    case 'unknownActivity':
      return `4biz does not accept the activity ${hints.activity ? `"${hints.activity}"` : ''} while ${doing}. Check defaultActivity (or the activity input): it must be the code of an activity that is active and in production in the 4biz portfolio, and the contract must offer it. ${q}`
    case 'unknownContract':
      return `4biz does not accept the contract ${hints.contract ? `"${hints.contract}"` : ''} while ${doing}. Check defaultContract (leave it empty to use 4biz parameter 118). ${q}`
    case 'unknownTicket':
      return `4biz has no ticket ${hints.ticketNumber ? `"${hints.ticketNumber}"` : 'with that number'} (${doing}). Check the ticket number. ${q}`
    case 'unknownRequester':
      return `4biz does not know the requester ${hints.requesterLogin ? `"${hints.requesterLogin}"` : ''} while ${doing}. Requesters are created with their first ticket; check the login. ${q}`
    case 'unknownStatus':
      return `4biz does not accept the status ${hints.status ? `"${hints.status}"` : ''} while ${doing}. Set statusCancelled / statusResolved / statusClosed to the status codes of this 4biz tenant (Portuguese tenants: Cancelada, Resolvida, Fechada). ${q}`
    case 'unknownCategory':
      return `4biz does not accept the follow-up category ${hints.category ? `"${hints.category}"` : ''}. Set followUpCategory to a follow-up category of this 4biz tenant (Portuguese tenants: Acompanhamento). ${q}`
    case 'missingField':
      return `4biz refused ${doing} because a field is missing or malformed; the 4biz description names it. If it is a field this integration cannot set, ask the 4biz administrator to give it a default on the web-service operation ${op}. ${q}`
    case 'invalidInput':
      return `4biz refused the data sent while ${doing} (web-service operation ${op}). ${q}`
    case 'internal':
      return `4biz had an internal error while ${doing} (web-service operation ${op}). Try again later; if it persists, ask the 4biz administrator to check the 4biz log for the web-service operation ${op}. ${q}`
    case 'unexpectedAnswer':
      return `4biz answered ${doing} in a way this integration cannot read: ${description}. Check fourbizUrl and the 4biz version.`
  }
}
