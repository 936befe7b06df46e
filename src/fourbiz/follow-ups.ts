import { fourbizDateAndHour, toIsoDate } from './dates'
import type { CtOccurrence } from './schemas'
import type { FourbizScope } from './scope'
import { fromFourbizHtml, toFourbizHtml } from './text'

/** A 4biz follow-up ("ocorrência") in the words of the bot and the routing code. */
export type FollowUp = {
  followUpNumber: string
  text: string
  /** Login of who wrote it (the integration's own user for follow-ups it wrote). */
  author?: string
  category?: string
  /** ISO date (and local time, no zone) as 4biz gives it. */
  createdAt?: string
  numberOrigin?: string
}

export function toFollowUp(o: CtOccurrence): FollowUp {
  const category = typeof o.category === 'string' ? o.category : o.category?.name ?? o.category?.code
  const day = toIsoDate(o.date)
  return {
    followUpNumber: o.number,
    text: fromFourbizHtml(o.description ?? ''),
    author: o.userID,
    category: category ?? undefined,
    createdAt: day && o.hour && /^\d{4}-\d{2}-\d{2}$/.test(day) ? `${day}T${o.hour}${o.hour.length === 5 ? ':00' : ''}` : day,
    numberOrigin: o.numberOrigin,
  }
}

/**
 * Adds a follow-up with the configured category, tagged with its `numberOrigin` (idempotency key).
 * With `readBack` (an earlier attempt may have committed: its answer was lost) a follow-up with that key
 * is looked up first and returned instead of adding a second one (4biz does not enforce the key); the
 * common case writes without reading the ticket's history.
 */
export async function addFollowUp(
  scope: FourbizScope,
  args: { ticketNumber: string; text: string; numberOrigin?: string; at?: Date; readBack?: boolean }
): Promise<{ followUpNumber: string; created: boolean }> {
  const { fourbiz, config } = scope
  if (args.numberOrigin && args.readBack) {
    const existing = (await fourbiz.listOccurrences(args.ticketNumber)).find((o) => o.numberOrigin === args.numberOrigin)
    if (existing) return { followUpNumber: existing.number, created: false }
  }
  const occurrence = await fourbiz.createOccurrence(args.ticketNumber, {
    description: toFourbizHtml(args.text),
    ...fourbizDateAndHour(args.at ?? new Date()),
    category: { code: config.followUpCategory },
    ...(args.numberOrigin ? { numberOrigin: args.numberOrigin } : {}),
  })
  return { followUpNumber: occurrence.number, created: true }
}

/** The ticket's follow-ups, oldest first. */
export async function listFollowUps(scope: FourbizScope, ticketNumber: string): Promise<FollowUp[]> {
  const occurrences = await scope.fourbiz.listOccurrences(ticketNumber)
  const byNumber = (a: CtOccurrence, b: CtOccurrence) => (/^\d+$/.test(a.number) && /^\d+$/.test(b.number) ? Number(a.number) - Number(b.number) : 0)
  return [...occurrences].sort(byNumber).map(toFollowUp)
}

/** Written by the integration itself (its 4biz user), so never relayed back to Messenger. */
export const isOwnFollowUp = (scope: Pick<FourbizScope, 'config'>, f: FollowUp) =>
  !!f.author && f.author.toLowerCase() === scope.config.fourbizUser.toLowerCase()
