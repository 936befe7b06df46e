import * as fs from 'node:fs'
import * as path from 'node:path'
import type * as bp from '../src/typings'
import { callAction, Handler, IDS, postMessenger } from './harness'
import { loadInstances } from './instances'
import { Chat, startChat, stopChat } from './routing-setup'

/**
 * Correct on Botpress Cloud: two copies of the built bundle (separate module state) handle neighbouring
 * events and redeliveries at the same time, against the same Botpress, Graph and 4biz fakes, while 4biz
 * fails in the ways real services fail. Each test counts what reached Botpress, 4biz and Graph.
 */

// calls the webhook stopped waiting for end soon after (the clients' own deadlines), so jest can exit
process.env.FOURBIZ_HTTP_TIMEOUT_MS = '3000'

let chat: Chat
let copies: Handler[]
const off = { helperInterception: false }
const figures: Record<string, Record<string, number>> = {}

beforeAll(async () => {
  chat = await startChat()
  copies = await loadInstances(2)
}, 60_000)
afterAll(async () => {
  const dir = path.join(__dirname, '..', 'test-results')
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, 'figures-instances.json'), JSON.stringify(figures, null, 2))
  await stopChat(chat)
})
afterEach(() => {
  chat.world.fourbiz.fault = undefined
  chat.world.fourbiz.latencyMs = 0
  chat.world.botpress.fault = undefined
})

/** Posts a body to copy `i` (alternating by default), timing the answer as Meta would. */
async function deliver(raw: string, i: number, overrides: Partial<bp.Configuration> = off) {
  const started = Date.now()
  const res = await postMessenger(raw, chat.config(overrides), {}, copies[i % copies.length])
  return { status: res.status, ms: Date.now() - started }
}
const sync = (i = 0, overrides: Partial<bp.Configuration> = off) =>
  callAction('syncTicketUpdates', {}, chat.config(overrides), copies[i % copies.length])

const ticketOf = (psid: string) => chat.world.fourbiz.ticket(chat.conversationOf(psid).tags.ticketNumber!)!
/** What 4biz holds for a user's messages: the description first, then the follow-ups the integration wrote. */
function onTicket(psid: string): string[] {
  const t = ticketOf(psid)
  return [t.description, ...t.occurrences.filter((o) => o.userID === 'botpress.integration').map((o) => o.description)]
}
/** Lost and duplicated messages of one user, from what 4biz holds. */
function tally(psids: string[], expected: string[][]) {
  let lost = 0
  let duplicated = 0
  psids.forEach((psid, i) => {
    const held = onTicket(psid).map((t) => t.split(/\n|<br\s*\/?>/)[0]!)
    lost += expected[i]!.filter((t) => !held.includes(t)).length
    duplicated += held.length - new Set(held).size
  })
  return { lost, duplicated }
}
const told = (psid: string, re: RegExp) => chat.graph.sent(psid).filter((s) => re.test(s.message.text ?? '')).length
const eventsOf = (type: string, conversationId: string) =>
  chat.events(type).filter((e) => e.conversationId === conversationId).length

it('Helper off, first messages of 10 users at once on two copies: 10 tickets, every analyst reply reaches its user', async () => {
  const psids = Array.from({ length: 10 }, (_, i) => `75000000000000${String(i).padStart(2, '0')}`)
  const answers = await Promise.all(
    psids.map((psid, i) => deliver(chat.body([chat.item(psid, `Problema número ${i}`)]), i))
  )
  expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200))

  const tickets = psids.map((psid) => ticketOf(psid))
  expect(new Set(tickets.map((t) => t.number)).size).toBe(10)
  psids.forEach((psid, i) => expect(onTicket(psid)).toEqual([`Problema número ${i}`]))
  for (const t of tickets) chat.world.fourbiz.analystFollowUp(t.number, `Resposta para ${t.description}`)
  const pulled = await sync(1)
  expect(pulled.json.output).toMatchObject({ tickets: 10, relayed: 10, complete: true, errors: [] })
  psids.forEach((psid, i) => expect(told(psid, new RegExp(`Resposta para Problema número ${i}$`))).toBe(1))
  psids.forEach((psid) => expect(told(psid, /abrimos o chamado/)).toBe(1))
  figures['10 first messages'] = {
    events: 10,
    ...tally(
      psids,
      psids.map((_, i) => [`Problema número ${i}`])
    ),
    slowestMs: Math.max(...answers.map((a) => a.ms)),
  }
})

it('the same body delivered 10 times at once: each message on the ticket once, the number told once', async () => {
  const psid = '7500000000000100'
  const body = chat.body([
    chat.item(psid, 'A impressora parou'),
    chat.item(psid, 'Modelo HP 4020'),
    chat.item(psid, 'No 3º andar'),
  ])
  const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => deliver(body, i)))
  expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200))
  expect(onTicket(psid)).toEqual(['A impressora parou', 'Modelo HP 4020', 'No 3º andar'])
  expect(told(psid, /abrimos o chamado/)).toBe(1)
  const conversationId = chat.conversationOf(psid).id
  expect([eventsOf('ticketCreated', conversationId), eventsOf('handoffStarted', conversationId)]).toEqual([1, 1])
  figures['same body ×10'] = {
    events: 3,
    deliveries: 10,
    ...tally([psid], [['A impressora parou', 'Modelo HP 4020', 'No 3º andar']]),
    slowestMs: Math.max(...answers.map((a) => a.ms)),
  }
})

it('one user’s messages interleaved on two copies, then all redelivered: each once, in no second ticket', async () => {
  const psid = '7500000000000200'
  const items = ['um', 'dois', 'três', 'quatro', 'cinco', 'seis'].map((text, i) =>
    chat.item(psid, text, { at: Date.now() + i })
  )
  const answers = await Promise.all(items.map((item, i) => deliver(chat.body([item]), i)))
  expect(answers.every((a) => a.status === 200)).toBe(true)
  const before = chat.world.fourbiz.tickets.size
  const redelivered = await Promise.all(items.map((item, i) => deliver(chat.body([item]), i + 1)))
  expect(redelivered.every((a) => a.status === 200)).toBe(true)
  expect(chat.world.fourbiz.tickets.size).toBe(before)
  expect(onTicket(psid).sort()).toEqual(['cinco', 'dois', 'quatro', 'seis', 'três', 'um'])
  figures['interleaved + redelivered'] = {
    events: 6,
    deliveries: 12,
    ...tally([psid], [['um', 'dois', 'três', 'quatro', 'cinco', 'seis']]),
    slowestMs: Math.max(...[...answers, ...redelivered].map((a) => a.ms)),
  }
})

it('4biz refusing connections, then back: Meta always gets 200, the user is told once, everything lands in order once', async () => {
  const psid = '7500000000000300'
  const fourbiz = chat.world.fourbiz
  await fourbiz.refuseConnections()
  const texts = ['O VPN não conecta', 'Erro 809', 'Estou em home office']
  const during = []
  for (const [i, text] of texts.entries()) during.push(await deliver(chat.body([chat.item(psid, text)]), i))
  // redeliveries while still down
  expect(during.map((a) => a.status)).toEqual([200, 200, 200])
  expect(told(psid, /Não conseguimos abrir seu chamado agora/)).toBe(1)
  expect(chat.conversationOf(psid).tags.fourbizSync).toBe('yes')

  await fourbiz.acceptConnections()
  const pulled = await sync(1)
  expect(pulled.json.output).toMatchObject({ pending: 0, errors: [] })
  expect(onTicket(psid)).toEqual(texts)
  expect(told(psid, /abrimos o chamado/)).toBe(1)
  expect(eventsOf('ticketCreated', chat.conversationOf(psid).id)).toBe(1)
  figures['4biz down then back'] = {
    events: 3,
    ...tally([psid], [texts]),
    slowestMs: Math.max(...during.map((a) => a.ms)),
  }
})

it.each([
  ['answers in 4 s', 4_000],
  ['answers in 8 s', 8_000],
])(
  '4biz slow (%s, then commits): the webhook answers within Meta’s 5 s and the work lands once later',
  async (_name, latency) => {
    const psid = latency === 4_000 ? '7500000000000401' : '7500000000000402'
    const fourbiz = chat.world.fourbiz
    fourbiz.latencyMs = latency
    const first = await deliver(chat.body([chat.item(psid, 'Sistema lento')]), 0)
    const second = await deliver(chat.body([chat.item(psid, 'Muito lento mesmo')]), 1)
    expect(first.ms).toBeLessThan(5_000)
    expect(second.ms).toBeLessThan(5_000)
    expect([first.status, second.status]).toEqual([200, 200])
    fourbiz.latencyMs = 0
    // what the slow calls did in the background (they commit late) is read back, never repeated
    await new Promise((r) => setTimeout(r, latency + 200))
    await sync(0)
    expect(onTicket(psid)).toEqual(['Sistema lento', 'Muito lento mesmo'])
    expect(told(psid, /abrimos o chamado/)).toBe(1)
    figures[`4biz slow ${latency} ms`] = {
      events: 2,
      ...tally([psid], [['Sistema lento', 'Muito lento mesmo']]),
      slowestMs: Math.max(first.ms, second.ms),
    }
  },
  30_000
)

it('4biz hanging: the webhook answers within 5 s; when 4biz is back the message lands once', async () => {
  const psid = '7500000000000500'
  const fourbiz = chat.world.fourbiz
  fourbiz.fault = () => 'hang'
  const answer = await deliver(chat.body([chat.item(psid, 'Nada funciona')]), 1)
  expect(answer.status).toBe(200)
  expect(answer.ms).toBeLessThan(5_000)
  fourbiz.fault = undefined
  await sync(0)
  expect(onTicket(psid)).toEqual(['Nada funciona'])
  figures['4biz hangs'] = { events: 1, ...tally([psid], [['Nada funciona']]), slowestMs: answer.ms }
}, 30_000)

it('4biz commits the ticket and the follow-up but the answers are lost: picture, number and events exactly once', async () => {
  const psid = '7500000000000600'
  const fourbiz = chat.world.fourbiz
  const picture = { type: 'image', payload: { url: `${chat.files.url}/print.png` } }
  let lost = 0
  fourbiz.fault = (call) => (call.path.endsWith('/request/create') && lost++ === 0 ? 'lose-answer' : undefined)
  const first = chat.body([chat.item(psid, 'Tela azul', { attachments: [picture] })])
  expect((await deliver(first, 0)).status).toBe(200)
  expect(fourbiz.tickets.size).toBeGreaterThan(0)
  // Meta redelivers on the other copy
  expect((await deliver(first, 1)).status).toBe(200)
  const ticket = ticketOf(psid)
  expect(ticket.description).toContain('Tela azul')
  expect(ticket.attachments.map((a) => a.name)).toEqual(['print.png'])
  expect(told(psid, /abrimos o chamado/)).toBe(1)
  const conversationId = chat.conversationOf(psid).id
  expect([eventsOf('ticketCreated', conversationId), eventsOf('handoffStarted', conversationId)]).toEqual([1, 1])

  let lostFollowUp = 0
  fourbiz.fault = (call) =>
    call.path.endsWith('/request/createOccurrence') && lostFollowUp++ === 0 ? 'lose-answer' : undefined
  const next = chat.body([chat.item(psid, 'Aconteceu de novo')])
  expect((await deliver(next, 1)).status).toBe(200)
  expect((await deliver(next, 0)).status).toBe(200)
  expect(onTicket(psid).slice(1)).toEqual(['Aconteceu de novo'])
  figures['answers lost after commit'] = {
    events: 2,
    ...tally([psid], [['Tela azul', 'Aconteceu de novo']]),
    tickets: 1,
  }
})

it('a first message replayed after its ticket was resolved opens no second ticket', async () => {
  const psid = '7500000000000700'
  const item = chat.item(psid, 'Esqueci minha senha')
  expect((await deliver(chat.body([item]), 0)).status).toBe(200)
  const ticket = ticketOf(psid)
  chat.world.fourbiz.setStatus(ticket.number, 'Resolvida')
  await sync(1)
  expect(chat.conversationOf(psid).tags.ticketNumber).toBeUndefined()
  const tickets = chat.world.fourbiz.tickets.size
  expect((await deliver(chat.body([item]), 1)).status).toBe(200)
  expect(chat.world.fourbiz.tickets.size).toBe(tickets)
  figures['replay after resolution'] = {
    events: 1,
    deliveries: 2,
    ticketsOpened: chat.world.fourbiz.tickets.size - tickets + 1,
  }
})

it('Botpress failing a write: 503 so that Meta redelivers, then each message once', async () => {
  const psid = '7500000000000800'
  const botpress = chat.world.botpress
  let failures = 0
  botpress.fault = (call) =>
    call.method === 'POST' && /\/states\/conversation\/[^/]+\/routing$/.test(call.path) && failures++ < 1
      ? { status: 503, body: { code: 503, type: 'Unknown', message: 'Service unavailable' } }
      : undefined
  const body = chat.body([chat.item(psid, 'Não consigo logar'), chat.item(psid, 'Desde ontem')])
  const firstTry = await deliver(body, 0)
  expect(firstTry.status).toBe(503)
  const again = await deliver(body, 1)
  expect(again.status).toBe(200)
  expect(onTicket(psid)).toEqual(['Não consigo logar', 'Desde ontem'])
  expect(told(psid, /abrimos o chamado/)).toBe(1)
  figures['Botpress 5xx on a write'] = {
    events: 2,
    deliveries: 2,
    ...tally([psid], [['Não consigo logar', 'Desde ontem']]),
    answered503: 1,
    slowestMs: Math.max(firstTry.ms, again.ms),
  }
})

it('Graph hanging on the profile: the webhook answers within 5 s, the message is not blocked', async () => {
  const psid = '7500000000000950'
  chat.graph.fault = (call) => (call.method === 'GET' && call.path.endsWith(psid) ? 'hang' : undefined)
  const answer = await deliver(chat.body([chat.item(psid, 'Oi')]), 0, {})
  chat.graph.fault = undefined
  expect(answer.status).toBe(200)
  expect(answer.ms).toBeLessThan(5_000)
  expect(
    chat.world.botpress.messages
      .filter((m) => m.conversationId === chat.conversationOf(psid).id)
      .map((m) => m.payload.text)
  ).toEqual(['Oi'])
  figures['Graph profile hangs'] = {
    events: 1,
    lost: 1 - chat.world.botpress.messages.filter((m) => m.conversationId === chat.conversationOf(psid).id).length,
    slowestMs: answer.ms,
  }
}, 30_000)

it('Graph hanging when the ticket number is sent: the webhook answers within 5 s and the next sync tells the user once', async () => {
  const psid = '7500000000000900'
  chat.graph.fault = (call) => (call.path.endsWith('/messages') ? 'hang' : undefined)
  const answer = await deliver(chat.body([chat.item(psid, 'Meu e-mail sumiu')]), 0)
  expect(answer.status).toBe(200)
  expect(answer.ms).toBeLessThan(5_000)
  expect(told(psid, /abrimos o chamado/)).toBe(0)
  chat.graph.fault = undefined
  await sync(1)
  await sync(0)
  expect(told(psid, /abrimos o chamado/)).toBe(1)
  expect(onTicket(psid)).toEqual(['Meu e-mail sumiu'])
  figures['Graph hangs'] = { events: 1, ...tally([psid], [['Meu e-mail sumiu']]), slowestMs: answer.ms }
}, 30_000)

it('a copy that died holding a conversation’s lease: the store expires it, the next delivery lands once', async () => {
  const psid = '7500000000001000'
  const first = chat.body([chat.item(psid, 'Primeira mensagem')])
  expect((await deliver(first, 0)).status).toBe(200)
  const conversationId = chat.conversationOf(psid).id
  // the lease of a copy that died 19.5 s into its 20 s lease
  const now = new Date().toISOString()
  chat.world.botpress.states.set(chat.world.botpress.stateKey('conversation', conversationId, 'conversationLock'), {
    id: conversationId,
    type: 'conversation',
    name: 'conversationLock',
    payload: { owner: 'a-copy-that-died', until: Date.now() + 500 },
    createdAt: now,
    updatedAt: now,
    expiresAt: Date.now() + 500,
  })
  const next = chat.body([chat.item(psid, 'Segunda mensagem')])
  const answer = await deliver(next, 1)
  expect(answer.status).toBe(200)
  expect(answer.ms).toBeLessThan(5_000)
  expect(onTicket(psid)).toEqual(['Primeira mensagem', 'Segunda mensagem'])
  figures['lease of a dead copy'] = { events: 1, ...tally([psid], [['Segunda mensagem']]), slowestMs: answer.ms }
})

/** A Helper-off user with a linked ticket: the first message opens it, so later ones are follow-ups. */
async function linkedUser(psid: string) {
  expect((await deliver(chat.body([chat.item(psid, 'Abrindo o chamado')]), 0)).status).toBe(200)
  expect(chat.conversationOf(psid).tags).toMatchObject({ ticketQueue: 'empty' })
  return {
    conversationId: chat.conversationOf(psid).id,
    userId: chat.world.botpress.users.find((u) => u.tags.psid === psid)!.id,
  }
}

/** The record a copy that died left: it claimed the message `ageMs` ago and did nothing after. */
function deadCopysClaim(ids: { conversationId: string; userId: string }, mid: string, text: string, ageMs: number) {
  const at = new Date(Date.now() - ageMs).toISOString()
  chat.world.botpress.messages.push({
    id: `msg-dead-${mid}`,
    type: 'text',
    payload: { text },
    direction: 'incoming',
    userId: ids.userId,
    conversationId: ids.conversationId,
    tags: { recordOf: mid, record: 'ticket', claim: 'a-copy-that-died' },
    origin: 'synthetic',
    createdAt: at,
    updatedAt: at,
  })
}

it('a follow-up delivered 10 times at once on two copies: on the ticket once, every delivery answered 200', async () => {
  const psid = '7500000000001100'
  await linkedUser(psid)
  const body = chat.body([chat.item(psid, 'Ainda sem internet')])
  const calls = chat.world.fourbiz.calls.length
  const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => deliver(body, i)))
  expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200))
  expect(onTicket(psid)).toEqual(['Abrindo o chamado', 'Ainda sem internet'])
  const created = chat.world.fourbiz.calls.slice(calls).filter((c) => c.path.endsWith('/request/createOccurrence'))
  expect(created).toHaveLength(1)
  figures['follow-up ×10 at once'] = {
    events: 1,
    deliveries: 10,
    ...tally([psid], [['Abrindo o chamado', 'Ainda sem internet']]),
    slowestMs: Math.max(...answers.map((a) => a.ms)),
  }
})

it('a copy that died after claiming a follow-up: while the claim is fresh Meta keeps the message (503); once stale it lands once', async () => {
  const psid = '7500000000001200'
  const ids = await linkedUser(psid)
  const fresh = chat.item(psid, 'Reiniciei o roteador', { mid: 'm_dead_fresh' })
  deadCopysClaim(ids, 'm_dead_fresh', 'Reiniciei o roteador', 1_000)
  const early = await deliver(chat.body([fresh]), 1)
  expect(early.status).toBe(503)
  expect(onTicket(psid)).toEqual(['Abrindo o chamado'])
  // the same claim, 31 s later: the copy died, the redelivery takes the message over
  chat.world.botpress.messages.find((m) => m.tags.recordOf === 'm_dead_fresh')!.createdAt = new Date(
    Date.now() - 31_000
  ).toISOString()
  expect((await deliver(chat.body([fresh]), 0)).status).toBe(200)
  expect((await deliver(chat.body([fresh]), 1)).status).toBe(200)
  expect(onTicket(psid)).toEqual(['Abrindo o chamado', 'Reiniciei o roteador'])
  figures['claim of a dead copy'] = {
    events: 1,
    deliveries: 3,
    ...tally([psid], [['Abrindo o chamado', 'Reiniciei o roteador']]),
    answered503: 1,
    slowestMs: early.ms,
  }
})

it('a copy that died after 4biz took its follow-up: the stale claim is settled by the numberOrigin on the ticket, not sent again', async () => {
  const psid = '7500000000001300'
  await linkedUser(psid)
  // straight to the ticket: the only trace is the record and the follow-up's numberOrigin on 4biz,
  // as if the copy had died before answering Meta
  const item = chat.item(psid, 'O cabo está ok', { mid: 'm_dead_after_write' })
  expect((await deliver(chat.body([item]), 0)).status).toBe(200)
  expect(chat.routingOf(psid)).toMatchObject({ pending: [] })
  chat.world.botpress.messages.find((m) => m.tags.recordOf === 'm_dead_after_write')!.createdAt = new Date(
    Date.now() - 31_000
  ).toISOString()
  expect((await deliver(chat.body([item]), 1)).status).toBe(200)
  expect(onTicket(psid)).toEqual(['Abrindo o chamado', 'O cabo está ok'])
})

it('4biz refusing connections on follow-ups (one delivered twice at once): 200 each, the user told once, each lands once when 4biz is back', async () => {
  const psid = '7500000000001400'
  await linkedUser(psid)
  const fourbiz = chat.world.fourbiz
  await fourbiz.refuseConnections()
  try {
    // the first one delivered twice at once: the copy that does not own it waits for the owner's queue
    const twice = chat.body([chat.item(psid, 'Sem sinal')])
    expect((await Promise.all([deliver(twice, 0), deliver(twice, 1)])).map((a) => a.status)).toEqual([200, 200])
    expect((await deliver(chat.body([chat.item(psid, 'Continua sem sinal')]), 1)).status).toBe(200)
    expect(chat.conversationOf(psid).tags).toMatchObject({ ticketQueue: 'waiting' })
  } finally {
    await fourbiz.acceptConnections()
  }
  expect(told(psid, /não conseguimos|indispon/i)).toBe(1)
  await sync(0)
  expect(onTicket(psid)).toEqual(['Abrindo o chamado', 'Sem sinal', 'Continua sem sinal'])
  expect(chat.conversationOf(psid).tags).toMatchObject({ ticketQueue: 'empty' })
})

it('a push of the user’s own follow-up without author or category is not relayed back to the user', async () => {
  const psid = '7500000000001500'
  await linkedUser(psid)
  expect((await deliver(chat.body([chat.item(psid, 'Meu próprio texto')]), 1)).status).toBe(200)
  const ticket = ticketOf(psid)
  const own = ticket.occurrences.find((o) => o.description.startsWith('Meu próprio texto'))!
  const push = await chat.push(
    { ticketNumber: ticket.number, followUp: { number: own.number, text: 'Meu próprio texto' } },
    { overrides: off }
  )
  expect(push.status).toBe(200)
  expect(told(psid, /Meu próprio texto/)).toBe(0)
  // an analyst's follow-up pushed the same way still is
  const reply = chat.world.fourbiz.analystFollowUp(ticket.number, 'Resposta do analista')
  await chat.push(
    { ticketNumber: ticket.number, followUp: { number: reply, text: 'Resposta do analista' } },
    { overrides: off }
  )
  expect(told(psid, /Resposta do analista/)).toBe(1)
})

it('both copies logging in to 4biz at once (the stored session is last-writer-wins): every call answers, one login per copy at most, none after', async () => {
  const psid = '7500000000001600'
  await linkedUser(psid)
  const ticketNumber = ticketOf(psid).number
  const fourbiz = chat.world.fourbiz
  fourbiz.expireSessions() // 4biz restarted: both copies' sessions and the stored one are refused
  const logins = fourbiz.loginCount
  const read = (i: number) => callAction('getTicket', { ticketNumber }, chat.config(off), copies[i % 2])
  const first = await Promise.all([0, 1, 2, 3].map(read))
  expect(first.map((r) => r.status)).toEqual([200, 200, 200, 200])
  expect(fourbiz.loginCount - logins).toBeGreaterThanOrEqual(1)
  expect(fourbiz.loginCount - logins).toBeLessThanOrEqual(2)
  // whichever login the store kept, each copy goes on with a session 4biz accepts
  const stored = chat.world.botpress.getStatePayload('integration', IDS.integrationId, 'fourbizSession')
  expect(fourbiz.activeSessions).toBeGreaterThanOrEqual(1)
  expect(stored.sessionId).toBeTruthy()
  const afterLogins = fourbiz.loginCount
  const again = await Promise.all([0, 1, 2, 3].map(read))
  expect(again.map((r) => r.status)).toEqual([200, 200, 200, 200])
  expect(fourbiz.loginCount).toBe(afterLogins)
  figures['both copies log in at once'] = { calls: 8, logins: afterLogins - logins }
})
