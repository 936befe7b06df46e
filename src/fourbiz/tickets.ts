import { RuntimeError } from '@botpress/sdk'
import type * as bp from '../typings'
import { emitEvent } from '../events'
import { attachFiles, TicketFile } from './attachments'
import type { SourceRequest } from './client'
import { toIsoDate } from './dates'
import { FourbizError, FourbizFailure, isFourbizFailure } from './errors'
import { keepRequesterLogin, Requester, requesterContact } from './requester'
import type { CtRequest } from './schemas'
import type { FourbizScope } from './scope'
import { classifyStatus, sameStatus } from './status'
import { fromFourbizHtml, toFourbizHtml } from './text'

/** The ticket as actions show it (camelCase, from definitions/actions.ts), never 4biz's raw shape. */
export type Ticket = bp.actionsTypes.Output<'getTicket'>

function toTicket(request: CtRequest): Ticket {
  return {
    ticketNumber: request.number,
    numberOrigin: request.numberOrigin,
    description: request.description === undefined ? undefined : fromFourbizHtml(request.description),
    status: request.status?.name ?? request.status?.code,
    statusCode: request.status?.code,
    openedAt: toIsoDate(request.startDateTime),
    deadline: toIsoDate(request.deadline ?? request.endSLA),
    activity: request.service?.code ?? request.service?.name,
    requesterLogin: request.userID,
    group: request.groupId ?? request.currentTask?.groupId,
    type: request.type,
  }
}

const LEVEL = { high: 'H', medium: 'M', low: 'L' } as const
const TYPE = { incident: 'I', request: 'R' } as const

export type OpenTicketRequest = {
  requester: Requester
  /** Plain text; escaped for 4biz's HTML. */
  description: string
  /** Surface A has no title field: it becomes the first line of the description. */
  title?: string
  /** Activity (service) code; default `defaultActivity`. */
  activity?: string
  urgency?: keyof typeof LEVEL
  impact?: keyof typeof LEVEL
  type?: keyof typeof TYPE
  /** The idempotency key (see number-origin.ts). */
  numberOrigin: string
  /** Attached once, by the call that creates the ticket. */
  attachments?: TicketFile[]
  /** Where the ticket comes from, for the ticketCreated event. */
  conversationId?: string
  /** false: the caller emits ticketCreated itself (the routing does, exactly once across copies). */
  announce?: boolean
}

/**
 * Opens a ticket, idempotently: a numberOrigin 4biz already has resolves to that ticket (`created`
 * false). A refusal that could hide a duplicate (whatever its wording) is checked by reading the
 * numberOrigin back. Creates the requester on the way when the integration owns it (see requester.ts),
 * keeps their login on the Botpress user, attaches files, and emits `ticketCreated` only when this call
 * created the ticket.
 */
export async function openTicket(
  scope: FourbizScope,
  req: OpenTicketRequest
): Promise<{ ticket: Ticket; created: boolean }> {
  const { fourbiz, config, client } = scope
  const activity = req.activity?.trim() || config.defaultActivity
  if (!activity)
    throw new RuntimeError('No activity for the ticket: set defaultActivity in the configuration or pass activity.')
  const source: SourceRequest = {
    numberOrigin: req.numberOrigin,
    type: TYPE[req.type ?? 'request'],
    description: toFourbizHtml(req.title?.trim() ? `${req.title.trim()}\n\n${req.description}` : req.description),
    userID: req.requester.login,
    service: { code: activity },
    ...(config.defaultContract ? { contractID: config.defaultContract } : {}),
    ...(req.urgency ? { urgency: LEVEL[req.urgency] } : {}),
    ...(req.impact ? { impact: LEVEL[req.impact] } : {}),
  }

  let request: CtRequest
  let created = true
  try {
    request = await createFor(scope, source, req.requester)
  } catch (err) {
    if (!couldBeDuplicate(err)) throw err
    const existing = await ticketByNumberOrigin(scope, req.numberOrigin)
    if (!existing) throw err
    request = existing
    // A duplicate answering our own retry (the first attempt's answer was lost) means this call created it.
    created = err.repeated
  }
  // Some 4biz versions answer create with the number only.
  if (!request.status && request.startDateTime === undefined)
    request = await fourbiz.getRequest({ number: request.number })

  await keepRequesterLogin(client, req.requester)
  if (created && req.attachments?.length) await attachFiles(fourbiz, request.number, req.attachments)
  if (created && req.announce !== false) {
    scope.logger
      .forBot()
      .info(
        `4biz ticket ${request.number} opened for requester ${req.requester.login} (numberOrigin ${req.numberOrigin}).`
      )
    const created = {
      ticketNumber: request.number,
      numberOrigin: req.numberOrigin,
      requesterLogin: req.requester.login,
    }
    await emitEvent(client, 'ticketCreated', created, {
      conversationId: req.conversationId,
      userId: req.requester.userId,
    })
  }
  return { ticket: { ...toTicket(request), title: req.title?.trim() || undefined }, created }
}

/**
 * request/create for this requester. A person 4biz already knows (the login is on the Botpress user)
 * gets no synchronize and no contact, so 4biz never overwrites them; a new one is created with the
 * contact data. If 4biz lost a login the integration derived, the person is created again.
 */
async function createFor(scope: FourbizScope, source: SourceRequest, requester: Requester): Promise<CtRequest> {
  const create = (synchronize: boolean) =>
    scope.fourbiz.createRequest(
      synchronize ? { ...source, contact: requesterContact(scope.config, requester) } : source,
      { synchronize }
    )
  if (!requester.loginKept) return create(true)
  try {
    return await create(false)
  } catch (err) {
    if (!isFourbizFailure(err, 'unknownRequester')) throw err
    if (!requester.ownLogin)
      throw new RuntimeError(
        `4biz does not know the requester "${requester.login}" that the Botpress user's requesterLogin tag names, and the integration never creates or changes a person it did not create. Fix the tag or create the person in 4biz. (4biz ${err.fourbizCode}: ${err.fourbizDescription})`
      )
    return create(true)
  }
}

/** Refusals that cannot be a duplicate numberOrigin: 4biz did not look at the ticket data at all. */
const NOT_ABOUT_THE_DATA = new Set<FourbizFailure>([
  'unavailable',
  'notFourbiz',
  'credentials',
  'sessionLost',
  'permission',
  'operationMissing',
  'unknownRequester',
])

/** Any other refusal of a create may be a duplicate in words this integration does not know: read back to know. */
const couldBeDuplicate = (err: unknown): err is FourbizError =>
  err instanceof FourbizError && !NOT_ABOUT_THE_DATA.has(err.failure)

/** The ticket with this numberOrigin, or undefined when 4biz has none. */
async function ticketByNumberOrigin(scope: FourbizScope, numberOrigin: string): Promise<CtRequest | undefined> {
  try {
    return await scope.fourbiz.getRequest({ numberOrigin })
  } catch (err) {
    if (isFourbizFailure(err, 'unknownTicket')) return undefined
    // A read-back that 4biz answers in an unreadable way proves nothing: the create's own refusal stands.
    if (err instanceof FourbizError && err.failure !== 'unavailable' && err.failure !== 'sessionLost') return undefined
    throw err
  }
}

export async function getTicket(scope: FourbizScope, ticketNumber: string): Promise<Ticket> {
  return toTicket(await scope.fourbiz.getRequest({ number: ticketNumber }))
}

/** A requester's tickets, newest first; optionally only those with a status (code or name, any spelling). */
export async function listRequesterTickets(
  scope: FourbizScope,
  requesterLogin: string,
  status?: string
): Promise<Ticket[]> {
  let requests: CtRequest[]
  try {
    requests = await scope.fourbiz.getRequestsByUser(requesterLogin)
  } catch (err) {
    // A Messenger user without tickets is not a 4biz requester yet.
    if (isFourbizFailure(err, 'unknownRequester')) return []
    throw err
  }
  const wanted = status?.trim()
  return requests
    .filter((r) => !wanted || [r.status?.code, r.status?.name].some((s) => s !== undefined && sameStatus(s, wanted)))
    .sort((a, b) => compareNumbers(b.number, a.number))
    .map(toTicket)
}

const compareNumbers = (a: string, b: string) =>
  /^\d+$/.test(a) && /^\d+$/.test(b) ? Number(a) - Number(b) : a.localeCompare(b)

/** Cancels with the configured status code and the reason; cancelling a cancelled ticket is a no-op. */
export async function cancelTicket(scope: FourbizScope, ticketNumber: string, reason: string): Promise<Ticket> {
  const { fourbiz, config } = scope
  const current = await fourbiz.getRequest({ number: ticketNumber })
  if (classifyStatus(config, current.status ?? undefined) === 'cancelled') return toTicket(current)
  const updated = await fourbiz.updateStatus(ticketNumber, {
    code: config.statusCancelled,
    details: toFourbizHtml(reason),
  })
  return toTicket(updated ?? (await fourbiz.getRequest({ number: ticketNumber })))
}
