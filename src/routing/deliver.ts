import type * as bp from '../typings'
import type { Config } from '../config'
import { addFollowUp, FourbizScope } from '../fourbiz'
import { graphClientFor } from '../messenger/graph-client'
import { GraphError } from '../messenger/graph-errors'
import { deliverToPsid } from '../messenger/send'
import { remember, Routing } from './state'
import { undeliveredNote } from './texts'
import { deliveryFor } from './window'

/**
 * Sends a message to the Messenger user of a linked conversation under the window policy. When it
 * cannot be delivered (window, user unavailable, refused by Meta) the ticket gets a note and the bot a
 * `deliveryFailed` event; Meta being down is thrown, so the caller retries later.
 */
export type Recipient = { conversationId: string; psid: string; userId?: string }

export async function deliverToUser(
  scope: FourbizScope,
  to: Recipient,
  routing: Routing,
  message: { type: 'text'; payload: { text: string } },
  opts: { author: 'human' | 'automatic'; ticketNumber?: string }
): Promise<{ delivered: boolean; routing: Routing }> {
  const { config, logger } = scope
  const policy = deliveryFor({ lastUserMessageAt: routing.lastUserMessageAt, now: Date.now(), author: opts.author, humanAgentTag: config.humanAgentTag })
  if (!policy.send) return { delivered: false, routing: await undeliverable(scope, to, routing, opts.ticketNumber, policy.reason, 'window') }
  try {
    const options = policy.messagingType === 'MESSAGE_TAG' ? { messagingType: 'MESSAGE_TAG' as const, tag: policy.tag } : { messagingType: policy.messagingType }
    await deliverToPsid(graphClientFor(config, { logger }), to.psid, message, options)
    return { delivered: true, routing }
  } catch (err) {
    if (err instanceof GraphError && !err.retryable) {
      const reason = err.toRuntimeError().message
      return { delivered: false, routing: await undeliverable(scope, to, routing, opts.ticketNumber, reason, String(err.code ?? err.kind)) }
    }
    throw err
  }
}

async function undeliverable(scope: FourbizScope, to: Recipient, routing: Routing, ticketNumber: string | undefined, reason: string, code: string) {
  const { client, logger, config } = scope
  logger.forBot().warn(`A message for PSID ${to.psid}${ticketNumber ? ` (ticket ${ticketNumber})` : ''} was not delivered: ${reason}`)
  let next = routing
  if (ticketNumber) {
    const note = await addFollowUp(scope, { ticketNumber, text: `${undeliveredNote(config)}: ${reason}` })
    next = { ...routing, ownFollowUps: remember(routing.ownFollowUps, note.followUpNumber) }
  }
  await client.createEvent({
    type: 'deliveryFailed',
    payload: { ticketNumber, reason, code, conversationId: to.conversationId, userId: to.userId },
    conversationId: to.conversationId,
    ...(to.userId ? { userId: to.userId } : {}),
  })
  return next
}
