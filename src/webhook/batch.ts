import type { MessengerEvent } from '../messenger/webhook-events'

/** How many senders are handled at once; one sender's events always run in order. */
const SENDER_CONCURRENCY = 8

/**
 * Groups events per sender, orders each group by timestamp (Meta may deliver out of order after a
 * failure), and runs the groups concurrently. A group stops at its first failure so that a
 * redelivery replays the rest in order; other groups go on.
 */
export async function runPerSender(
  events: MessengerEvent[],
  handle: (event: MessengerEvent) => Promise<void>,
  onFailure: (event: MessengerEvent, err: unknown) => 'stop' | 'continue'
): Promise<void> {
  const groups = new Map<string, MessengerEvent[]>()
  for (const event of events) {
    const sender = event.psid ?? event.userRef ?? `page:${event.pageId}`
    const group = groups.get(sender) ?? []
    group.push(event)
    groups.set(sender, group)
  }
  const queue = [...groups.values()].map((g) =>
    g
      .map((e, i) => ({ e, i }))
      .sort((a, b) => a.e.timestamp - b.e.timestamp || a.i - b.i)
      .map((x) => x.e)
  )
  const worker = async () => {
    for (let group = queue.shift(); group; group = queue.shift()) {
      for (const event of group) {
        try {
          await handle(event)
        } catch (err) {
          if (onFailure(event, err) === 'stop') break
        }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(SENDER_CONCURRENCY, queue.length) }, worker))
}

/** Drops repeats of the same event within one body (Meta sometimes repeats a mid in a batch). */
export function uniqueByKey(events: MessengerEvent[]): MessengerEvent[] {
  const seen = new Set<string>()
  return events.filter((e) => (seen.has(e.key) ? false : (seen.add(e.key), true)))
}
