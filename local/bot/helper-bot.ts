import type { Bot, BotTools, IncomingMessage, IntegrationEvent } from '../runtime/bot'

/**
 * The example Helper bot: what 4biz calls the Helper, built only on the integration's actions, messages
 * and events. A conversation designer builds the same flow in Botpress Studio; each step below names
 * the Studio card that does it (hub.md, "Building the Helper flow in Studio").
 *
 * Helper interception on: the bot greets, opens tickets, lists them and hands off to an analyst.
 * Helper interception off: the integration sends every user message to a ticket and the bot never sees
 * them; only the schedule runs.
 */

export type HelperBotOptions = {
  /** The integration's helperInterception: with it off the bot does not greet after a handoff. */
  helperInterception: boolean
  /** How often syncTicketUpdates runs (Studio: the scheduled trigger; a minute is plenty in production). */
  syncIntervalMs: number
  /** Picture shown on the ticket cards. */
  ticketImageUrl?: string
}

/** The option values of the menu: the bot branches on these, never on the labels users see. */
export const MENU = {
  openTicket: 'OPEN_TICKET',
  myTickets: 'MY_TICKETS',
  handoff: 'HANDOFF',
  /** Webchat: the Studio "Start HITL" card of the HITL plugin. */
  hitl: 'HITL',
} as const

/** A card's "Talk about it" button: hand off on that existing ticket. */
const HANDOFF_ON = 'HANDOFF:'

type Ticket = { ticketNumber: string; status?: string; openedAt?: string; description?: string; title?: string }
type Step = 'menu' | 'awaitingDescription'

export function createHelperBot(options: HelperBotOptions): Bot {
  // Studio: a workflow variable per conversation. Kept in memory here: the local run is one process.
  const steps = new Map<string, Step>()
  let lastSyncErrors = ''

  // Studio: Send Message card → "Single Choice", options with a label and a value.
  // Messenger shows them as quick replies; a tap comes back as a text whose text is the value.
  const greet = (tools: BotTools, conversationId: string, text = "Hi! I'm the Helper of the service desk. How can I help?") =>
    tools.reply(conversationId, 'choice', {
      text,
      options: [
        { label: 'Open a ticket', value: MENU.openTicket },
        { label: 'My tickets', value: MENU.myTickets },
        { label: 'Talk to an analyst', value: MENU.handoff },
      ],
    })

  // Studio: "Capture Information" (raw input) → the integration's "Create ticket" card with
  // conversationId = {{event.conversationId}} and idempotencyKey = {{event.messageId}}, so a
  // redelivered message never opens a second ticket.
  async function openTicket(tools: BotTools, message: IncomingMessage, description: string) {
    try {
      const ticket = await tools.action<Ticket>('createTicket', {
        description,
        conversationId: message.conversationId,
        idempotencyKey: message.id,
      })
      await tools.reply(message.conversationId, 'text', {
        text: `I opened ticket ${ticket.ticketNumber} for you. An analyst will look at it; "My tickets" shows how it is going.`,
      })
    } catch (err) {
      await tools.reply(message.conversationId, 'text', { text: `Sorry, I could not open the ticket right now (${reason(err)}).` })
    }
    await greet(tools, message.conversationId, 'Anything else?')
  }

  // Studio: the integration's "List tickets" card, then a Carousel message built from its output
  // (or a Text message when the list is empty).
  async function listTickets(tools: BotTools, conversationId: string) {
    try {
      const { tickets } = await tools.action<{ tickets: Ticket[] }>('listTickets', { conversationId })
      if (!tickets.length) {
        await tools.reply(conversationId, 'text', { text: 'You have no tickets yet.' })
      } else {
        await tools.reply(conversationId, 'carousel', {
          items: tickets.slice(0, 10).map((t) => ({
            title: `Ticket ${t.ticketNumber}`,
            subtitle: [t.status, t.openedAt && `opened ${t.openedAt.slice(0, 10)}`, t.title ?? t.description].filter(Boolean).join(' · '),
            ...(options.ticketImageUrl ? { imageUrl: options.ticketImageUrl } : {}),
            actions: [{ action: 'postback', label: 'Talk about it', value: `${HANDOFF_ON}${t.ticketNumber}` }],
          })),
        })
      }
    } catch (err) {
      await tools.reply(conversationId, 'text', { text: `Sorry, I could not read your tickets right now (${reason(err)}).` })
    }
    await greet(tools, conversationId, 'Anything else?')
  }

  // Studio: the integration's "Start handoff" card with conversationId = {{event.conversationId}}
  // (and ticketNumber to continue an existing ticket), then a Text message with its ticketNumber.
  // From here the integration sends the user's messages to the ticket; the bot sees none of them.
  async function handOff(tools: BotTools, conversationId: string, ticketNumber?: string) {
    try {
      const handoff = await tools.action<{ ticketNumber: string; created: boolean }>('startHandoff', {
        conversationId,
        ...(ticketNumber ? { ticketNumber } : { description: 'The user asked the Helper for an analyst.' }),
      })
      await tools.reply(conversationId, 'text', {
        text: `You are now talking to the service desk about ticket ${handoff.ticketNumber}. An analyst will answer here.`,
      })
    } catch (err) {
      await tools.reply(conversationId, 'text', { text: `Sorry, I could not reach an analyst right now (${reason(err)}).` })
      await greet(tools, conversationId, 'Can I help in another way?')
    }
  }

  // A conversation on another channel (the local webchat): startHandoff only knows Messenger, so the
  // bot hands off with the HITL plugin's "Start HITL" card, which uses this integration as its
  // hitl provider. From there the plugin relays the conversation and the bot sees none of it.
  async function onOtherChannel(message: IncomingMessage, tools: BotTools) {
    const { conversationId } = message
    const text = message.type === 'text' ? String(message.payload?.text ?? '').trim() : ''
    if (text === MENU.hitl && tools.hitl) {
      // Studio: "Start HITL" with title, description, userId = {{event.userId}}, conversationId = {{event.conversationId}}
      try {
        await tools.hitl.start({ conversationId, userId: message.userId, title: 'Webchat: the user asked for an analyst', description: 'Handed off by the Helper bot from the webchat.' })
      } catch (err) {
        await tools.reply(conversationId, 'text', { text: `Sorry, I could not reach an analyst right now (${reason(err)}).` })
      }
      return
    }
    await tools.reply(conversationId, 'choice', {
      text: "Hi! I'm the Helper of the service desk. I can put you in touch with an analyst.",
      options: [{ label: 'Talk to an analyst', value: MENU.hitl }],
    })
  }

  return {
    // Studio: the main workflow's Start node. A quick-reply or button tap arrives as text = its value.
    async onMessage(message, tools) {
      if (message.integration !== 'fourbiz-messenger') return onOtherChannel(message, tools)
      const { conversationId } = message
      const text = message.type === 'text' ? String(message.payload?.text ?? '').trim() : ''

      if (steps.get(conversationId) === 'awaitingDescription') {
        steps.set(conversationId, 'menu')
        if (text) return openTicket(tools, message, text)
        await tools.reply(conversationId, 'text', { text: 'Please describe the problem in words.' })
        steps.set(conversationId, 'awaitingDescription')
        return
      }

      // Studio: an Expression card (or transitions) on {{event.preview}}, the option value.
      if (text === MENU.openTicket) {
        steps.set(conversationId, 'awaitingDescription')
        return tools.reply(conversationId, 'text', { text: 'Please describe the problem in one message.' })
      }
      if (text === MENU.myTickets) return listTickets(tools, conversationId)
      if (text === MENU.handoff) return handOff(tools, conversationId)
      if (text.startsWith(HANDOFF_ON)) return handOff(tools, conversationId, text.slice(HANDOFF_ON.length))
      return greet(tools, conversationId)
    },

    // Studio: a trigger on the integration event "handoffEnded": the analyst resolved, closed or
    // cancelled the ticket and the conversation is the bot's again.
    async onEvent(event: IntegrationEvent, tools) {
      // the HITL plugin's continueWorkflow (flowOnHitlStopped): the session ended, the flow goes on
      if (event.type === 'continueWorkflow' && event.conversationId) {
        await tools.reply(event.conversationId, 'choice', {
          text: 'Anything else I can help with?',
          options: [{ label: 'Talk to an analyst', value: MENU.hitl }],
        })
        return
      }
      if (event.type !== 'handoffEnded' || !event.conversationId || !options.helperInterception) return
      steps.set(event.conversationId, 'menu')
      await greet(tools, event.conversationId, 'Your conversation with the service desk has ended. Anything else I can help with?')
    },

    // Studio: a scheduled trigger running the integration's "Sync ticket updates" card. It relays
    // analysts' replies and status changes that 4biz did not push.
    schedules: [
      {
        name: 'syncTicketUpdates',
        everyMs: options.syncIntervalMs,
        async run(tools) {
          const result = await tools.action<{ relayed: number; statusChanges: number; errors: string[] }>('syncTicketUpdates', {})
          if (result.relayed || result.statusChanges) tools.log(`sync: ${result.relayed} reply(ies) relayed, ${result.statusChanges} status change(s)`)
          const errors = (result.errors ?? []).join('; ')
          if (errors && errors !== lastSyncErrors) tools.log(`sync could not check: ${errors}`)
          lastSyncErrors = errors
        },
      },
    ],
  }
}

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err))
