import { deliveryFor } from '../src/routing/window'
import { Chat, startChat, stopChat } from './routing-setup'

/** Meta's messaging window applied to analyst replies and automatic texts. */

const HOUR = 3600_000
let chat: Chat
let n = 0

beforeAll(async () => {
  chat = await startChat()
})
afterAll(() => stopChat(chat))

/** A user who last wrote `hoursAgo`, handed off (Helper off), with one analyst reply waiting. */
async function handedOff(hoursAgo: number, overrides: Record<string, unknown> = {}) {
  const psid = `73000000000000${String(++n).padStart(2, '0')}`
  chat.graph.setProfile(psid, { first_name: 'User', last_name: String(n) })
  const at = Date.now() - hoursAgo * HOUR
  await chat.say(psid, `preciso de ajuda ${n}`, { at, overrides: { helperInterception: false, ...overrides } })
  const ticketNumber = chat.routingOf(psid)!.ticketNumber as string
  chat.world.fourbiz.analystFollowUp(ticketNumber, 'Resposta do analista')
  const push = await chat.push({ ticketNumber }, { overrides: { helperInterception: false, ...overrides } })
  const sent = chat.graph.sent(psid).slice(1) // the first is the "ticket opened" text, or nothing
  return { psid, ticketNumber, push, sent, ticket: chat.world.fourbiz.ticket(ticketNumber)! }
}

it('inside 24 h: RESPONSE', async () => {
  const { sent } = await handedOff(2)
  expect(sent.map((s) => [s.messagingType, s.tag])).toEqual([['RESPONSE', undefined]])
})

it('24 h – 7 days with humanAgentTag on: MESSAGE_TAG + HUMAN_AGENT (never a deprecated tag)', async () => {
  chat.graph.humanAgentApproved = true
  const { psid, push } = await handedOff(30, { humanAgentTag: true })
  expect(push.json).toMatchObject({ relayed: 1 })
  const all = chat.graph.sent(psid)
  expect(all.map((s) => [s.messagingType, s.tag])).toEqual([['MESSAGE_TAG', 'HUMAN_AGENT']])
  chat.graph.humanAgentApproved = false
})

it('24 h – 7 days with humanAgentTag off: not sent, a note on the ticket, deliveryFailed for the bot', async () => {
  const { psid, ticket, ticketNumber } = await handedOff(30)
  expect(chat.graph.sent(psid)).toEqual([])
  expect(ticket.occurrences.at(-1)!.description).toMatch(
    /^Mensagem não entregue ao usuário do Messenger: .*24-hour window.*humanAgentTag/
  )
  expect(chat.events('deliveryFailed').at(-1)!.payload).toMatchObject({ ticketNumber, code: 'window' })
  expect(chat.events('agentReplied').at(-1)!.payload).toMatchObject({ ticketNumber, delivered: false })
  // the note is the integration's own follow-up: never relayed back
  expect(
    (await chat.action('syncTicketUpdates', { ticketNumber }, { helperInterception: false })).json.output.relayed
  ).toBe(0)
})

it('past 7 days: nothing is sent even with the tag', async () => {
  chat.graph.humanAgentApproved = true
  const { psid, ticketNumber } = await handedOff(8 * 24, { humanAgentTag: true })
  expect(chat.graph.sent(psid)).toEqual([])
  expect(chat.events('deliveryFailed').at(-1)!.payload.reason).toMatch(/7 days/)
  expect(chat.events('deliveryFailed').at(-1)!.payload.ticketNumber).toBe(ticketNumber)
  chat.graph.humanAgentApproved = false
})

it('automatic texts never use HUMAN_AGENT: a resolution after 24 h is noted, not sent', async () => {
  chat.graph.humanAgentApproved = true
  const { psid, ticketNumber, ticket } = await handedOff(30, { humanAgentTag: true })
  chat.world.fourbiz.setStatus(ticketNumber, 'Resolvida')
  await chat.push({ ticketNumber }, { overrides: { helperInterception: false, humanAgentTag: true } })
  expect(chat.graph.sent(psid).map((s) => s.tag)).toEqual(['HUMAN_AGENT']) // the analyst's reply only
  expect(ticket.occurrences.at(-1)!.description).toMatch(/automatic texts cannot use HUMAN_AGENT/)
  expect(chat.routingOf(psid)!.ticketNumber).toBeUndefined()
  chat.graph.humanAgentApproved = false
})

it('Meta refusing for good (user unavailable) is noted; Meta down is retried by the next sync', async () => {
  const { psid, ticketNumber, ticket } = await handedOff(1)
  chat.graph.makeUnavailable(psid)
  chat.world.fourbiz.analystFollowUp(ticketNumber, 'Outra resposta')
  await chat.push({ ticketNumber }, { overrides: { helperInterception: false } })
  expect(ticket.occurrences.at(-1)!.description).toMatch(/^Mensagem não entregue/)
  expect(chat.events('deliveryFailed').at(-1)!.payload).toMatchObject({ ticketNumber, code: '551' })

  const other = await handedOff(1)
  const before = chat.graph.sent(other.psid).length
  chat.world.fourbiz.analystFollowUp(other.ticketNumber, 'Com a Meta fora do ar')
  // every attempt (1 + 3 retries) fails: Meta is down
  chat.graph.failNext(4, { code: 2, message: 'Service temporarily unavailable', httpStatus: 503 })
  const down = await chat.push({ ticketNumber: other.ticketNumber }, { overrides: { helperInterception: false } })
  expect(down.status).toBe(503)
  const sync = await chat.action(
    'syncTicketUpdates',
    { ticketNumber: other.ticketNumber },
    { helperInterception: false }
  )
  expect(sync.json.output.relayed).toBe(1)
  expect(chat.graph.sent(other.psid).length).toBe(before + 1)
})

it('Meta down when the ticket is resolved: nothing is marked done, the next sync tells the user and ends the handoff', async () => {
  const { psid, ticketNumber } = await handedOff(1)
  const before = chat.graph.sent(psid).length
  chat.world.fourbiz.setStatus(ticketNumber, 'Resolvida')
  chat.graph.failNext(4, { code: 2, message: 'Service temporarily unavailable', httpStatus: 503 })
  const down = await chat.action('syncTicketUpdates', { ticketNumber }, { helperInterception: false })
  expect(down.json.output.errors).toHaveLength(1)
  expect(chat.routingOf(psid)!.ticketNumber).toBe(ticketNumber)
  const again = await chat.action('syncTicketUpdates', { ticketNumber }, { helperInterception: false })
  expect(again.json.output).toMatchObject({ tickets: 1, statusChanges: 1, errors: [] })
  expect(
    chat.graph
      .sent(psid)
      .slice(before)
      .map((s) => s.message.text)
  ).toEqual([expect.stringMatching(/^Seu chamado \d+ foi resolvido/)])
  expect(chat.routingOf(psid)!.ticketNumber).toBeUndefined()
  expect(chat.events('handoffEnded').filter((e) => e.payload.ticketNumber === ticketNumber)).toHaveLength(1)
  expect(chat.events('ticketUpdated').filter((e) => e.payload.ticketNumber === ticketNumber)).toHaveLength(1)
})

describe('deliveryFor', () => {
  const now = Date.now()
  it.each([
    [1, 'human', false, 'RESPONSE'],
    [23.9, 'automatic', false, 'RESPONSE'],
    [25, 'human', true, 'MESSAGE_TAG'],
    [25, 'human', false, 'no'],
    [25, 'automatic', true, 'no'],
    [7 * 24 + 1, 'human', true, 'no'],
  ] as const)('%s h, %s, tag %s → %s', (hours, author, humanAgentTag, expected) => {
    const d = deliveryFor({ lastUserMessageAt: now - hours * HOUR, now, author, humanAgentTag })
    expect(d.send ? d.messagingType : 'no').toBe(expected)
  })
  it('a user who never wrote cannot be messaged', () => {
    expect(deliveryFor({ lastUserMessageAt: undefined, now, author: 'human', humanAgentTag: true }).send).toBe(false)
  })
})
