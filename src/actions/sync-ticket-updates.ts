import type * as bp from '../typings'
import { syncTicketUpdatesInput } from '../../definitions/actions'
import { fourbizScope } from '../fourbiz/scope'
import { listLinkedTickets } from '../routing/links'
import { relayTicketUpdates } from '../routing/relay'
import { parseInput } from '../validate'

/**
 * The pull side of analyst replies (4biz has no outbound webhooks): one ticket, or every linked one.
 * One ticket failing is reported in `errors` and never stops the others.
 */
export const syncTicketUpdates: bp.IntegrationProps['actions']['syncTicketUpdates'] = async (props) => {
  const input = parseInput(syncTicketUpdatesInput, props.input, 'syncTicketUpdates')
  const scope = fourbizScope(props)
  const numbers = input.ticketNumber ? [input.ticketNumber.trim()] : [...new Set((await listLinkedTickets(scope)).map((t) => t.ticketNumber))]
  const result = { tickets: 0, relayed: 0, statusChanges: 0, errors: [] as string[] }
  for (const ticketNumber of numbers) {
    try {
      const r = await relayTicketUpdates(scope, ticketNumber)
      if (!r.linked) {
        if (input.ticketNumber) result.errors.push(`${ticketNumber}: not linked to a Messenger conversation`)
        continue
      }
      result.tickets++
      result.relayed += r.relayed
      result.statusChanges += r.statusChanges
    } catch (err) {
      result.errors.push(`${ticketNumber}: ${(err as Error).message}`)
    }
  }
  if (result.errors.length) props.logger.forBot().warn(`syncTicketUpdates: ${result.errors.join('; ')}`)
  return result
}
