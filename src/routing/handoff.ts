import { RuntimeError } from '@botpress/sdk'
import type * as bp from '../typings'
import { emitEvent } from '../events'
import { addFollowUp, classifyStatus, getTicket, numberOrigin, openTicket } from '../fourbiz'
import { fourbizDateAndHour } from '../fourbiz/dates'
import { requesterOf } from '../fourbiz/requester'
import { ensureUser, messengerConversation } from '../messenger/identity'
import { ACTION_BUDGET_MS, deadlineIn } from './deadline'
import { linkTicket, unlinkTicket } from './links'
import { relayInSession } from './relay'
import { partyOf, RoutingProps, withSession } from './session'
import { LIMITS, remember } from './state'
import { note } from './texts'
import { drain } from './work'
export type HandoffRequest = bp.actionsTypes.Input<'startHandoff'>

type ActionProps = RoutingProps

/**
 * Hands the conversation to 4biz: links the given ticket, or opens one whose description carries the
 * recent transcript. Idempotent, under the conversation's lease: a conversation already handed off keeps
 * its ticket, and a new ticket's numberOrigin comes from the conversation and its previous ticket.
 */
export async function startHandoff(
  props: ActionProps,
  input: HandoffRequest
): Promise<{ ticketNumber: string; created: boolean }> {
  const { client, ctx } = props
  const conversation = await messengerConversation(client, input.conversationId, { action: 'startHandoff' })
  const user = await ensureUser(props, conversation.tags.psid)
  const deadline = deadlineIn(ACTION_BUDGET_MS)
  return withSession(props, partyOf(conversation, user), { work: deadline, lock: deadline }, async (session) => {
    const { routing } = session
    if (routing.ticketNumber) {
      if (input.ticketNumber && input.ticketNumber !== routing.ticketNumber)
        throw new RuntimeError(
          `startHandoff: the conversation is already handed off on ticket ${routing.ticketNumber}; call endHandoff first.`
        )
      return { ticketNumber: routing.ticketNumber, created: false }
    }
    const scope = session.fourbiz()
    const { transcript, lastUserMessageAt } = await transcriptOf(client, conversation.id, user.name ?? 'User')
    if (lastUserMessageAt && lastUserMessageAt > (routing.lastUserMessageAt ?? 0))
      routing.lastUserMessageAt = lastUserMessageAt
    let link: { ticketNumber: string; status?: string }
    let created = false
    if (input.ticketNumber) {
      const ticket = await getTicket(scope, input.ticketNumber)
      const kind = classifyStatus(props.config, { code: ticket.statusCode ?? ticket.status, name: ticket.status })
      // a finished ticket has no analyst to talk to: the flow branches on this error (open a new one)
      if (kind !== 'open')
        throw new RuntimeError(
          `startHandoff: ticket ${ticket.ticketNumber} is ${ticket.status ?? kind} (finished), so no analyst would answer on it. Call startHandoff without ticketNumber to open a new ticket.`
        )
      link = { ticketNumber: ticket.ticketNumber, status: ticket.status }
    } else {
      const summary = input.description?.trim() || note(props.config, 'handoff')
      const opened = await openTicket(scope, {
        requester: requesterOf(user),
        title: input.title,
        activity: input.activity,
        description: transcript ? `${summary}\n\n${transcript}` : summary,
        numberOrigin: numberOrigin(ctx.integrationId, 'ticket', conversation.id, 'handoff', routing.nextTicketKey),
        conversationId: conversation.id,
      })
      link = { ticketNumber: opened.ticket.ticketNumber, status: opened.ticket.status }
      created = opened.created
    }
    linkTicket(session, link)
    await session.checkpoint()
    await emitEvent(
      client,
      'handoffStarted',
      { ticketNumber: link.ticketNumber },
      { conversationId: conversation.id, userId: user.id }
    )
    await drain(session)
    // analyst replies the user has not seen yet (an existing ticket) reach them now
    if (input.ticketNumber) await relayInSession(session, link.ticketNumber)
    return { ticketNumber: link.ticketNumber, created }
  })
}

/** Gives the conversation back to the bot, with a note on the ticket. */
export async function endHandoff(
  props: ActionProps,
  input: bp.actionsTypes.Input<'endHandoff'>
): Promise<{ ticketNumber?: string }> {
  const { client, config } = props
  const conversation = await messengerConversation(client, input.conversationId, { action: 'endHandoff' })
  const deadline = deadlineIn(ACTION_BUDGET_MS)
  return withSession(props, partyOf(conversation), { work: deadline, lock: deadline }, async (session) => {
    const { routing } = session
    const ticketNumber = routing.ticketNumber
    if (!ticketNumber) return {}
    await drain(session)
    const text = input.reason?.trim() ? `${note(config, 'handback')}: ${input.reason.trim()}` : note(config, 'handback')
    const written = await addFollowUp(session.fourbiz(), { ticketNumber, text })
    routing.ownFollowUps = remember(routing.ownFollowUps, written.followUpNumber, LIMITS.ownFollowUps)
    unlinkTicket(session)
    await session.checkpoint()
    const { user } = await client.getOrCreateUser({
      tags: { psid: conversation.tags.psid },
      discriminateByTags: ['psid'],
    })
    await emitEvent(
      client,
      'handoffEnded',
      { ticketNumber, reason: 'endHandoff' },
      { conversationId: conversation.id, userId: user.id }
    )
    return { ticketNumber }
  })
}

const TRANSCRIPT_MESSAGES = 50

/** The conversation so far, oldest first, one line per message, for the analyst; and when the user last wrote. */
async function transcriptOf(client: bp.Client, conversationId: string, userName: string) {
  const { messages } = await client.listMessages({ conversationId })
  // newest first from the API; equal times (a reply in the same millisecond) put the user's message first
  const ordered = [...messages]
    .reverse()
    .sort(
      (a, b) =>
        a.createdAt.localeCompare(b.createdAt) ||
        (a.direction === b.direction ? 0 : a.direction === 'incoming' ? -1 : 1)
    )
  const lastIncoming = [...ordered].reverse().find((m) => m.direction === 'incoming')
  const transcript = ordered
    .slice(-TRANSCRIPT_MESSAGES)
    .map((m) => {
      const said = describePayload(m.type, m.payload)
      // a tapped quick reply or button: what the user saw, then the value the bot got
      const text = m.tags.title && m.tags.title !== said ? `${m.tags.title} (${said})` : said
      // the same clock as every follow-up of the ticket: the tenant's (Brasília)
      return `[${fourbizDateAndHour(new Date(m.createdAt)).hour}] ${m.direction === 'incoming' ? userName : 'Bot'}: ${text}`
    })
    .join('\n')
  return { transcript, lastUserMessageAt: lastIncoming ? Date.parse(lastIncoming.createdAt) : undefined }
}

function describePayload(type: string, payload: Record<string, any>): string {
  if (type === 'bloc' && Array.isArray(payload.items))
    return payload.items.map((i: any) => describePayload(i.type, i.payload ?? {})).join(' | ')
  const options = Array.isArray(payload.options) ? ` [${payload.options.map((o: any) => o.label).join(' / ')}]` : ''
  const items = Array.isArray(payload.items) ? ` [${payload.items.map((i: any) => i.title).join(' / ')}]` : ''
  const main =
    payload.text ?? payload.title ?? payload.imageUrl ?? payload.fileUrl ?? payload.videoUrl ?? payload.audioUrl
  if (type === 'location') return `(location ${payload.latitude},${payload.longitude})`
  return `${main ?? `(${type})`}${options}${items}`
}
