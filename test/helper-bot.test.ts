import { createHelperBot } from '../local/bot/helper-bot'
import { ActivityLog } from '../local/log'
import { EmulatedRuntime } from '../local/runtime/runtime'
import { IntegrationCaller, type Operation, type OperationAnswer } from '../local/runtime/operations'
import { callOperation, PAGE_ID } from './harness'
import { Chat, startChat, stopChat } from './routing-setup'

/**
 * The example Helper bot as a model flow: the emulated Botpress runtime runs it against the integration's
 * handler (the entry Botpress Cloud calls) and the Botpress, Graph and 4biz fakes. Each test is a user's
 * path through the Messenger webhook; what the user sees is what reached the Graph fake.
 */

/** The integration's handler behind the caller the runtime uses, in this process (so jest sees the sources). */
class HandlerCaller extends IntegrationCaller {
  constructor(private readonly chat: Chat) {
    super('in-process', () => chat.config())
  }
  override async send(operation: Operation, body: unknown): Promise<OperationAnswer> {
    const res = await callOperation(operation, body, this.chat.config())
    return { status: res.status, headers: res.headers, body: res.body }
  }
}

let chat: Chat
let runtime: EmulatedRuntime
const log = new ActivityLog(false)

beforeAll(async () => {
  chat = await startChat()
  const bot = createHelperBot({ helperInterception: true, syncIntervalMs: 3_600_000 })
  runtime = new EmulatedRuntime(chat.world.botpress, new HandlerCaller(chat), bot, log)
  runtime.start()
})
afterAll(async () => {
  await runtime.stop()
  await stopChat(chat)
})

let n = 0
/** A fresh Messenger user per test. */
const newUser = () => `77000000000${String(++n).padStart(5, '0')}`

/** The user types a text; answers what reached their chat once the bot is done. */
async function says(psid: string, text: string) {
  await chat.post(chat.body([chat.item(psid, text)]))
  await runtime.idle()
  return chat.received(psid)
}
/** The user taps a quick reply (the title is what Messenger shows, the payload what the bot gets). */
async function taps(psid: string, title: string, payload: string) {
  await chat.post(chat.body([chat.item(psid, title, { quickReply: payload })]))
  await runtime.idle()
  return chat.received(psid)
}
/** The user taps a button of a card or the Get Started button (a postback). */
async function postback(psid: string, title: string, payload: string) {
  chat.graph.userMessaged(psid, Date.now())
  await chat.post(
    chat.body([
      {
        sender: { id: psid },
        recipient: { id: PAGE_ID },
        timestamp: Date.now(),
        postback: { title, payload, mid: `m_pb_${Date.now()}_${++n}` },
      },
    ])
  )
  await runtime.idle()
  return chat.received(psid)
}
async function sync() {
  await chat.action('syncTicketUpdates', {})
  await runtime.idle()
}
const ticketsOf = (psid: string) =>
  [...chat.world.fourbiz.tickets.values()].filter((t) => ticketOwner(t.number) === psid)
/** The PSID whose conversation opened a ticket, from the Botpress events the integration emitted. */
const ticketOwner = (ticketNumber: string) => {
  const e = chat.events('ticketCreated').find((x) => x.payload.ticketNumber === ticketNumber)
  return chat.world.botpress.conversations.find((c) => c.id === e?.payload.conversationId)?.tags.psid
}
const lastCarousel = (psid: string) =>
  chat.graph
    .sent(psid)
    .map((r) => r.message.attachment?.payload)
    .filter((p) => p?.template_type === 'generic')
    .at(-1)

/** Opens a ticket the way a user does: "Open a ticket", then the description. */
async function opensTicket(psid: string, description: string): Promise<string> {
  await taps(psid, 'Open a ticket', 'OPEN_TICKET')
  const seen = await says(psid, description)
  const number = seen.join('\n').match(/I opened ticket (\d+)/)?.[1]
  if (!number) throw new Error(`no ticket opened: ${seen.join(' | ')}`)
  return number
}

it('a tap while the Helper waits for a description is handled as what it is, never sent as a description', async () => {
  const psid = newUser()
  await says(psid, 'Oi')
  const first = await opensTicket(psid, 'The printer on floor 2 jams')

  // double tap of "Open a ticket": the second asks again, no ticket described OPEN_TICKET
  await taps(psid, 'Open a ticket', 'OPEN_TICKET')
  expect(await taps(psid, 'Open a ticket', 'OPEN_TICKET')).toEqual([
    expect.stringMatching(/^Please describe the problem/),
  ])
  // "Talk about it" on a card while waiting: a handoff on that ticket, not a ticket described HANDOFF:<n>
  const talked = await postback(psid, 'Talk about it', `HANDOFF:${first}`)
  expect(talked).toEqual([
    `You are back on ticket ${first}: what you write now goes to the analyst, who will answer here.`,
  ])
  expect(chat.conversationOf(psid).tags.ticketNumber).toBe(first)
  const descriptions = [...chat.world.fourbiz.tickets.values()].map((t) => t.description)
  expect(descriptions.some((d) => /OPEN_TICKET|HANDOFF:/.test(d))).toBe(false)
  expect(ticketsOf(psid).map((t) => t.number)).toEqual([first])
})

it('Get Started and "menu" while waiting for a description bring the menu back; an unknown tap asks again', async () => {
  const psid = newUser()
  await postback(psid, 'Get Started', 'GET_STARTED')
  await taps(psid, 'Open a ticket', 'OPEN_TICKET')
  expect(await postback(psid, 'Get Started', 'GET_STARTED')).toEqual([
    expect.stringMatching(/^Welcome back! How can I help\? \[Open a ticket \| My tickets \| Talk to an analyst\]/),
  ])
  await taps(psid, 'Open a ticket', 'OPEN_TICKET')
  expect(await taps(psid, 'Yes please', 'SOMETHING_OLD')).toEqual([
    'Please describe the problem in words (or type "menu").',
  ])
  expect(await says(psid, 'menu')).toEqual([expect.stringMatching(/^Welcome back!/)])
  expect(ticketsOf(psid)).toEqual([])
})

it('"Talk to an analyst" continues the newest open ticket; with only finished ones it opens a new ticket', async () => {
  const psid = newUser()
  await says(psid, 'Oi')
  const older = await opensTicket(psid, 'VPN drops every hour')
  const newer = await opensTicket(psid, 'Outlook asks for my password')
  chat.world.fourbiz.setStatus(newer, 'Cancelada')
  expect(await taps(psid, 'Talk to an analyst', 'HANDOFF')).toEqual([
    `You are back on ticket ${older}: what you write now goes to the analyst, who will answer here.`,
  ])
  expect(ticketsOf(psid)).toHaveLength(2)
  await says(psid, 'It dropped again at 10:00')
  expect(chat.world.fourbiz.ticket(older)!.occurrences.map((o) => o.description)).toContain('It dropped again at 10:00')

  const other = newUser()
  await says(other, 'Oi')
  const done = await opensTicket(other, 'Badge does not open the door')
  chat.world.fourbiz.setStatus(done, 'Resolvida')
  const talked = await taps(other, 'Talk to an analyst', 'HANDOFF')
  const fresh = talked.join('\n').match(/talking to the service desk about ticket (\d+)/)?.[1]
  expect(fresh).toBeDefined()
  expect(fresh).not.toBe(done)
})

it('a finished ticket gets no "Talk about it"; a stale one tapped gets a helpful answer, and the user stays with the bot', async () => {
  const psid = newUser()
  await says(psid, 'Oi')
  const open = await opensTicket(psid, 'Monitor flickers')
  const cancelled = await opensTicket(psid, 'Need a new mouse')
  await taps(psid, 'My tickets', 'MY_TICKETS')
  const before = lastCarousel(psid)
  expect(before.elements.map((e: any) => [e.title, (e.buttons ?? []).map((b: any) => b.payload)])).toEqual([
    [`Ticket ${cancelled}`, [`HANDOFF:${cancelled}`]],
    [`Ticket ${open}`, [`HANDOFF:${open}`]],
  ])

  chat.world.fourbiz.setStatus(cancelled, 'Cancelada')
  await sync()
  // the integration tells the user; the bot (ticketUpdated, handedOff false) offers the menu again
  expect(chat.received(psid)).toEqual([
    `Seu chamado ${cancelled} foi cancelado. Se precisar de algo mais, é só escrever.`,
    'Anything else I can help with? [Open a ticket | My tickets | Talk to an analyst]',
  ])
  await taps(psid, 'My tickets', 'MY_TICKETS')
  expect(lastCarousel(psid).elements.map((e: any) => [e.title, (e.buttons ?? []).map((b: any) => b.payload)])).toEqual([
    [`Ticket ${cancelled}`, []],
    [`Ticket ${open}`, [`HANDOFF:${open}`]],
  ])
  // the card seen before the cancel, tapped now: the integration refuses, the bot offers a new ticket
  expect(await postback(psid, 'Talk about it', `HANDOFF:${cancelled}`)).toEqual([
    `Ticket ${cancelled} is already finished, so no analyst would read a message there. Shall I open a new ticket? [Talk to an analyst | Open a ticket | My tickets]`,
  ])
  expect(chat.conversationOf(psid).tags.ticketNumber).toBeUndefined()
  expect(await says(psid, 'menu')).toEqual([expect.stringMatching(/^Welcome back! How can I help\?/)])
  expect(chat.world.fourbiz.ticket(cancelled)!.occurrences.map((o) => o.description)).not.toContain('menu')
})

it('an analyst reply on a followed ticket offers "Reply on ticket N", and the tap puts the user through', async () => {
  const psid = newUser()
  await says(psid, 'Oi')
  const ticket = await opensTicket(psid, 'I need access to the finance share')
  chat.world.fourbiz.analystFollowUp(ticket, 'Which folder exactly?')
  await sync()
  expect(chat.received(psid)).toEqual([
    `[Chamado ${ticket}] Which folder exactly?`,
    `The analyst answered on ticket ${ticket}. Do you want to reply? [Reply on ticket ${ticket} | Open a ticket | My tickets]`,
  ])
  const reply = chat.graph
    .sent(psid)
    .at(-1)!
    .message.quick_replies.find((q: any) => q.title === `Reply on ticket ${ticket}`)
  expect(await taps(psid, reply.title, reply.payload)).toEqual([
    `You are back on ticket ${ticket}: what you write now goes to the analyst, who will answer here.`,
  ])
  await says(psid, '\\\\files\\finance\\2026')
  expect(chat.world.fourbiz.ticket(ticket)!.occurrences.map((o) => o.description)).toContain('\\\\files\\finance\\2026')
})

it('a user who comes back after a resolution is welcomed back, not greeted as new', async () => {
  const psid = newUser()
  expect(await says(psid, 'Oi')).toEqual([expect.stringMatching(/^Hi! I'm the Helper of the service desk/)])
  const talked = await taps(psid, 'Talk to an analyst', 'HANDOFF')
  const ticket = talked.join('\n').match(/about ticket (\d+)/)![1]!
  chat.world.fourbiz.setStatus(ticket, 'Resolvida')
  await sync()
  expect(chat.received(psid).at(-1)).toMatch(/^Your conversation with the service desk has ended/)
  expect(await says(psid, 'thanks!')).toEqual([expect.stringMatching(/^Welcome back! How can I help\?/)])
})

it('a picture sent as the description reaches the ticket as an attachment; one sent before the words waits for them', async () => {
  const psid = newUser()
  await says(psid, 'Oi')
  const picture = `${chat.files.url}/print.png`
  const image = (text: string) => chat.item(psid, text, { attachments: [{ type: 'image', payload: { url: picture } }] })

  await taps(psid, 'Open a ticket', 'OPEN_TICKET')
  await chat.post(chat.body([image('The screen shows this error')]))
  await runtime.idle()
  const first = chat
    .received(psid)
    .join('\n')
    .match(/I opened ticket (\d+) for you with your file/)?.[1]
  expect(first).toBeDefined()
  expect(chat.world.fourbiz.ticket(first!)!.description).toContain('The screen shows this error')
  expect(chat.world.fourbiz.ticket(first!)!.attachments).toHaveLength(1)

  await taps(psid, 'Open a ticket', 'OPEN_TICKET')
  await chat.post(chat.body([image('')]))
  await runtime.idle()
  expect(chat.received(psid)).toEqual([
    'Got it, I will attach it to the ticket. Now describe the problem in a few words.',
  ])
  const second = (await says(psid, 'Printer queue stuck'))
    .join('\n')
    .match(/I opened ticket (\d+) for you with your file/)?.[1]
  expect(chat.world.fourbiz.ticket(second!)!.attachments).toHaveLength(1)

  // a picture, then a tap elsewhere: the wait is over, the picture is not the next ticket's
  await taps(psid, 'Open a ticket', 'OPEN_TICKET')
  await chat.post(chat.body([image('')]))
  await runtime.idle()
  await taps(psid, 'My tickets', 'MY_TICKETS')
  const third = await opensTicket(psid, 'Keyboard missing a key')
  expect(chat.world.fourbiz.ticket(third)!.attachments).toHaveLength(0)
})
