import { Chat, startChat, stopChat } from './routing-setup'

/** Helper interception on: the bot talks first, hands off with startHandoff, and gets the user back. */

const PSID = '7200000000000002'
let chat: Chat

beforeAll(async () => {
  chat = await startChat()
  chat.graph.setProfile(PSID, { first_name: 'Bruno', last_name: 'Lima', profile_pic: 'https://cdn.example/bruno.jpg' })
})
afterAll(() => stopChat(chat))

it('bot exchange → startHandoff → analyst reply → closed → back to the bot', async () => {
  const { world } = chat
  const fourbiz = world.fourbiz

  // 1. the bot talks first
  await chat.say(PSID, 'Oi')
  const conversationId = chat.conversationOf(PSID).id
  expect(chat.botInbox()).toEqual(['Oi'])
  await chat.botSays(conversationId, 'choice', {
    text: 'Olá Bruno! Como posso ajudar?',
    options: [
      { label: 'Abrir chamado', value: 'OPEN_TICKET' },
      { label: 'Meus chamados', value: 'MY_TICKETS' },
      { label: 'Falar com analista', value: 'HANDOFF' },
    ],
  })
  for (const l of chat.received(PSID)) chat.log('Chat', l)
  expect(chat.lines.at(-1)).toBe(
    'Chat: Olá Bruno! Como posso ajudar? [Abrir chamado | Meus chamados | Falar com analista]'
  )

  // 2. the user taps a quick reply: the bot gets its value and hands off
  await chat.post(chat.body([chat.item(PSID, 'Falar com analista', { quickReply: 'HANDOFF' })]))
  chat.log('User', '(taps "Falar com analista")')
  expect(chat.botInbox()).toEqual(['Oi', 'HANDOFF'])
  const handoff = await chat.action('startHandoff', { conversationId, description: 'Usuário pediu um analista' })
  expect(handoff.status).toBe(200)
  const { ticketNumber, created } = handoff.json.output
  expect(created).toBe(true)
  const ticket = fourbiz.ticket(ticketNumber)!
  // the ticket carries the recent transcript
  expect(ticket.description).toContain('Usuário pediu um analista')
  expect(ticket.description).toMatch(/Bruno Lima: Oi/)
  expect(ticket.description).toMatch(
    /Bot: Olá Bruno! Como posso ajudar\? \[Abrir chamado \/ Meus chamados \/ Falar com analista\]/
  )
  expect(ticket.description).toMatch(/Bruno Lima: Falar com analista \(HANDOFF\)/)
  expect(chat.events('handoffStarted').map((e) => e.payload)).toEqual([
    { ticketNumber, conversationId, userId: expect.any(String) },
  ])
  await chat.botSays(conversationId, 'text', { text: `Transferi você para um analista. Chamado ${ticketNumber}.` })
  for (const l of chat.received(PSID)) chat.log('Chat', l)
  // repeating the action does not open a second ticket
  expect((await chat.action('startHandoff', { conversationId })).json.output).toEqual({ ticketNumber, created: false })

  // 3. while handed off, user messages go to the ticket, not to the bot
  await chat.say(PSID, 'A VPN cai a cada 5 minutos')
  expect(chat.botInbox()).toEqual(['Oi', 'HANDOFF'])
  expect(ticket.occurrences.map((o) => o.description)).toEqual(['A VPN cai a cada 5 minutos'])

  // 4. the analyst's reply reaches the user
  const followUp = fourbiz.analystFollowUp(
    ticketNumber,
    'Bruno, atualize o cliente da VPN para a versão 5.2.',
    'carla.n2'
  )
  chat.log('Analyst', 'Bruno, atualize o cliente da VPN para a versão 5.2.')
  const push = await chat.push({
    ticketNumber,
    followUp: { number: followUp, text: 'Bruno, atualize o cliente da VPN para a versão 5.2.', author: 'carla.n2' },
  })
  expect(push.json).toMatchObject({ relayed: 1 })
  for (const l of chat.received(PSID)) chat.log('Chat', l)
  expect(chat.lines.at(-1)).toBe(`Chat: [Chamado ${ticketNumber}] Bruno, atualize o cliente da VPN para a versão 5.2.`)
  expect(chat.events('agentReplied').map((e) => e.payload)).toEqual([
    expect.objectContaining({
      ticketNumber,
      followUpNumber: followUp,
      author: 'carla.n2',
      delivered: true,
      conversationId,
    }),
  ])

  // 5. the analyst closes: the user is told and is back with the bot
  fourbiz.setStatus(ticketNumber, 'Fechada')
  chat.log('Analyst', '(closes the ticket)')
  expect((await chat.push({ ticketNumber, status: 'Fechada' })).json).toMatchObject({ statusChanges: 1 })
  for (const l of chat.received(PSID)) chat.log('Chat', l)
  expect(chat.lines.at(-1)).toBe(
    `Chat: Seu chamado ${ticketNumber} foi encerrado. Se precisar de algo mais, é só escrever.`
  )
  expect(chat.events('handoffEnded').map((e) => e.payload)).toEqual([
    expect.objectContaining({ ticketNumber, reason: 'closed', conversationId }),
  ])
  expect(chat.routingOf(PSID)).toMatchObject({ nextTicketKey: `after:${ticketNumber}` })
  expect(chat.routingOf(PSID)!.ticketNumber).toBeUndefined()

  await chat.say(PSID, 'Obrigado!')
  expect(chat.botInbox()).toEqual(['Oi', 'HANDOFF', 'Obrigado!'])
  // after the handoff ended, nothing more went to the ticket
  expect(ticket.occurrences.map((o) => o.userID)).toEqual(['botpress.integration', 'carla.n2'])
  chat.saveTranscript('helper-on')
})

it('startHandoff links an existing ticket without relaying its old follow-ups; endHandoff gives it back', async () => {
  const psid = '7200000000000003'
  chat.graph.setProfile(psid, { first_name: 'Carla' })
  await chat.say(psid, 'Olá')
  const conversationId = chat.conversationOf(psid).id
  const created = await chat.action('createTicket', {
    conversationId,
    description: 'Troca de senha',
    idempotencyKey: 'msg-1',
  })
  const ticketNumber = created.json.output.ticketNumber
  chat.world.fourbiz.analystFollowUp(ticketNumber, 'Resposta antiga, antes do link')

  const linked = await chat.action('startHandoff', { conversationId, ticketNumber })
  expect(linked.json.output).toEqual({ ticketNumber, created: false })
  expect((await chat.action('syncTicketUpdates', { ticketNumber })).json.output).toMatchObject({ relayed: 0 })

  const ended = await chat.action('endHandoff', { conversationId, reason: 'Resolvido pelo bot' })
  expect(ended.json.output).toEqual({ ticketNumber })
  expect(chat.world.fourbiz.ticket(ticketNumber)!.occurrences.at(-1)!.description).toBe(
    'Atendimento devolvido ao bot: Resolvido pelo bot'
  )
  expect(chat.events('handoffEnded').at(-1)!.payload).toMatchObject({ ticketNumber, reason: 'endHandoff' })
  await chat.say(psid, 'de volta ao bot')
  expect(chat.botInbox()).toContain('de volta ao bot')
})

it('bad inputs are RuntimeErrors naming the field', async () => {
  expect((await chat.action('startHandoff', {})).json.message).toMatch(/conversationId/)
  expect((await chat.action('startHandoff', { conversationId: 'conv_nope' })).json.message).toMatch(
    /conv_nope.*does not exist/
  )
  expect((await chat.action('endHandoff', { conversationId: 42 })).json.message).toMatch(/conversationId/)
  expect((await chat.action('syncTicketUpdates', { ticketNumber: 5 })).json.message).toMatch(/ticketNumber/)
})
