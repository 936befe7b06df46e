import type { DeskStatuses, FourbizDesk } from '../fourbiz/desk'
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
