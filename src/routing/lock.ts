import { randomUUID } from 'node:crypto'
import type * as bp from '../typings'
import { isNotFound, LeftWithMeta } from '../errors'
import { Deadline, isPast } from './deadline'

/**
 * One conversation's work runs under a lease, so that copies of the integration handling neighbouring
 * events or redeliveries of the same conversation never interleave a read and a write of its routing
 * state. The lease is taken with getOrSetState, Botpress's atomic get-or-create: of two copies asking
 * at once exactly one gets its own owner id back. It lapses on its own (the state's expiry), so a copy
 * that dies holding it blocks the conversation for at most LEASE_MS; meanwhile Meta's deliveries for it
 * answer 503 and are redelivered.
 */
const LEASE_MS = 20_000
const POLL_MS = 60

type LockProps = { client: bp.Client }

export async function withConversationLock<T>(
  props: LockProps,
  conversationId: string,
  deadline: Deadline,
  work: () => Promise<T>
): Promise<T> {
  const { client } = props
  const owner = randomUUID()
  const key = { type: 'conversation' as const, id: conversationId, name: 'conversationLock' as const }
  for (;;) {
    const until = Date.now() + LEASE_MS
    const { state } = await client.getOrSetState({ ...key, payload: { owner, until }, expiry: LEASE_MS })
    if (state.payload.owner === owner) break
    // A holder that died is never cleared by hand (two copies clearing at once would both get it): the
    // store expires the lease LEASE_MS after it was taken, and until then the conversation waits.
    if (isPast(deadline))
      throw new LeftWithMeta(`Conversation ${conversationId} is being handled by another copy of the integration`)
    await new Promise((r) => setTimeout(r, POLL_MS + Math.random() * POLL_MS))
  }
  const acquiredAt = Date.now()
  try {
    return await work()
  } finally {
    // past the lease another copy may hold it now: leave it to lapse rather than delete theirs
    if (Date.now() - acquiredAt < LEASE_MS - 1_000) await release(client, key)
  }
}

async function release(client: bp.Client, key: { type: 'conversation'; id: string; name: 'conversationLock' }) {
  try {
    await client.setState({ ...key, payload: null })
  } catch (err) {
    if (!isNotFound(err)) throw err
  }
}
