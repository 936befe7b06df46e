import { env } from '../env'

/**
 * A time budget for one invocation. Meta allows a webhook 5 s before it counts a delivery as failed
 * and redelivers (then unsubscribes the Page after an hour of failures); Botpress kills an invocation
 * at 60 s. Work that does not fit is left as pending work (src/routing/work.ts), never dropped.
 */
export type Deadline = { readonly at: number }
/** A call's budgets: for the work (4biz, Graph) and for waiting for a conversation's lease. */
export type Deadlines = { work: Deadline; lock: Deadline }

/** The webhook's budget for 4biz and Graph work: the rest of Meta's 5 s goes to Botpress writes. */
export const WEBHOOK_BUDGET_MS = env.webhookBudgetMs()
/** An action's budget, well under Botpress's 60-second invocation limit. */
export const ACTION_BUDGET_MS = env.actionBudgetMs()

export const deadlineIn = (ms: number): Deadline => ({ at: Date.now() + ms })
export const remainingMs = (d: Deadline) => Math.max(0, d.at - Date.now())
export const isPast = (d: Deadline) => Date.now() >= d.at

/** Thrown when a call did not answer within the budget: its effect is unknown (it may still commit). */
export class OutOfTime extends Error {
  readonly outage = true
  constructor(what: string) {
    super(`${what} did not answer in time; the work is kept and finished later`)
  }
}

/**
 * Waits for `work` until the deadline. The call itself may go on and commit later, which is why a
 * caller that gets OutOfTime must treat the effect as unknown and read back before repeating it.
 */
export async function beforeDeadline<T>(deadline: Deadline, what: string, work: Promise<T>): Promise<T> {
  const left = remainingMs(deadline)
  if (left <= 0) {
    work.catch(() => undefined)
    throw new OutOfTime(what)
  }
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new OutOfTime(what)), left)
  })
  try {
    return await Promise.race([work, timeout])
  } finally {
    clearTimeout(timer)
    work.catch(() => undefined)
  }
}
