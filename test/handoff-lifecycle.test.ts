import { Chat, startChat, stopChat } from './routing-setup'

/**
 * Handoff and analyst replies that never strand a user or lose a reply: finished tickets, tickets opened
 * with createTicket, replies after a resolution, the push answer, both sides in the Botpress conversation.
 */

let chat: Chat

beforeAll(async () => {
  chat = await startChat()
})
afterAll(() => stopChat(chat))

it.each([
  ['Resolvida', 'resolvida'],
  ['Fechada', 'fechada'],
  ['Cancelada', 'cancelada'],
])('startHandoff on a %s ticket refuses, and the user stays with the bot', async (status) => {
  const psid = `76000000000000${status.length}${status.charCodeAt(0)}`
  await chat.say(psid, 'Oi')
  const conversationId = chat.conversationOf(psid).id
  const opened = await chat.action('createTicket', { conversationId, description: 'Meu crachá não abre a porta' })
  const ticketNumber = opened.json.output.ticketNumber
  chat.world.fourbiz.setStatus(
    ticketNumber,
    status === 'Resolvida' ? 'Resolvida' : status === 'Fechada' ? 'Fechada' : 'Cancelada'
  )

  const res = await chat.action('startHandoff', { conversationId, ticketNumber })
  expect(res.status).toBeGreaterThanOrEqual(400)
  expect(res.body).toMatch(
    new RegExp(`ticket ${ticketNumber} is ${status} \\(finished\\).*without ticketNumber to open a new ticket`)
  )
  expect(chat.conversationOf(psid).tags.ticketNumber).toBeUndefined()
  await chat.say(psid, 'menu')
  expect(chat.botInbox().at(-1)).toBe('menu')
  expect(chat.world.fourbiz.ticket(ticketNumber)!.occurrences.map((o) => o.description)).not.toContain('menu')
})

it('a ticket opened with createTicket is followed: the analyst reply and the cancel reach the user; the bot keeps the conversation', async () => {
  const psid = '7600000000000100'
  await chat.say(psid, 'Oi')
  const conversationId = chat.conversationOf(psid).id
  const { ticketNumber } = (
    await chat.action('createTicket', { conversationId, description: 'Preciso de um monitor novo' })
  ).json.output
  expect(chat.conversationOf(psid).tags.fourbizSync).toBe('yes')

  chat.world.fourbiz.analystFollowUp(ticketNumber, 'Qual o modelo do monitor atual?')
  expect((await chat.action('syncTicketUpdates', {})).json.output).toMatchObject({ relayed: 1, errors: [] })
  expect(chat.received(psid)).toEqual([`[Chamado ${ticketNumber}] Qual o modelo do monitor atual?`])
  expect(chat.events('agentReplied').at(-1)!.payload).toMatchObject({
    ticketNumber,
    delivered: true,
    handedOff: false,
    conversationId,
  })
  // the user's answer goes to the bot, which may offer "reply on ticket N" (startHandoff with ticketNumber)
  await chat.say(psid, 'Dell 22 polegadas')
  expect(chat.botInbox().at(-1)).toBe('Dell 22 polegadas')

  chat.world.fourbiz.setStatus(ticketNumber, 'Cancelada')
  await chat.action('syncTicketUpdates', {})
  expect(chat.received(psid)).toEqual([
    `Seu chamado ${ticketNumber} foi cancelado. Se precisar de algo mais, é só escrever.`,
  ])
  expect(chat.events('ticketUpdated').at(-1)!.payload).toMatchObject({
    ticketNumber,
    status: 'Cancelada',
    final: true,
    handedOff: false,
  })
  expect(chat.events('handoffEnded').filter((e) => e.payload.ticketNumber === ticketNumber)).toEqual([])

  // nothing twice on the next runs
  await chat.action('syncTicketUpdates', {})
  await chat.push({ ticketNumber })
  expect(chat.received(psid)).toEqual([])
})

it('a reply written after Resolve still reaches the user, by push and by pull, once', async () => {
  const psid = '7600000000000200'
  await chat.say(psid, 'Oi')
  const conversationId = chat.conversationOf(psid).id
  const { ticketNumber } = (await chat.action('startHandoff', { conversationId, description: 'Impressora' })).json
    .output
  chat.world.fourbiz.setStatus(ticketNumber, 'Resolvida')
  expect((await chat.push({ ticketNumber, status: 'Resolvida' })).json).toMatchObject({
    linked: true,
    statusChanges: 1,
  })
  chat.received(psid)
  expect(chat.conversationOf(psid).tags.ticketNumber).toBeUndefined()

  const late = chat.world.fourbiz.analystFollowUp(ticketNumber, 'Esqueci: reinicie o spooler se voltar.')
  const pushed = await chat.push({
    ticketNumber,
    followUp: { number: late, text: 'Esqueci: reinicie o spooler se voltar.', author: 'analista.n1' },
  })
  expect(pushed.json).toMatchObject({ linked: true, relayed: 1 })
  await chat.action('syncTicketUpdates', {})
  expect(chat.received(psid)).toEqual([`[Chamado ${ticketNumber}] Esqueci: reinicie o spooler se voltar.`])
})

it('"Talk about it" on a followed ticket delivers the analyst replies the user has not seen yet', async () => {
  const psid = '7600000000000300'
  await chat.say(psid, 'Oi')
  const conversationId = chat.conversationOf(psid).id
  const { ticketNumber } = (await chat.action('createTicket', { conversationId, description: 'Acesso ao SAP' })).json
    .output
  chat.world.fourbiz.analystFollowUp(ticketNumber, 'Qual o seu centro de custo?')
  // no push, no sync yet: the user has not seen it
  expect(chat.received(psid)).toEqual([])
  const linked = await chat.action('startHandoff', { conversationId, ticketNumber })
  expect(linked.json.output).toEqual({ ticketNumber, created: false })
  expect(chat.received(psid)).toEqual([`[Chamado ${ticketNumber}] Qual o seu centro de custo?`])
  await chat.say(psid, 'CC 4410')
  expect(chat.world.fourbiz.ticket(ticketNumber)!.occurrences.map((o) => o.description)).toContain('CC 4410')
})

it('the push answer tells the truth: who it reached, and why not', async () => {
  // a ticket whose requester is not a Messenger user of this Page
  const stranger = chat.world.messengerUser('x')
  const user = chat.world.botpress.users.find((u) => u.id === stranger.userId)!
  delete user.tags.psid
  const { ticketNumber: foreign } = (
    await chat.action('createTicket', { userId: stranger.userId, description: 'Pedido por telefone' })
  ).json.output
  const nobody = await chat.push({ ticketNumber: foreign })
  expect(nobody.status).toBe(200)
  expect(nobody.json).toMatchObject({
    linked: false,
    relayed: 0,
    reason: expect.stringMatching(/not a Messenger user of this Page/),
  })

  // a user outside Messenger's window: relayed to the ticket's note, not delivered, and said so
  const psid = '7600000000000400'
  const eightDaysAgo = Date.now() - 8 * 24 * 3600_000
  await chat.say(psid, 'Oi', { at: eightDaysAgo })
  const conversationId = chat.conversationOf(psid).id
  // as Botpress would have stamped it eight days ago
  for (const m of chat.world.botpress.messages.filter((x) => x.conversationId === conversationId))
    m.createdAt = new Date(eightDaysAgo).toISOString()
  const { ticketNumber } = (await chat.action('createTicket', { conversationId, description: 'Antigo' })).json.output
  const f = chat.world.fourbiz.analystFollowUp(ticketNumber, 'Ainda precisa?')
  const late = await chat.push({ ticketNumber, followUp: { number: f, text: 'Ainda precisa?' } })
  expect(late.json).toMatchObject({ linked: true, relayed: 1, undelivered: [expect.stringMatching(/past the 7 days/)] })
  expect(chat.events('deliveryFailed').at(-1)!.payload).toMatchObject({ ticketNumber, code: 'window' })
})

it('the Botpress conversation of a handed-off user lists both sides, and the bot saw neither', async () => {
  const psid = '7600000000000500'
  await chat.say(psid, 'Oi')
  const conversationId = chat.conversationOf(psid).id
  const { ticketNumber } = (await chat.action('startHandoff', { conversationId, description: 'VPN' })).json.output
  await chat.say(psid, 'A VPN não conecta')
  chat.world.fourbiz.analystFollowUp(ticketNumber, 'Reinicie o cliente, por favor.')
  await chat.action('syncTicketUpdates', {})
  expect(chat.conversationView(psid)).toEqual([
    'User: Oi',
    'User (record): A VPN não conecta',
    `Bot (record): [Chamado ${ticketNumber}] Reinicie o cliente, por favor.`,
  ])
  expect(chat.botInbox().filter((t) => /VPN não conecta|Reinicie/.test(t))).toEqual([])
  const records = chat.world.botpress.messages.filter(
    (m) => m.conversationId === conversationId && m.origin === 'synthetic'
  )
  expect(records.map((m) => m.tags.ticketNumber)).toEqual([ticketNumber, ticketNumber])
})

it('the ticket reads in the order things happened, in one time zone (Brasília): transcript ties put the user first', async () => {
  const psid = '7600000000000600'
  await chat.say(psid, 'Preciso de ajuda')
  const conversationId = chat.conversationOf(psid).id
  // the bot's reply stamped in the same millisecond as the message that caused it
  const userMessage = chat.world.botpress.messages.filter((m) => m.conversationId === conversationId).at(-1)!
  const reply = chat.world.botpress.createBotMessage(conversationId, 'text', { text: 'Claro! Vou chamar um analista.' })
  reply.createdAt = userMessage.createdAt
  // listed newest first, as the API does, with the reply first
  chat.world.botpress.messages.splice(chat.world.botpress.messages.indexOf(reply), 1)
  chat.world.botpress.messages.splice(chat.world.botpress.messages.indexOf(userMessage), 0, reply)
  const { ticketNumber } = (await chat.action('startHandoff', { conversationId, description: 'Ajuda' })).json.output
  await chat.say(psid, 'É no e-mail')
  chat.world.fourbiz.analystFollowUp(ticketNumber, 'Vou olhar.')
  const ticket = chat.world.fourbiz.ticket(ticketNumber)!
  const lines = ticket.description
    .replace(/<br\s*\/?>/g, '\n')
    .split('\n')
    .filter((l) => /^\[\d\d:\d\d\]/.test(l))
  expect(lines.map((l) => l.replace(/^\[\d\d:\d\d\] /, ''))).toEqual([
    'User: Preciso de ajuda',
    'Bot: Claro! Vou chamar um analista.',
  ])
  const brasilia = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'America/Sao_Paulo',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(userMessage.createdAt))
  expect(lines[0]!.slice(1, 6)).toBe(brasilia)
  // the integration's follow-up and the analyst's are written on the same (tenant) clock
  const clock = (at: number) =>
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'America/Sao_Paulo',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(new Date(at))
  const around = [clock(Date.now() - 60_000), clock(Date.now())]
  expect(ticket.occurrences.map((o) => o.userID)).toEqual(['botpress.integration', 'analista.n1'])
  expect(ticket.occurrences.every((o) => around.includes(o.hour))).toBe(true)
})
