import type * as bp from './typings'

/** The integration's events (definitions/events.ts and the hitl interface's), by name. */
export type EventType = Extract<keyof bp.TIntegration['events'], string>
/** What an event says besides whose it is: conversationId and userId are added by `emitEvent`. */
export type EventPayload<T extends EventType> = Omit<bp.TIntegration['events'][T], 'conversationId' | 'userId'>
type CreateEvent = Parameters<bp.Client['createEvent']>[0]

/**
 * Emits an event to the bot: the conversation and user it belongs to (those known) go both on the event,
 * so a flow's trigger is scoped to them, and in the payload, where the bot builder reads them.
 */
export async function emitEvent<T extends EventType>(
  client: bp.Client,
  type: T,
  payload: EventPayload<T>,
  of: { conversationId?: string; userId?: string } = {}
): Promise<void> {
  const ids = {
    ...(of.conversationId ? { conversationId: of.conversationId } : {}),
    ...(of.userId ? { userId: of.userId } : {}),
  }
  // tsc needs the cast to see a generic T as one of the events (eslint's checker thinks it needless)
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
  await client.createEvent({ type, payload: { ...payload, ...ids }, ...ids } as CreateEvent)
}
