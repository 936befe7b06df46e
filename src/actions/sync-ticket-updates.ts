import { describeError } from '../errors'
import { ACTION_BUDGET_MS, deadlineIn } from '../routing/deadline'
import { relayTicketUpdates } from '../routing/relay'
import { syncAll } from '../routing/sync'
import { action } from './wrap'

/**
 * The pull side of analyst replies (4biz has no outbound webhooks) and the retry of messages that
 * waited for 4biz: one ticket, or every linked conversation within the time budget (src/routing/sync.ts).
 */
export const syncTicketUpdates = action('syncTicketUpdates', async (input, request) => {
  const deadline = deadlineIn(ACTION_BUDGET_MS)
  if (!input.ticketNumber) {
    const result = await syncAll(request, deadline)
    if (result.errors.length) request.logger.forBot().warn(`syncTicketUpdates: ${result.errors.join('; ')}`)
    return result
  }
  const ticketNumber = input.ticketNumber.trim()
  const result = {
    conversations: 0,
    tickets: 0,
    relayed: 0,
    statusChanges: 0,
    pending: 0,
    complete: true,
    round: 0,
    errors: [] as string[],
  }
  try {
    const r = await relayTicketUpdates(request, ticketNumber, {}, deadline)
    if (r.linked)
      Object.assign(result, {
        conversations: 1,
        tickets: 1,
        relayed: r.relayed,
        statusChanges: r.statusChanges,
        pending: r.pending,
      })
    if (r.retry) result.errors.push(`${ticketNumber}: Messenger is unavailable, ${r.retry}`)
    if (!r.linked) result.errors.push(`${ticketNumber}: not linked to a Messenger conversation`)
  } catch (err) {
    result.errors.push(`${ticketNumber}: ${describeError(err)}`)
  }
  if (result.errors.length) request.logger.forBot().warn(`syncTicketUpdates: ${result.errors.join('; ')}`)
  return result
})
