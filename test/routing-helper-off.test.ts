import { Chat, startChat, stopChat } from './routing-setup'

/**
 * Helper interception off: every Messenger conversation goes straight to a 4biz ticket. The whole life
 * of one conversation, end to end through `handler`, with the Botpress, Graph and 4biz fakes.
 */

const PSID = '7200000000000001'
let chat: Chat

beforeAll(async () => {
  chat = await startChat()
  chat.graph.setProfile(PSID, { first_name: 'Ana', last_name: 'Conceição', profile_pic: 'https://cdn.example/ana.jpg' })
})
afterAll(() => stopChat(chat))

const off = { helperInterception: false }

it('open → follow-ups with files → analyst reply by push → by pull → resolved → a new ticket', async () => {
  const { world, graph } = chat
  const fourbiz = world.fourbiz

  // 1. the first message opens a ticket and the user gets its number
  const first = await chat.say(PSID, 'Minha impressora não imprime desde ontem', { overrides: off })
  expect(first.status).toBe(200)
  expect(fourbiz.tickets.size).toBe(1)
  const [ticket] = [...fourbiz.tickets.values()]
  expect(ticket).toMatchObject({
    description: 'Minha impressora não imprime desde ontem',
    userID: `fb.${PSID}`,
    origin: 'Facebook',
    service: { code: '170' },
    status: { code: 'EmAndamento' },
  })
  expect(fourbiz.requesters.get(`fb.${PSID}`)).toMatchObject({ name: 'Ana Conceição', unit: 'Atendimento Digital' })
  expect(chat.lines.at(-1)).toBe(
    `Chat: Recebemos sua mensagem e abrimos o chamado ${ticket!.number}. Um analista responderá por aqui.`
  )
  expect(chat.events('ticketCreated')).toHaveLength(1)
  expect(chat.events('handoffStarted')).toHaveLength(1)

  // 2. later messages are follow-ups; files and images go into the ticket
  await chat.post(
    chat.body([
      chat.item(PSID, 'Segue o print e o log', {
        attachments: [
          { type: 'image', payload: { url: `${chat.files.url}/print.png` } },
          { type: 'file', payload: { url: `${chat.files.url}/log.txt` } },
        ],
      }),
    ]),
    off
  )
  chat.log('User', 'Segue o print e o log [image print.png] [file log.txt]')
  await chat.say(PSID, 'É a HP do 3º andar', { overrides: off })
  expect(ticket!.occurrences.map((o) => o.description)).toEqual([
    expect.stringContaining('Segue o print e o log'),
    'É a HP do 3º andar',
  ])
  expect(
    ticket!.occurrences.every((o) => o.userID === 'botpress.integration' && o.category.code === 'Acompanhamento')
  ).toBe(true)
  expect(ticket!.attachments.map((a) => `${a.name}`)).toEqual(['print.png', 'log.txt'])

  // 3. an analyst reply, pushed by a 4biz automation, reaches the user once
  fourbiz.analystFollowUp(ticket!.number, 'Olá Ana, vou verificar a fila de impressão.')
  chat.log('Analyst', 'Olá Ana, vou verificar a fila de impressão.')
  const push = await chat.push({ ticketNumber: ticket!.number }, { overrides: off })
  expect(push.status).toBe(200)
  expect(push.json).toMatchObject({ linked: true, relayed: 1, statusChanges: 0 })
  for (const l of chat.received(PSID)) chat.log('Chat', l)
  expect(chat.lines.at(-1)).toBe(`Chat: [Chamado ${ticket!.number}] Olá Ana, vou verificar a fila de impressão.`)

  // 4. another one, pulled by syncTicketUpdates; pushing and pulling again relays nothing twice
  fourbiz.analystFollowUp(ticket!.number, 'Reinstalei o driver. Pode testar?')
  chat.log('Analyst', 'Reinstalei o driver. Pode testar?')
  const sync = await chat.action('syncTicketUpdates', {}, off)
  expect(sync.json.output).toMatchObject({
    conversations: 1,
    tickets: 1,
    relayed: 1,
    statusChanges: 0,
    pending: 0,
    complete: true,
    errors: [],
  })
  for (const l of chat.received(PSID)) chat.log('Chat', l)
  expect((await chat.push({ ticketNumber: ticket!.number }, { overrides: off })).json).toMatchObject({ relayed: 0 })
  expect((await chat.action('syncTicketUpdates', { ticketNumber: ticket!.number }, off)).json.output).toMatchObject({
    relayed: 0,
  })
  expect(chat.received(PSID)).toEqual([])
  expect(chat.events('agentReplied').map((e) => e.payload.delivered)).toEqual([true, true])

  await chat.say(PSID, 'Funcionou, obrigada!', { overrides: off })

  // 5. the analyst resolves: the user is told, the conversation unlinks
  fourbiz.setStatus(ticket!.number, 'Resolvida', 'Driver reinstalado')
  chat.log('Analyst', '(resolves the ticket)')
  await chat.action('syncTicketUpdates', {}, off)
  for (const l of chat.received(PSID)) chat.log('Chat', l)
  expect(chat.lines.at(-1)).toBe(
    `Chat: Seu chamado ${ticket!.number} foi resolvido. Se precisar de algo mais, é só escrever.`
  )
  expect(chat.events('ticketUpdated').at(-1)!.payload).toMatchObject({ status: 'Resolvida', final: true })
  expect(chat.events('handoffEnded').at(-1)!.payload).toMatchObject({
    ticketNumber: ticket!.number,
    reason: 'resolved',
  })
  expect(chat.routingOf(PSID)).toMatchObject({ nextTicketKey: `after:${ticket!.number}`, pending: [] })
  expect(chat.routingOf(PSID)!.ticketNumber).toBeUndefined()

  // 6. the next message opens a new ticket
  await chat.say(PSID, 'Agora o scanner também parou', { overrides: off })
  expect(fourbiz.tickets.size).toBe(2)
  const second = [...fourbiz.tickets.values()][1]!
  expect(second.description).toBe('Agora o scanner também parou')
  expect(chat.lines.at(-1)).toContain(`abrimos o chamado ${second.number}`)

  // the bot never saw any of it; the integration's own follow-ups were never relayed back
  expect(chat.botInbox()).toEqual([])
  expect(graph.sent(PSID).some((s) => /Segue o print|HP do 3/.test(JSON.stringify(s.message)))).toBe(false)
  chat.saveTranscript('helper-off')
})
