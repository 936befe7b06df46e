import * as fs from 'node:fs'
import * as path from 'node:path'
import { PAGE_ID, metaJson } from './harness'
import { Chat, PUSH_SECRET, startChat, stopChat } from './routing-setup'

/** Nothing lost, nothing duplicated: outages, redelivery bursts, concurrency, push authentication. */

let chat: Chat
const off = { helperInterception: false }

beforeAll(async () => {
  chat = await startChat()
})
afterAll(() => stopChat(chat))

function figures(name: string, rows: Record<string, number | string>) {
  const dir = path.join(__dirname, '..', 'test-results')
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, `figures-${name}.json`), JSON.stringify(rows, null, 2))
}

it('a burst of redeliveries during a 4biz outage: 200 each time (kept as pending work), then exactly one ticket and each follow-up once', async () => {
  const psid = '7400000000000001'
  chat.graph.setProfile(psid, { first_name: 'Dora' })
  const fourbiz = chat.world.fourbiz
  const bodies = ['O sistema de ponto está fora', 'Aparece erro 500', 'Já tentei em outro navegador'].map((text) =>
    chat.body([chat.item(psid, text)])
  )

  fourbiz.fault = () => 'reset' // 4biz down: connections dropped
  const during: number[] = []
  for (let round = 0; round < 3; round++) for (const body of bodies) during.push((await chat.post(body, off)).status)
  // Meta must never see failures for a 4biz outage (it unsubscribes the Page after an hour of them)
  expect(during).toEqual(Array(9).fill(200))
  expect(chat.routingOf(psid)!.pending.map((p: { text: string }) => p.text)).toEqual([
    'O sistema de ponto está fora',
    'Aparece erro 500',
    'Já tentei em outro navegador',
  ])
  expect(fourbiz.tickets.size).toBe(0)
  // the user was told once that the ticket can't be opened yet, not once per redelivery
  expect(chat.graph.sent(psid).map((s) => s.message.text)).toEqual([
    expect.stringMatching(/^Não conseguimos abrir seu chamado agora/),
  ])

  fourbiz.fault = undefined
  const after: number[] = []
  for (let round = 0; round < 2; round++) for (const body of bodies) after.push((await chat.post(body, off)).status)
  expect(after).toEqual(Array(6).fill(200))

  expect(fourbiz.tickets.size).toBe(1)
  const ticket = [...fourbiz.tickets.values()][0]!
  expect(ticket.description).toBe('O sistema de ponto está fora')
  expect(ticket.occurrences.map((o) => o.description)).toEqual(['Aparece erro 500', 'Já tentei em outro navegador'])
  expect(chat.graph.sent(psid).filter((s) => /abrimos o chamado/.test(s.message.text ?? ''))).toHaveLength(1)
  figures('outage-burst', {
    messagesSent: 3,
    webhookDeliveries: 15,
    answered503: during.filter((s) => s === 503).length,
    tickets: fourbiz.tickets.size,
    followUps: ticket.occurrences.length,
  })
})

it('concurrent first messages of one user never open two tickets', async () => {
  const psid = '7400000000000002'
  chat.graph.setProfile(psid, { first_name: 'Edu' })
  const fourbiz = chat.world.fourbiz
  const before = fourbiz.tickets.size
  const texts = ['Oi, preciso de ajuda', 'com o e-mail', 'que não sincroniza']
  const statuses = await Promise.all(
    texts.map((text) => chat.post(chat.body([chat.item(psid, text)]), off).then((r) => r.status))
  )
  expect(statuses).toEqual([200, 200, 200])
  expect(fourbiz.tickets.size).toBe(before + 1)
  const ticket = [...fourbiz.tickets.values()].at(-1)!
  const all = [ticket.description, ...ticket.occurrences.map((o) => o.description)].sort()
  expect(all).toEqual([...texts].sort())
  expect(chat.events('ticketCreated').filter((e) => e.payload.ticketNumber === ticket.number)).toHaveLength(1)
  figures('concurrent-first', {
    messagesSent: 3,
    tickets: fourbiz.tickets.size - before,
    followUps: ticket.occurrences.length,
  })
})

it('a redelivered batch with several messages forwards each message once', async () => {
  const psid = '7400000000000003'
  chat.graph.setProfile(psid, { first_name: 'Fabi' })
  await chat.say(psid, 'Abrindo chamado', { overrides: off })
  const ticketNumber = chat.routingOf(psid)!.ticketNumber as string
  const body = chat.body([chat.item(psid, 'um'), chat.item(psid, 'dois')])
  await chat.post(body, off)
  await chat.post(body, off)
  expect(chat.world.fourbiz.ticket(ticketNumber)!.occurrences.map((o) => o.description)).toEqual(['um', 'dois'])
})

it('push and pull relay each analyst follow-up exactly once, whatever the order and repeats', async () => {
  const psid = '7400000000000004'
  chat.graph.setProfile(psid, { first_name: 'Gabi' })
  await chat.say(psid, 'Preciso de acesso ao SAP', { overrides: off })
  const ticketNumber = chat.routingOf(psid)!.ticketNumber as string
  const fourbiz = chat.world.fourbiz
  const a = fourbiz.analystFollowUp(ticketNumber, 'Qual transação?')
  const b = fourbiz.analystFollowUp(ticketNumber, 'Liberado, teste por favor.')
  await chat.push(
    { ticketNumber, followUp: { number: b, text: 'Liberado, teste por favor.', author: 'analista.n1' } },
    { overrides: off }
  )
  await chat.push(
    { ticketNumber, followUp: { number: b, text: 'Liberado, teste por favor.', author: 'analista.n1' } },
    { overrides: off }
  )
  await chat.action('syncTicketUpdates', {}, off)
  await chat.push({ ticketNumber }, { overrides: off })
  await chat.action('syncTicketUpdates', {}, off)
  const texts = chat.graph
    .sent(psid)
    .map((s) => s.message.text)
    .slice(1)
  expect(texts).toEqual([
    `[Chamado ${ticketNumber}] Liberado, teste por favor.`,
    `[Chamado ${ticketNumber}] Qual transação?`,
  ])
  expect(
    chat
      .events('agentReplied')
      .filter((e) => e.payload.ticketNumber === ticketNumber)
      .map((e) => e.payload.followUpNumber)
      .sort()
  ).toEqual([a, b].sort())
})

it('a person answering from the Page inbox, edits and standby messages are recorded on the linked ticket', async () => {
  const psid = '7400000000000005'
  chat.graph.setProfile(psid, { first_name: 'Hugo' })
  await chat.say(psid, 'Meu notebook não liga', { overrides: off })
  const ticketNumber = chat.routingOf(psid)!.ticketNumber as string
  const now = Date.now()
  const echo = (mid: string, text: string, appId: string) => ({
    sender: { id: PAGE_ID },
    recipient: { id: psid },
    timestamp: now,
    message: { is_echo: true, app_id: appId, mid, text },
  })
  const raw = metaJson({
    object: 'page',
    entry: [
      {
        id: PAGE_ID,
        time: now,
        messaging: [
          echo('m_inbox_1', 'Oi Hugo, aqui é a Júlia do suporte.', '263902037430900'),
          echo('m_ours_1', 'Recebemos sua mensagem', '880011223344556'),
          {
            sender: { id: psid },
            recipient: { id: PAGE_ID },
            timestamp: now + 1,
            message_edit: { mid: 'm_x', text: 'Meu notebook não liga nem na tomada', num_edit: 1 },
          },
        ],
        standby: [
          {
            sender: { id: psid },
            recipient: { id: PAGE_ID },
            timestamp: now + 2,
            message: { mid: 'm_sb_1', text: 'escrito enquanto outro app tinha a conversa' },
          },
        ],
      },
    ],
  })
  expect((await chat.post(raw, off)).status).toBe(200)
  expect((await chat.post(raw, off)).status).toBe(200)
  const descriptions = chat.world.fourbiz.ticket(ticketNumber)!.occurrences.map((o) => o.description)
  expect(descriptions).toEqual([
    'Resposta enviada pela Caixa de entrada da Página: Oi Hugo, aqui é a Júlia do suporte.',
    'O usuário editou uma mensagem: Meu notebook não liga nem na tomada',
    'Mensagem recebida enquanto outro aplicativo controlava a conversa: escrito enquanto outro app tinha a conversa',
  ])
  // recorded notes are the integration's own: never relayed to the user
  expect((await chat.action('syncTicketUpdates', { ticketNumber }, off)).json.output.relayed).toBe(0)
})

it('a linked ticket 4biz no longer knows: the message is not lost, it opens a new ticket', async () => {
  const psid = '7400000000000006'
  chat.graph.setProfile(psid, { first_name: 'Iris' })
  await chat.say(psid, 'Primeiro problema', { overrides: off })
  const gone = chat.routingOf(psid)!.ticketNumber as string
  chat.world.fourbiz.tickets.delete(gone) // purged by a 4biz administrator
  const res = await chat.say(psid, 'Ainda sem resposta?', { overrides: off })
  expect(res.status).toBe(200)
  const ticketNumber = chat.routingOf(psid)!.ticketNumber as string
  expect(ticketNumber).not.toBe(gone)
  expect(chat.world.fourbiz.ticket(ticketNumber)!.description).toBe('Ainda sem resposta?')
  expect(chat.lines.at(-1)).toContain(`abrimos o chamado ${ticketNumber}`)
})

it('Helper on, the handed-off ticket purged in 4biz: the user’s next message reaches the bot, once', async () => {
  const psid = '7400000000000016'
  chat.graph.setProfile(psid, { first_name: 'Joana' })
  await chat.say(psid, 'Oi')
  const conversationId = chat.conversationOf(psid).id
  const { ticketNumber } = (await chat.action('startHandoff', { conversationId })).json.output
  chat.world.fourbiz.tickets.delete(ticketNumber) // purged by a 4biz administrator
  const mid = 'm_after_purge'
  expect((await chat.say(psid, 'Alguém aí?', { mid })).status).toBe(200)
  expect((await chat.say(psid, 'Alguém aí?', { mid })).status).toBe(200) // Meta redelivers
  expect(chat.routingOf(psid)!.ticketNumber).toBeUndefined()
  expect(chat.botInbox().filter((t) => t === 'Alguém aí?')).toHaveLength(1)
})

describe('push endpoint authentication', () => {
  it.each([
    ['a wrong secret', { secret: 'wrong' }],
    ['a stale timestamp (replay)', { timestamp: Date.now() - 10 * 60_000 }],
    ['a timestamp from the future', { timestamp: Date.now() + 10 * 60_000 }],
  ])('refuses %s with 401', async (_name, opts) => {
    const res = await chat.push({ ticketNumber: '1001' }, opts)
    expect(res.status).toBe(401)
    expect(res.body).not.toContain(PUSH_SECRET)
  })

  it('refuses a missing signature, and answers 404 when no secret is configured', async () => {
    const { callWebhook } = await import('./harness')
    expect(
      (await callWebhook({ path: '/4biz', body: '{"ticketNumber":"1"}', headers: {} }, chat.config())).status
    ).toBe(401)
    expect((await chat.push({ ticketNumber: '1' }, { overrides: { fourbizWebhookSecret: '' } })).status).toBe(404)
  })

  it('answers 400 naming the field for a bad body, and 200 (not linked) for a ticket of no conversation', async () => {
    const bad = await chat.push({ followUp: { number: '1' } })
    expect(bad.status).toBe(400)
    expect(bad.json.error).toMatch(/ticketNumber/)
    expect(bad.json.error).toMatch(/followUp\.text/)
    const unlinked = await chat.push({ ticketNumber: '999999' })
    expect(unlinked.status).toBe(200)
    expect(unlinked.json).toMatchObject({ linked: false, relayed: 0 })
  })
})

it('a long 4biz outage with a chatty user: past 40 waiting messages Meta keeps the rest (503), and nothing is lost when 4biz is back', async () => {
  const psid = '7400000000000090'
  const fourbiz = chat.world.fourbiz
  fourbiz.fault = () => ({ status: 503, raw: 'Service Unavailable', headers: { 'content-type': 'text/plain' } })
  const items = Array.from({ length: 42 }, (_, i) => chat.item(psid, `mensagem ${i + 1}`, { at: Date.now() + i }))
  const statuses = []
  for (const item of items) statuses.push((await chat.post(chat.body([item]), off)).status)
  expect(statuses.slice(0, 40)).toEqual(Array(40).fill(200))
  expect(statuses.slice(40)).toEqual([503, 503])
  fourbiz.fault = undefined
  await chat.action('syncTicketUpdates', {}, off)
  // Meta redelivers the two it kept
  for (const item of items.slice(40)) expect((await chat.post(chat.body([item]), off)).status).toBe(200)
  const ticket = chat.world.fourbiz.ticket(chat.conversationOf(psid).tags.ticketNumber!)!
  const held = [
    ticket.description,
    ...ticket.occurrences.filter((o) => o.userID === 'botpress.integration').map((o) => o.description),
  ]
  expect(held).toEqual(items.map((_, i) => `mensagem ${i + 1}`))
})
