import { DESK_OPERATIONS, type DeskStatuses, type FourbizDesk } from '../fourbiz/desk'
import type { IntegrationCaller } from '../runtime/operations'
import { HttpError } from './http'

/** The 4biz page's API: tickets, analyst replies, status buttons and the push switch. */

const STATUS_BUTTONS: (keyof DeskStatuses)[] = ['resolved', 'closed', 'cancelled']

export function fourbizState(desk: FourbizDesk) {
  return desk.view()
}

export async function fourbizReply(desk: FourbizDesk, body: any) {
  const text = typeof body?.text === 'string' ? body.text.trim() : ''
  if (!text) throw new HttpError(400, 'Write the reply first')
  const author = typeof body?.author === 'string' && body.author.trim() ? body.author.trim() : undefined
  return guard(() => desk.reply(ticketNumber(body), text, author))
}

export async function fourbizStatus(desk: FourbizDesk, body: any) {
  const status = body?.status
  if (!STATUS_BUTTONS.includes(status)) throw new HttpError(400, `status must be one of ${STATUS_BUTTONS.join(', ')}`)
  const author = typeof body?.author === 'string' && body.author.trim() ? body.author.trim() : undefined
  return guard(() => desk.setStatus(ticketNumber(body), status, author))
}

export function fourbizPushMode(desk: FourbizDesk, body: any) {
  desk.setPush(body?.push === true)
  return { push: desk.push }
}

/** The administrator's permission switch for one web-service operation of the integration user. */
export function fourbizPermission(desk: FourbizDesk, body: any) {
  if (!DESK_OPERATIONS.includes(body?.operation))
    throw new HttpError(400, `operation must be one of ${DESK_OPERATIONS.join(', ')}`)
  if (typeof body?.allowed !== 'boolean') throw new HttpError(400, 'allowed must be true or false')
  return { permissions: desk.setPermission(body.operation, body.allowed) }
}

/** Runs the integration's checkFourbizSetup action, as a bot builder would, and keeps its answer for the page. */
export async function fourbizSetupCheck(desk: FourbizDesk, integration: IntegrationCaller) {
  const output = await integration.action('checkFourbizSetup', {})
  return desk.recordSetupCheck(output)
}

function ticketNumber(body: any): string {
  if (typeof body?.ticketNumber !== 'string' || !body.ticketNumber) throw new HttpError(400, 'ticketNumber is required')
  return body.ticketNumber
}

/** The fake throws plain errors for unknown tickets: a 404 for the page, not a crash. */
async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (err) {
    if (err instanceof HttpError) throw err
    throw new HttpError(404, (err as Error).message)
  }
}
