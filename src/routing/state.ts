import { createHash } from 'node:crypto'
import type * as bp from '../typings'
import { isNotFound } from '../errors'

/**
 * The routing state of one Messenger conversation. Read and written only under the conversation's
 * lease (src/routing/lock.ts), so a whole-object write never loses another copy's change.
 */
export type Routing = bp.statesTypes.Payload<'routing'>
export type WorkItem = Routing['pending'][number]

/** Bounds of the lists: enough to recognise Meta's redeliveries and 4biz's repeats. */
export const LIMITS = {
  done: 300,
  relayedFollowUps: 200,
  ownFollowUps: 200,
  seenEvents: 100,
  pending: 40,
  watched: 20,
  stateBytes: 100_000,
} as const

const initialRouting = (): Routing => ({
  nextTicketKey: 'first',
  watched: [],
  pending: [],
  done: [],
  relayedFollowUps: [],
  ownFollowUps: [],
  seenEvents: [],
})

export async function loadRouting(client: bp.Client, conversationId: string): Promise<Routing> {
  try {
    const { state } = await client.getState({ type: 'conversation', id: conversationId, name: 'routing' })
    return { ...initialRouting(), ...(state.payload as Partial<Routing>) }
  } catch (err) {
    if (isNotFound(err)) return initialRouting()
    throw err
  }
}

export async function saveRouting(client: bp.Client, conversationId: string, routing: Routing): Promise<void> {
  await client.setState({ type: 'conversation', id: conversationId, name: 'routing', payload: routing })
}

/**
 * How a Messenger key is remembered in `done` and `seenEvents`: 16 hex digits of its SHA-256, so the
 * lists stay small whatever Meta's ids look like (a mid is about 90 characters).
 */
export const fingerprint = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 16)

/** Whether a key is in a list of fingerprints (or of whole keys, as states written before kept them). */
export const isRemembered = (list: string[], key: string) => list.includes(fingerprint(key)) || list.includes(key)

/** Adds a key to a bounded list (newest last). */
export function remember(list: string[], key: string, keep: number): string[] {
  const next = list.filter((k) => k !== key)
  next.push(key)
  return next.length > keep ? next.slice(next.length - keep) : next
}
