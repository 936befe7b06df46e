/**
 * Folder src/messenger: Meta's side. The Graph API client and its errors, the webhook's events, the
 * Messenger identities in Botpress, inbound messages and their media, rendering and sending Botpress
 * messages, the Page's Messenger profile. Imports the src/ utilities and fourbiz (to download media)
 * only: nothing here knows about tickets, routing or HITL.
 */
import { RuntimeError } from '@botpress/sdk'
import type * as bp from '../typings'
import { resolveConfig } from '../config'
import { type GraphClient, graphClientFor } from './graph-client'
import { GraphError } from './graph-errors'
import { renderMessage } from './render'
import type { MessagingOptions } from './send-api'

/**
 * The one outbound path: render a Botpress message and send its pieces, in order, to a PSID.
 * The channel handlers use it for bot replies (RESPONSE); the routing code uses it for analyst replies
 * with the messaging type its window policy chose.
 */

export type DeliveryReceipt = { messageIds: string[] }

/**
 * Sends a Botpress message (any default type) to a PSID. Throws `GraphError` when Meta refuses a piece
 * (with `partsDelivered`/`partsTotal` set), `RuntimeError` when the payload is invalid.
 */
export async function deliverToPsid(
  graph: GraphClient,
  psid: string,
  message: { type: string; payload: unknown },
  options: MessagingOptions
): Promise<DeliveryReceipt> {
  const pieces = renderMessage(message.type, message.payload)
  const messageIds: string[] = []
  for (const piece of pieces) {
    try {
      messageIds.push((await graph.sendMessage(psid, piece, options)).messageId)
    } catch (error) {
      if (error instanceof GraphError) {
        error.partsDelivered = messageIds.length
        error.partsTotal = pieces.length
      }
      throw error
    }
  }
  return { messageIds }
}

type AnyMessageProps = bp.MessageProps['messenger'][keyof bp.MessageProps['messenger']]

/** A bot reply on the messenger channel: RESPONSE, a final Graph error as a RuntimeError, ack with the last mid. */
export async function sendBotReply(props: AnyMessageProps): Promise<void> {
  const { ctx, conversation, logger, type, payload, ack } = props
  const psid = conversation.tags.psid
  if (!psid)
    throw new RuntimeError(
      `Conversation ${conversation.id} has no "psid" tag, so it is not a Messenger conversation of this integration: create it with getOrCreateConversation.`
    )
  const graph = graphClientFor(resolveConfig(ctx.configuration), { logger })
  let delivery: DeliveryReceipt
  try {
    delivery = await deliverToPsid(graph, psid, { type, payload }, { messagingType: 'RESPONSE' })
  } catch (error) {
    throw error instanceof GraphError ? error.toRuntimeError() : error
  }
  await ack({ tags: { id: delivery.messageIds[delivery.messageIds.length - 1] } })
}
