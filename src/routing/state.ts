import type * as bp from '../typings'
import { isNotFound } from '../errors'

export type Routing = bp.statesTypes.Payload<'routing'>

/** Ids kept per list: enough to recognise Meta's redeliveries and 4biz's repeats. */
const KEEP = 200

export const initialRouting = (): Routing => ({
  mode: 'bot',
  episode: 0,
  relayedFollowUps: [],
  ownFollowUps: [],
  forwardedMids: [],
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

/** Adds a key to a bounded list (newest last). */
export function remember(list: string[], key: string): string[] {
  const next = list.filter((k) => k !== key)
  next.push(key)
  return next.length > KEEP ? next.slice(next.length - KEEP) : next
}
