import { fromFourbizHtml } from '../src/fourbiz/text'
import { pushSignature } from '../src/webhook/fourbiz-push'
import { callAction, callOperation, callWebhook, Handler } from './harness'
import { HitlWorld, PUSH_SECRET, startHitlWorld } from './hitl-setup'
import { loadInstances } from './instances'

/**
 * The hitl channel exactly once on Botpress Cloud: two copies of the built bundle (separate module
 * state) get the same HITL session's work at the same time — a message and its redelivery, a burst of
 * messages, the same analyst follow-up by push on one copy and by pull on the other.
 */

process.env.FOURBIZ_HTTP_TIMEOUT_MS = '3000'

let copies: Handler[]
let w: HitlWorld
beforeAll(async () => {
  copies = await loadInstances(2)
}, 60_000)
beforeEach(async () => {
  w = await startHitlWorld({ handlers: copies })
})
afterEach(async () => {
  await w.stop()
})

const followUps = (w: HitlWorld, who: { conversationId: string }) =>
  w
    .ticketOf(who)
    .occurrences.filter((o) => o.userID === 'botpress.integration')
    .map((o) => fromFourbizHtml(o.description))

async function session(name: string) {
  const who = w.webchatUser(name)
  await w.userSays(who, 'text', { text: 'hello' })
  const hitlId = await w.startHitl(who)
  return { who, hitlId }
}

/** Botpress handing the same hitl message to a copy (message_created), as the plugin sends it. */
function messageCreated(
  hitlId: string,
  text: string,
  i: number,
  message = w.botpress.createBotMessage(hitlId, 'text', { text, userId: requesterOf(hitlId) })
) {
  const conversation = w.botpress.conversations.find((c) => c.id === hitlId)!
  const user = w.botpress.users.find((u) => u.id === message.payload.userId)!
  return {
    message,
    call: callOperation(
      'message_created',
      { type: 'text', payload: message.payload, conversation, message, user },
      w.config(),
      copies[i % 2]
    ),
  }
}
const requesterOf = (hitlId: string) =>
  w.botpress.getStatePayload('conversation', hitlId, 'hitlSession').requesterUserId

it('one hitl message delivered to both copies at once: one follow-up', async () => {
  const { who, hitlId } = await session('Lia')
  const first = messageCreated(hitlId, 'The VPN drops every 5 minutes', 0)
  const again = messageCreated(hitlId, 'The VPN drops every 5 minutes', 1, first.message)
  const answers = await Promise.all([first.call, again.call])
  expect(answers.map((a) => a.status)).toEqual([200, 200])
  expect(followUps(w, who)).toEqual(['The VPN drops every 5 minutes'])
})

it('a burst of 8 messages spread over both copies, then all redelivered: each on the ticket once', async () => {
  const { who, hitlId } = await session('Max')
  const texts = Array.from({ length: 8 }, (_, i) => `message ${i + 1}`)
  const sent = texts.map((t, i) => messageCreated(hitlId, t, i))
  expect((await Promise.all(sent.map((s) => s.call))).every((a) => a.status === 200)).toBe(true)
  const redelivered = sent.map((s, i) => messageCreated(hitlId, s.message.payload.text, i + 1, s.message))
  expect((await Promise.all(redelivered.map((s) => s.call))).every((a) => a.status === 200)).toBe(true)
  await callAction('syncTicketUpdates', {}, w.config(), copies[0])
  expect(followUps(w, who).sort()).toEqual([...texts].sort())
})

it('4biz slow (400 ms a call) under a burst of 8: every message_created is answered 200 and every message lands once (the rest by the next sync)', async () => {
  const { who, hitlId } = await session('Ody')
  w.fourbiz.latencyMs = 400
  const texts = Array.from({ length: 8 }, (_, i) => `slow ${i + 1}`)
  const answers = await Promise.all(texts.map((t, i) => messageCreated(hitlId, t, i).call))
  w.fourbiz.latencyMs = 0
  expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200))
  await callAction('syncTicketUpdates', {}, w.config(), copies[1])
  expect(followUps(w, who).sort()).toEqual([...texts].sort())
  expect(w.botpress.getStatePayload('conversation', hitlId, 'routing').pending).toEqual([])
})

it('the same analyst follow-up by push on one copy and by pull on the other, twice: one message on the HITL conversation, one hitlAssigned', async () => {
  const { who, hitlId } = await session('Noé')
  const ticket = w.ticketOf(who)
  const number = w.fourbiz.analystFollowUp(ticket.number, 'I am looking into it', 'joao.analista')
  const raw = JSON.stringify({
    ticketNumber: ticket.number,
    followUp: { number, text: 'I am looking into it', author: 'joao.analista' },
  })
  const push = (i: number) => {
    const ts = String(Math.floor(Date.now() / 1000))
    const headers = {
      'content-type': 'application/json',
      'x-4biz-timestamp': ts,
      'x-4biz-signature': pushSignature(ts, raw, PUSH_SECRET),
    }
    return callWebhook({ path: '/4biz', body: raw, headers }, w.config(), copies[i])
  }
  const pull = (i: number) => callAction('syncTicketUpdates', {}, w.config(), copies[i])
  const answers = await Promise.all([push(0), pull(1), push(1), pull(0)])
  expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200])
  await w.settle()
  const analystMessages = w.botpress.messages.filter((m) => m.conversationId === hitlId && m.direction === 'incoming')
  expect(analystMessages.map((m) => m.payload.text)).toEqual(['I am looking into it'])
  expect(w.events('hitlAssigned')).toHaveLength(1)
  expect(w.events('agentReplied')).toHaveLength(1)
  expect(w.seenBy(who).filter((t) => t === 'I am looking into it')).toHaveLength(1)
})
