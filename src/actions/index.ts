import type * as bp from '../typings'

type A = bp.IntegrationProps['actions']

/**
 * Each group of actions is loaded at its first call, not when the bundle loads: a cold start that
 * handles a Messenger message never builds the action input schemas (definitions/actions.ts) nor the
 * hitl interface's (definitions/hitl.ts). `names` lists the group's actions; the `satisfies` below
 * checks that together they are all of them.
 */
function lazily<K extends keyof A>(load: () => Promise<Pick<A, K>>, names: Record<K, true>): Pick<A, K> {
  const handlers = {} as Record<K, (props: unknown) => Promise<unknown>>
  for (const name of Object.keys(names) as K[]) handlers[name] = async (props) => ((await load())[name] as (props: unknown) => Promise<unknown>)(props)
  return handlers as unknown as Pick<A, K>
}

export const actions = {
  ...lazily(async () => (await import('./tickets')).ticketActions, { createTicket: true, getTicket: true, listTickets: true, addTicketComment: true, cancelTicket: true }),
  ...lazily(async () => (await import('./routing')).routingActions, { startHandoff: true, endHandoff: true, syncTicketUpdates: true }),
  ...lazily(async () => (await import('./messenger')).messengerActions, {
    getOrCreateUser: true,
    getOrCreateConversation: true,
    startTypingIndicator: true,
    stopTypingIndicator: true,
    updateMessengerProfile: true,
  }),
  ...lazily(async () => (await import('./setup')).setupActions, { checkFourbizSetup: true }),
  ...lazily(async () => (await import('../hitl/actions')).hitlActions, { createUser: true, startHitl: true, stopHitl: true }),
} satisfies A
