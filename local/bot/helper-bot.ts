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
  /**
   * The statuses (code or name, as listTickets answers them) of a finished ticket: the integration's
   * statusResolved, statusClosed and statusCancelled. Default: 4biz's Resolvida, Fechada, Cancelada.
   */
  finishedStatuses?: string[]
}

/** The option values of the menu: the bot branches on these, never on the labels users see. */
export const MENU = {
  openTicket: 'OPEN_TICKET',
  myTickets: 'MY_TICKETS',
  handoff: 'HANDOFF',
  /** Webchat: the Studio "Start HITL" card of the HITL plugin. */
  hitl: 'HITL',
  /** The Page's Get Started button (the integration's getStartedPayload default). */
  getStarted: 'GET_STARTED',
} as const

/** A card's "Talk about it" button and the "Reply on ticket N" quick reply: hand off on that existing ticket. */
export const HANDOFF_ON = 'HANDOFF:'

/** Words a user types to get the menu back, whatever the bot was waiting for. */
const MENU_WORDS = new Set(['menu', 'menú', 'cancel', 'cancelar', 'start', 'início', 'inicio'])

const DEFAULT_FINISHED = ['Resolvida', 'Fechada', 'Cancelada']

type Ticket = {
  ticketNumber: string
  status?: string
  statusCode?: string
  openedAt?: string
  description?: string
  title?: string
}
type Step = 'menu' | 'awaitingDescription'
/** What a message brought besides words: the pictures and files a ticket gets as attachments. */
type Described = { text: string; attachmentUrls: string[] }

export function createHelperBot(options: HelperBotOptions): Bot {
  // Studio: workflow variables per conversation (the step, the files sent before the words) and a
  // user variable (greeted). Kept in memory here: the local run is one process.
  const steps = new Map<string, Step>()
  const pendingFiles = new Map<string, string[]>()
  const greeted = new Set<string>()
  // the Messenger conversations the bot talks in: the events it answers with a message are theirs (a HITL
  // conversation's events are not the bot's to answer: a message there would go onto the ticket)
  const messengerConversations = new Set<string>()
  const finished = new Set((options.finishedStatuses ?? DEFAULT_FINISHED).map((s) => s.toLowerCase()))
  const isOpen = (t: Ticket) => ![t.statusCode, t.status].some((s) => s && finished.has(s.toLowerCase()))
  let lastSyncErrors = ''

  const menuOptions = () => [
    { label: 'Open a ticket', value: MENU.openTicket },
    { label: 'My tickets', value: MENU.myTickets },
    { label: 'Talk to an analyst', value: MENU.handoff },
  ]

  // Studio: Send Message card → "Single Choice", options with a label and a value.
  // Messenger shows them as quick replies; a tap comes back as a text whose text is the value.
  const menu = (tools: BotTools, conversationId: string, text: string) =>
    tools.reply(conversationId, 'choice', { text, options: menuOptions() })

  // Studio: an Expression card on {{user.greeted}}: a user who was greeted before (who comes back after
  // a resolution, say) is welcomed back, not introduced to the Helper again.
  async function greet(tools: BotTools, message: { conversationId: string; userId: string }) {
    const first = !greeted.has(message.userId)
    greeted.add(message.userId)
    await menu(
      tools,
      message.conversationId,
      first ? "Hi! I'm the Helper of the service desk. How can I help?" : 'Welcome back! How can I help?'
    )
  }

  // Studio: "Capture Information" (raw input) → the integration's "Create ticket" card with
  // conversationId = {{event.conversationId}}, attachmentUrls = the pictures/files of the message and
  // idempotencyKey = {{event.messageId}}, so a redelivered message never opens a second ticket.
  async function openTicket(tools: BotTools, message: IncomingMessage, described: Described) {
    const attachmentUrls = [...(pendingFiles.get(message.conversationId) ?? []), ...described.attachmentUrls]
    pendingFiles.delete(message.conversationId)
    try {
      const ticket = await tools.action<Ticket>('createTicket', {
        description: described.text,
        conversationId: message.conversationId,
        idempotencyKey: message.id,
        ...(attachmentUrls.length ? { attachmentUrls } : {}),
      })
      const files = attachmentUrls.length
        ? ` with ${attachmentUrls.length === 1 ? 'your file' : `your ${attachmentUrls.length} files`}`
        : ''
      await tools.reply(message.conversationId, 'text', {
        text: `I opened ticket ${ticket.ticketNumber} for you${files}. An analyst will look at it and their answers will reach you here; "My tickets" shows how it is going.`,
      })
    } catch (err) {
      await tools.reply(message.conversationId, 'text', {
        text: `Sorry, I could not open the ticket right now (${reason(err)}).`,
      })
    }
    await menu(tools, message.conversationId, 'Anything else?')
  }

  // Studio: the integration's "List tickets" card, then a Carousel message built from its output
  // (or a Text message when the list is empty). Only an open ticket gets "Talk about it": no analyst
  // answers on a finished one.
  async function listTickets(tools: BotTools, conversationId: string) {
    try {
      const { tickets } = await tools.action<{ tickets: Ticket[] }>('listTickets', { conversationId })
      if (!tickets.length) {
        await tools.reply(conversationId, 'text', { text: 'You have no tickets yet.' })
      } else {
        await tools.reply(conversationId, 'carousel', {
          items: tickets.slice(0, 10).map((t) => ({
            title: `Ticket ${t.ticketNumber}`,
            subtitle: [t.status, t.openedAt && `opened ${t.openedAt.slice(0, 10)}`, t.title ?? t.description]
              .filter(Boolean)
              .join(' · '),
            ...(options.ticketImageUrl ? { imageUrl: options.ticketImageUrl } : {}),
            actions: isOpen(t)
              ? [{ action: 'postback', label: 'Talk about it', value: `${HANDOFF_ON}${t.ticketNumber}` }]
              : [],
          })),
        })
      }
    } catch (err) {
      await tools.reply(conversationId, 'text', {
        text: `Sorry, I could not read your tickets right now (${reason(err)}).`,
      })
    }
    await menu(tools, conversationId, 'Anything else?')
  }

  // Studio: "Talk to an analyst" first runs "List tickets" and continues the newest open ticket (an
  // Expression card on its status), so a user never has two tickets for one problem.
  async function talkToAnalyst(tools: BotTools, conversationId: string) {
    let open: Ticket | undefined
    try {
      const { tickets } = await tools.action<{ tickets: Ticket[] }>('listTickets', { conversationId })
      open = tickets.find(isOpen) // newest first
    } catch {
      // 4biz could not list them: a new ticket is still better than no analyst
    }
    return handOff(tools, conversationId, open?.ticketNumber)
  }

  // Studio: the integration's "Start handoff" card with conversationId = {{event.conversationId}}
  // (and ticketNumber to continue an existing ticket), then a Text message with its ticketNumber.
  // From here the integration sends the user's messages to the ticket; the bot sees none of them.
  // The card fails on a finished ticket ("… is Cancelada (finished) …"): its error branch offers a new one.
  async function handOff(tools: BotTools, conversationId: string, ticketNumber?: string) {
    try {
      const handoff = await tools.action<{ ticketNumber: string; created: boolean }>('startHandoff', {
        conversationId,
        ...(ticketNumber ? { ticketNumber } : { description: 'The user asked the Helper for an analyst.' }),
      })
      await tools.reply(conversationId, 'text', {
        text: handoff.created
          ? `You are now talking to the service desk about ticket ${handoff.ticketNumber}. An analyst will answer here.`
          : `You are back on ticket ${handoff.ticketNumber}: what you write now goes to the analyst, who will answer here.`,
      })
    } catch (err) {
      if (ticketNumber && /\(finished\)/.test(reason(err))) {
        await tools.reply(conversationId, 'choice', {
          text: `Ticket ${ticketNumber} is already finished, so no analyst would read a message there. Shall I open a new ticket?`,
          options: [
            { label: 'Talk to an analyst', value: MENU.handoff },
            { label: 'Open a ticket', value: MENU.openTicket },
            { label: 'My tickets', value: MENU.myTickets },
          ],
        })
        return
      }
      await tools.reply(conversationId, 'text', {
        text: `Sorry, I could not reach an analyst right now (${reason(err)}).`,
      })
      await menu(tools, conversationId, 'Can I help in another way?')
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
        await tools.hitl.start({
          conversationId,
          userId: message.userId,
          title: 'Webchat: the user asked for an analyst',
          description: 'Handed off by the Helper bot from the webchat.',
        })
      } catch (err) {
        await tools.reply(conversationId, 'text', {
          text: `Sorry, I could not reach an analyst right now (${reason(err)}).`,
        })
      }
      return
    }
    await tools.reply(conversationId, 'choice', {
      text: "Hi! I'm the Helper of the service desk. I can put you in touch with an analyst.",
      options: [{ label: 'Talk to an analyst', value: MENU.hitl }],
    })
  }

  /** The commands a message may be (a tapped value, or a menu word), handled the same in every step. */
  async function command(tools: BotTools, message: IncomingMessage, text: string): Promise<boolean> {
    const { conversationId } = message
    if (text === MENU.openTicket) {
      steps.set(conversationId, 'awaitingDescription')
      await tools.reply(conversationId, 'text', {
        text: 'Please describe the problem in one message (you can add a photo or a file).',
      })
      return true
    }
    if (text === MENU.myTickets) return (void (await listTickets(tools, conversationId)), true)
    if (text === MENU.handoff) return (void (await talkToAnalyst(tools, conversationId)), true)
    if (text.startsWith(HANDOFF_ON))
      return (void (await handOff(tools, conversationId, text.slice(HANDOFF_ON.length))), true)
    if (text === MENU.getStarted || MENU_WORDS.has(text.toLowerCase()))
      return (void (await greet(tools, message)), true)
    return false
  }

  return {
    // Studio: the main workflow's Start node. A quick-reply or button tap arrives as text = its value
    // (and the tag `title`, the label tapped).
    async onMessage(message, tools) {
      if (message.integration !== 'fourbiz-messenger') return onOtherChannel(message, tools)
      const { conversationId } = message
      if (message.channel === 'messenger') messengerConversations.add(conversationId)
      const described = describe(message)
      const text = described.text
      const waiting = steps.get(conversationId) === 'awaitingDescription'

      // a tap or a menu word is what it is, never a description: the step it leads to replaces the wait
      // (a second "Open a ticket" asks again, it does not open a ticket described OPEN_TICKET)
      if (waiting && !described.attachmentUrls.length) steps.set(conversationId, 'menu')
      if (!described.attachmentUrls.length && (await command(tools, message, text))) {
        // files kept for a description that a tap replaced are not the next ticket's
        if (steps.get(conversationId) !== 'awaitingDescription') pendingFiles.delete(conversationId)
        return
      }
      if (waiting && message.tags.title) {
        // a tapped button the bot does not know (an old card, a stale quick reply): not a description either
        steps.set(conversationId, 'awaitingDescription')
        return tools.reply(conversationId, 'text', { text: 'Please describe the problem in words (or type "menu").' })
      }

      if (waiting) {
        steps.set(conversationId, 'menu')
        if (text) return openTicket(tools, message, described)
        // pictures or files without words: kept for the ticket, the words are still needed
        if (described.attachmentUrls.length)
          pendingFiles.set(conversationId, [...(pendingFiles.get(conversationId) ?? []), ...described.attachmentUrls])
        steps.set(conversationId, 'awaitingDescription')
        await tools.reply(conversationId, 'text', {
          text: described.attachmentUrls.length
            ? 'Got it, I will attach it to the ticket. Now describe the problem in a few words.'
            : 'Please describe the problem in words.',
        })
        return
      }
      return greet(tools, message)
    },

    async onEvent(event: IntegrationEvent, tools) {
      // the HITL plugin's continueWorkflow (flowOnHitlStopped): the session ended, the flow goes on
      if (event.type === 'continueWorkflow' && event.conversationId) {
        await tools.reply(event.conversationId, 'choice', {
          text: 'Anything else I can help with?',
          options: [{ label: 'Talk to an analyst', value: MENU.hitl }],
        })
        return
      }
      if (!event.conversationId || !options.helperInterception || !messengerConversations.has(event.conversationId))
        return
      // Studio: a trigger on "agentReplied" with handedOff = false: the analyst answered a ticket the user
      // only follows (opened with "Open a ticket"); the user's answer comes to the bot, so it offers to
      // continue on that ticket (startHandoff with its ticketNumber).
      if (event.type === 'agentReplied' && event.payload?.handedOff === false && event.payload?.delivered) {
        const n = String(event.payload.ticketNumber)
        await tools.reply(event.conversationId, 'choice', {
          text: `The analyst answered on ticket ${n}. Do you want to reply?`,
          options: [{ label: `Reply on ticket ${n}`, value: `${HANDOFF_ON}${n}` }, ...menuOptions().slice(0, 2)],
        })
        return
      }
      // Studio: a trigger on "ticketUpdated" with final = true and handedOff = false: a ticket the user
      // follows ended (the integration told them); the bot offers the menu again.
      if (event.type === 'ticketUpdated' && event.payload?.final && event.payload?.handedOff === false) {
        if (steps.get(event.conversationId) !== 'awaitingDescription')
          await menu(tools, event.conversationId, 'Anything else I can help with?')
        return
      }
      // Studio: a trigger on the integration event "handoffEnded": the analyst resolved, closed or
      // cancelled the ticket and the conversation is the bot's again.
      if (event.type !== 'handoffEnded') return
      steps.set(event.conversationId, 'menu')
      if (event.userId) greeted.add(event.userId)
      await menu(
        tools,
        event.conversationId,
        'Your conversation with the service desk has ended. Anything else I can help with?'
      )
    },

    // Studio: a scheduled trigger running the integration's "Sync ticket updates" card. It relays
    // analysts' replies and status changes that 4biz did not push.
    schedules: [
      {
        name: 'syncTicketUpdates',
        everyMs: options.syncIntervalMs,
        async run(tools) {
          const result = await tools.action<{ relayed: number; statusChanges: number; errors: string[] }>(
            'syncTicketUpdates',
            {}
          )
          if (result.relayed || result.statusChanges)
            tools.log(`sync: ${result.relayed} reply(ies) relayed, ${result.statusChanges} status change(s)`)
          const errors = (result.errors ?? []).join('; ')
          if (errors && errors !== lastSyncErrors) tools.log(`sync could not check: ${errors}`)
          lastSyncErrors = errors
        },
      },
    ],
  }
}

const MEDIA_URL: Record<string, string> = { image: 'imageUrl', file: 'fileUrl', video: 'videoUrl', audio: 'audioUrl' }

/** A message's words and its media URLs (text, image, file, audio, video, or a bloc of them). */
function describe(message: { type: string; payload: any }): Described {
  const items: { type: string; payload: any }[] = message.type === 'bloc' ? (message.payload?.items ?? []) : [message]
  const words: string[] = []
  const attachmentUrls: string[] = []
  for (const item of items) {
    if (item.type === 'text' && typeof item.payload?.text === 'string' && item.payload.text.trim())
      words.push(item.payload.text.trim())
    const field = MEDIA_URL[item.type]
    const url = field && item.payload?.[field]
    // a sticker is a picture, not a piece of the problem
    if (typeof url === 'string' && /^https?:\/\//.test(url) && item.payload?.title !== 'sticker')
      attachmentUrls.push(url)
  }
  return { text: words.join('\n'), attachmentUrls }
}

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err))
