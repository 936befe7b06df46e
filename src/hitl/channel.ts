import type * as bp from '../typings'
import { requestContext } from '../routing/context'
import { ACTION_BUDGET_MS, deadlineIn, WEBHOOK_BUDGET_MS } from '../routing/deadline'
import { partyOf, withSession } from '../routing/session'
import { drain, enqueue } from '../routing/work'
import { loadHitlSession } from '../routing/hitl-state'
import { hitlNote } from '../routing/hitl-texts'
import { toTicketText } from './messages'

type HitlMessageProps = bp.MessageProps['hitl'][keyof bp.MessageProps['hitl']]

/**
 * A message on the `hitl` channel: the HITL plugin relaying what the end user wrote (payload.userId is
 * them), or the bot's own notice (e.g. "the user ended the session"). It becomes a follow-up on the
 * session's ticket, its files attachments, through the same pending-work queue as Messenger messages:
 * queued under the conversation's lease, keyed by the message id (a redelivery is recognised), and put
 * on 4biz in order; 4biz down or slow leaves it pending for the next event or syncTicketUpdates.
 */
async function sendToTicket(props: HitlMessageProps): Promise<void> {
  const { client, conversation, message, type, payload, ack, logger } = props
  const routingProps = requestContext(props)
  const hitl = await loadHitlSession(client, conversation.id)
  // the plugin sends as the bot and names the end user in payload.userId; anything else is the bot's own
  const fromUser = !!payload.userId && (!hitl || payload.userId === hitl.requesterUserId)
  const { text, files } = toTicketText(type, payload as Record<string, any>)
  // 4biz gets a webhook's budget (what is left waits, queued); the lease may be waited for longer, since
  // no Meta deadline applies here and a message not queued would be lost
  const work = deadlineIn(WEBHOOK_BUDGET_MS)
  const lock = deadlineIn(ACTION_BUDGET_MS)
  await withSession(routingProps, partyOf(conversation), { work, lock }, async (session) => {
    if (!session.routing.ticketNumber) {
      logger
        .forBot()
        .warn(`HITL session ${conversation.id} has no linked ticket (it ended): a ${type} message is not put on 4biz.`)
      return
    }
    const at = Date.parse(message.createdAt) || Date.now()
    const queued = enqueue(session, {
      key: message.id,
      at,
      text: fromUser ? text : `${hitlNote(routingProps.config, 'bot')}: ${text}`,
      files,
    })
    if (queued === 'full')
      logger.forBot().error(`HITL session ${conversation.id}: 40 messages already wait for 4biz; this one is not kept.`)
    await drain(session)
  })
  await ack({ tags: {} })
}

export const hitlChannel = {
  messages: {
    text: sendToTicket,
    image: sendToTicket,
    audio: sendToTicket,
    video: sendToTicket,
    file: sendToTicket,
    bloc: sendToTicket,
  },
} satisfies bp.IntegrationProps['channels']['hitl']
