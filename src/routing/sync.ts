import { describeError } from '../errors'
import { isNotFound } from '../errors'
import { Deadline, isPast, OutOfTime, remainingMs } from './deadline'
import { conversationsToSync } from './links'
import { relayInSession, ticketsToCheck } from './relay'
import { partyOf, RoutingProps, withSession } from './session'
import { drain } from './work'

export type SyncResult = {
  conversations: number
  tickets: number
  relayed: number
  statusChanges: number
  pending: number
  complete: boolean
  round: number
  errors: string[]
}

/** Conversations checked at once; each one's work stays in order under its own lease. */
const CONCURRENCY = 4
/** Time kept back at the end of the budget to save the cursor. */
const MARGIN_MS = 1_500
/** A conversation's check is not started with less time than this left. */
const MIN_CHECK_MS = 250

/**
 * The pull side (4biz has no outbound webhooks) and the retry of pending work: every conversation
 * tagged `fourbizSync` (linked, or with messages waiting for 4biz), page by page from a cursor kept in
 * the `syncCursor` state, until the time budget is spent. Across runs every conversation is checked, with
 * 2,000 as with 2; `complete` says a pass over all of them ended in this run. Two runs at once only
 * check some conversations twice, which the relay's idempotency makes harmless.
 */
export async function syncAll(props: RoutingProps, deadline: Deadline): Promise<SyncResult> {
  const { client, ctx } = props
  const key = { type: 'integration' as const, id: ctx.integrationId, name: 'syncCursor' as const }
  const cursor = await client.getState(key).then(
    (r) => r.state.payload,
    (err) => {
      if (isNotFound(err)) return { round: 0, nextToken: undefined, skip: 0 }
      throw err
    }
  )
  const result: SyncResult = {
    conversations: 0,
    tickets: 0,
    relayed: 0,
    statusChanges: 0,
    pending: 0,
    complete: false,
    round: cursor.round,
    errors: [],
  }
  let token = cursor.nextToken
  let skip = cursor.skip ?? 0
  const stopAt: Deadline = { at: deadline.at - MARGIN_MS }
  while (!isPast(stopAt)) {
    const page = await conversationsToSync(props, token)
    const todo = page.conversations.slice(skip)
    // a conversation counts as checked only when its check ended within the budget: the cursor stops
    // at the first one that did not, so nothing is skipped (a few may be checked twice, harmlessly)
    const checked: boolean[] = []
    let next = 0
    const worker = async () => {
      for (let i = next++; i < todo.length && remainingMs(stopAt) > MIN_CHECK_MS; i = next++)
        checked[i] = await checkConversation(props, todo[i]!, stopAt, result)
    }
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, todo.length) }, worker))
    const firstUnchecked = todo.findIndex((_, i) => !checked[i])
    if (firstUnchecked !== -1) {
      skip += firstUnchecked
      break
    }
    skip = 0
    token = page.nextToken
    if (!token) {
      result.complete = true
      result.round++
      break
    }
  }
  await client.setState({ ...key, payload: { nextToken: token, skip, round: result.round } })
  return result
}

/** Checks one conversation; false when the budget ran out before its check ended (it is checked again next run). */
async function checkConversation(
  props: RoutingProps,
  conversation: { id: string; tags: Record<string, string | undefined> },
  deadline: Deadline,
  result: SyncResult
): Promise<boolean> {
  result.conversations++
  try {
    await withSession(
      props,
      partyOf(conversation),
      { work: deadline, lock: { at: Date.now() + Math.min(2_000, remainingMs(deadline)) } },
      async (session) => {
        await drain(session)
        for (const ticketNumber of ticketsToCheck(session)) {
          if (isPast(deadline)) break
          result.tickets++
          const r = await relayInSession(session, ticketNumber)
          result.relayed += r.relayed
          result.statusChanges += r.statusChanges
          if (r.retry) result.errors.push(`${ticketNumber}: Messenger is unavailable, ${r.retry}`)
        }
        result.pending += session.routing.pending.length
      }
    )
    return !isPast(deadline)
  } catch (err) {
    if (err instanceof OutOfTime || isPast(deadline)) return false
    result.errors.push(`${conversation.tags.ticketNumber || conversation.id}: ${describeError(err)}`)
    return true
  }
}
