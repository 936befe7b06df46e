import { downloadAttachments } from '../fourbiz/attachments'
import { numberOrigin, utcDay } from '../fourbiz/number-origin'
import { resolveRequester } from './requester'
import { openTicket } from '../fourbiz/tickets'
import { ACTION_BUDGET_MS, deadlineIn } from '../routing/deadline'
import { watchTicket } from '../routing/relay'
import { partyOf, withSession } from '../routing/session'
import type { RequestContext } from '../routing/context'
import { action } from './wrap'

/**
 * Opens a 4biz ticket for the Botpress user (or the Messenger user of the conversation). Idempotent:
 * the key is `idempotencyKey`, else the requester, activity, title, text and UTC day.
 */
export const createTicket = action('createTicket', async (input, request) => {
  const scope = request.fourbiz()
  const requester = await resolveRequester(request.client, input, 'createTicket')
  const activity = input.activity?.trim() || request.config.defaultActivity
  const integrationId = request.ctx.integrationId
  const key = input.idempotencyKey
    ? numberOrigin(integrationId, 'ticket', 'key', input.idempotencyKey)
    : numberOrigin(
        integrationId,
        'ticket',
        requester.login,
        activity,
        input.title ?? '',
        input.description,
        utcDay(new Date())
      )
  // Downloads first: a bad URL fails the call before anything exists in 4biz.
  const attachments = input.attachmentUrls?.length ? await downloadAttachments(input.attachmentUrls) : undefined
  const { ticket, created } = await openTicket(scope, {
    requester,
    description: input.description,
    title: input.title,
    activity,
    urgency: input.urgency,
    impact: input.impact,
    type: input.type,
    numberOrigin: key,
    attachments,
    conversationId: input.conversationId,
  })
  if (input.conversationId) await followFromConversation(request, input.conversationId, ticket)
  return { ...ticket, created }
})

/**
 * A ticket opened for a Messenger conversation is followed by it: analyst replies and status changes
 * reach the user even though the conversation stays with the bot (src/routing/relay.ts).
 */
async function followFromConversation(
  request: RequestContext,
  conversationId: string,
  ticket: { ticketNumber: string; status?: string }
) {
  const { conversation } = await request.client.getConversation({ id: conversationId })
  if (conversation.channel !== 'messenger' || !conversation.tags.psid) return
  const deadline = deadlineIn(ACTION_BUDGET_MS)
  const limits = { work: deadline, lock: deadline }
  await withSession(request, partyOf(conversation), limits, (session) =>
    Promise.resolve(watchTicket(session, ticket.ticketNumber, ticket.status))
  )
}
