import { RuntimeError } from '@botpress/sdk'
import type * as bp from '../typings'
import { addFollowUp, FourbizScope, getTicket, listFollowUps, numberOrigin, openTicket } from '../fourbiz'
import { requesterOf } from '../fourbiz/requester'
import { ensureUser, messengerConversation } from '../messenger/identity'
import { linkTicket, unlinkTicket } from './links'
import { loadRouting, remember, saveRouting } from './state'
import { note } from './texts'

export type HandoffRequest = bp.actionsTypes.Input<'startHandoff'>

/**
 * Hands the conversation to 4biz: links the given ticket, or opens one whose description carries the
 * recent transcript. Idempotent: a conversation already handed off keeps its ticket, and the new
 * ticket's numberOrigin comes from the conversation and its episode.
 */
export async function startHandoff(scope: FourbizScope, input: HandoffRequest): Promise<{ ticketNumber: string; created: boolean }> {
  const { client, ctx } = scope
  const conversation = await messengerConversation(client, input.conversationId, { action: 'startHandoff' })
  const user = await ensureUser(scope, conversation.tags.psid)
  const routing = await loadRouting(client, conversation.id)
  if (routing.ticketNumber) {
    if (input.ticketNumber && input.ticketNumber !== routing.ticketNumber)
      throw new RuntimeError(`startHandoff: the conversation is already handed off on ticket ${routing.ticketNumber}; call endHandoff first.`)
    return { ticketNumber: routing.ticketNumber, created: false }
  }

  let ticketNumber: string
  let status: string | undefined
  let knownFollowUps: string[] = []
  let created = false
  if (input.ticketNumber) {
    const ticket = await getTicket(scope, input.ticketNumber)
    ticketNumber = ticket.ticketNumber
    status = ticket.status
    knownFollowUps = (await listFollowUps(scope, ticketNumber)).map((f) => f.followUpNumber)
  } else {
    const transcript = await transcriptOf(client, conversation.id, user.name ?? 'User')
    const summary = input.description?.trim() || note(scope.config, 'handoff')
    const opened = await openTicket(scope, {
      requester: requesterOf(user),
      title: input.title,
      activity: input.activity,
      description: transcript ? `${summary}\n\n${transcript}` : summary,
      numberOrigin: numberOrigin(ctx.integrationId, 'ticket', conversation.id, 'handoff', String(routing.episode)),
      conversationId: conversation.id,
    })
    ;({ ticketNumber, status } = opened.ticket)
    created = opened.created
  }
  await linkTicket(scope, conversation.id, routing, { ticketNumber, status, knownFollowUps })
  await client.createEvent({
    type: 'handoffStarted',
    payload: { ticketNumber, conversationId: conversation.id, userId: user.id },
    conversationId: conversation.id,
    userId: user.id,
  })
  return { ticketNumber, created }
}

/** Gives the conversation back to the bot, with a note on the ticket. */
export async function endHandoff(scope: FourbizScope, input: bp.actionsTypes.Input<'endHandoff'>): Promise<{ ticketNumber?: string }> {
  const { client, config } = scope
  const conversation = await messengerConversation(client, input.conversationId, { action: 'endHandoff' })
  const routing = await loadRouting(client, conversation.id)
  const ticketNumber = routing.ticketNumber
  if (!ticketNumber) return {}
  const written = await addFollowUp(scope, { ticketNumber, text: input.reason?.trim() ? `${note(config, 'handback')}: ${input.reason.trim()}` : note(config, 'handback') })
  const noted = { ...routing, ownFollowUps: remember(routing.ownFollowUps, written.followUpNumber) }
  await saveRouting(client, conversation.id, noted)
  await unlinkTicket(scope, conversation.id, noted)
  const { user } = await client.getOrCreateUser({ tags: { psid: conversation.tags.psid }, discriminateByTags: ['psid'] })
  await client.createEvent({
    type: 'handoffEnded',
    payload: { ticketNumber, reason: 'endHandoff', conversationId: conversation.id, userId: user.id },
    conversationId: conversation.id,
    userId: user.id,
  })
  return { ticketNumber }
}

const TRANSCRIPT_MESSAGES = 50

/** The conversation so far, oldest first, one line per message, for the analyst. */
export async function transcriptOf(client: bp.Client, conversationId: string, userName: string): Promise<string> {
  const { messages } = await client.listMessages({ conversationId })
  return [...messages]
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .slice(-TRANSCRIPT_MESSAGES)
    .map((m) => {
      const said = describePayload(m.type, m.payload)
      // a tapped quick reply or button: what the user saw, then the value the bot got
      const text = m.tags.title && m.tags.title !== said ? `${m.tags.title} (${said})` : said
      return `[${m.createdAt.slice(11, 16)}] ${m.direction === 'incoming' ? userName : 'Bot'}: ${text}`
    })
    .join('\n')
}

function describePayload(type: string, payload: Record<string, any>): string {
  if (type === 'bloc' && Array.isArray(payload.items)) return payload.items.map((i: any) => describePayload(i.type, i.payload ?? {})).join(' | ')
  const options = Array.isArray(payload.options) ? ` [${payload.options.map((o: any) => o.label).join(' / ')}]` : ''
  const items = Array.isArray(payload.items) ? ` [${payload.items.map((i: any) => i.title).join(' / ')}]` : ''
  const main = payload.text ?? payload.title ?? payload.imageUrl ?? payload.fileUrl ?? payload.videoUrl ?? payload.audioUrl
  if (type === 'location') return `(location ${payload.latitude},${payload.longitude})`
  return `${main ?? `(${type})`}${options}${items}`
}
