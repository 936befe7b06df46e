/**
 * Folder src/routing: where a Messenger (or HITL) conversation's messages go, bot or 4biz ticket, under
 * the conversation's lease (./lock.ts) and its routing state (./state.ts); pending work for 4biz, the
 * relay of analyst replies and status changes back to the user, handoff, the 24-hour window. Imports
 * the src/ utilities, fourbiz and messenger; never hitl, actions or webhook (they call it).
 */
import type * as bp from '../typings'
import type { Config } from '../config'
import { FourbizScope, fourbizScope } from '../fourbiz'
import { Deadline } from './deadline'
import { withConversationLock } from './lock'
import { loadRouting, Routing, saveRouting } from './state'

export type RoutingProps = Pick<bp.CommonProps, 'client' | 'ctx' | 'logger'> & { config: Config }

/** Who a conversation is with: the Botpress ids and the Messenger PSID, or (`hitl`) a HITL session of src/hitl. */
export type Party = { conversationId: string; psid: string; userId?: string; hitl?: boolean }

/**
 * One conversation's routing work under its lease: the state is read once, changed in memory, and
 * written back once at the end (with the conversation tags that push, pull and the webhook's fast path
 * read). Only the lease holder writes, so nothing another copy wrote in between can be lost.
 */
export type Session = {
  props: RoutingProps
  party: Party
  routing: Routing
  deadline: Deadline
  /** Why messages for the user could not be delivered in this session (window, user unavailable…). */
  undelivered: string[]
  /** The conversation's newest user message was looked up for the window (src/routing/deliver.ts). */
  windowChecked?: boolean
  /** The 4biz client, built on first use. */
  fourbiz(): FourbizScope
  /** Writes the state now (before an effect that must not be repeated if the copy dies afterwards). */
  checkpoint(): Promise<void>
}

type Tags = Record<string, string | undefined>

/** The party of a Messenger conversation (and its user, when known), with the tags as read. */
export const partyOf = (conversation: { id: string; tags: Tags; channel?: string }, user?: { id: string }) => ({
  conversationId: conversation.id,
  psid: conversation.tags.psid ?? '',
  userId: user?.id,
  tags: conversation.tags,
  hitl: conversation.channel === 'hitl',
})

export async function withSession<T>(
  props: RoutingProps,
  party: Party & { tags: Tags },
  deadlines: { work: Deadline; lock: Deadline },
  work: (session: Session) => Promise<T>
): Promise<T> {
  const { client } = props
  return withConversationLock(props, party.conversationId, deadlines.lock, async () => {
    const loaded = await loadRouting(client, party.conversationId)
    let saved = JSON.stringify(loaded)
    let scope: FourbizScope | undefined
    const session: Session = {
      props,
      party: { conversationId: party.conversationId, psid: party.psid, userId: party.userId, hitl: party.hitl },
      routing: loaded,
      deadline: deadlines.work,
      undelivered: [],
      // the 4biz client stops at the session's deadline too: nothing runs on after the answer
      fourbiz: () => (scope ??= fourbizScope(props, props.config, { deadline: deadlines.work.at })),
      checkpoint: async () => {
        const now = JSON.stringify(session.routing)
        if (now === saved) return
        await saveRouting(client, party.conversationId, session.routing)
        saved = now
      },
    }
    try {
      return await work(session)
    } finally {
      await session.checkpoint()
      await syncTags(client, party.conversationId, party.tags, session.routing)
    }
  })
}

/** The tags mirror the state for readers that cannot take the lease: the webhook's fast path, push and pull. */
async function syncTags(client: bp.Client, conversationId: string, had: Tags, routing: Routing) {
  const waiting = routing.pending.length > 0 || !!routing.announce
  const want = {
    ticketNumber: routing.ticketNumber ?? '',
    fourbizSync: routing.ticketNumber || waiting || routing.watched.length ? 'yes' : '',
    // the straight path of a follow-up (src/routing/to-ticket.ts) needs both
    ticketQueue: routing.ticketNumber ? (waiting ? 'waiting' : 'empty') : '',
    linkedAt: routing.linkedAt !== undefined ? String(routing.linkedAt) : '',
  }
  if ((Object.keys(want) as (keyof typeof want)[]).every((k) => (had[k] ?? '') === want[k])) return
  await client.updateConversation({ id: conversationId, tags: want })
}
