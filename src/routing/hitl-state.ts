import type * as bp from '../typings'
import { isNotFound } from '../errors'

/**
 * The `hitlSession` state of a HITL conversation: the requester it was opened for and the analyst
 * hitlAssigned named. Written only under the conversation's lease (src/routing/session.ts) or before
 * the conversation is linked (startHitl), like the routing state.
 */
export type HitlSession = bp.statesTypes.Payload<'hitlSession'>

export async function loadHitlSession(client: bp.Client, conversationId: string): Promise<HitlSession | undefined> {
  try {
    return (await client.getState({ type: 'conversation', id: conversationId, name: 'hitlSession' })).state.payload
  } catch (err) {
    if (isNotFound(err)) return undefined
    throw err
  }
}

export async function saveHitlSession(client: bp.Client, conversationId: string, session: HitlSession): Promise<void> {
  await client.setState({ type: 'conversation', id: conversationId, name: 'hitlSession', payload: session })
}
