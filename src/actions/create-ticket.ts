import type * as bp from '../typings'
import { createTicketInput } from '../../definitions/actions'
import { downloadAttachments } from '../fourbiz/attachments'
import { numberOrigin, utcDay } from '../fourbiz/number-origin'
import { resolveRequester } from '../fourbiz/requester'
import { fourbizScope } from '../fourbiz/scope'
import { openTicket } from '../fourbiz/tickets'
import { resolveConfig } from '../config'
import { ACTION_BUDGET_MS, deadlineIn } from '../routing/deadline'
import { watchTicket } from '../routing/relay'
import { partyOf, withSession } from '../routing/session'
import { parseInput } from '../validate'

/**
 * Opens a 4biz ticket for the Botpress user (or the Messenger user of the conversation). Idempotent:
 * the key is `idempotencyKey`, else the requester, activity, title, text and UTC day.
 */
export const createTicket: bp.IntegrationProps['actions']['createTicket'] = async (props) => {
  const input = parseInput(createTicketInput, props.input, 'createTicket')
  const scope = fourbizScope(props)
  const requester = await resolveRequester(props.client, input, 'createTicket')
  const activity = input.activity?.trim() || scope.config.defaultActivity
  const key = input.idempotencyKey
    ? numberOrigin(props.ctx.integrationId, 'ticket', 'key', input.idempotencyKey)
    : numberOrigin(props.ctx.integrationId, 'ticket', requester.login, activity, input.title ?? '', input.description, utcDay(new Date()))
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
  if (input.conversationId) await followFromConversation(props, input.conversationId, ticket)
  return { ...ticket, created }
}

/**
 * A ticket opened for a Messenger conversation is followed by it: analyst replies and status changes
 * reach the user even though the conversation stays with the bot (src/routing/relay.ts).
 */
async function followFromConversation(props: Parameters<bp.IntegrationProps['actions']['createTicket']>[0], conversationId: string, ticket: { ticketNumber: string; status?: string }) {
  const { conversation } = await props.client.getConversation({ id: conversationId })
  if (conversation.channel !== 'messenger' || !conversation.tags.psid) return
  const deadline = deadlineIn(ACTION_BUDGET_MS)
  const routingProps = { ...props, config: resolveConfig(props.ctx.configuration) }
  await withSession(routingProps, partyOf(conversation), { work: deadline, lock: deadline }, (session) => Promise.resolve(watchTicket(session, ticket.ticketNumber, ticket.status)))
}
