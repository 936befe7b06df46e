import { resolveConfig } from '../src/config'
import { automaticText } from '../src/routing/texts'
import { baseConfig } from './harness'
import { Chat, startChat, stopChat } from './routing-setup'

/** Automatic texts by language, overrides from the configuration, and a cancelled ticket. */

let chat: Chat
beforeAll(async () => {
  chat = await startChat()
})
afterAll(() => stopChat(chat))

it('Spanish texts with an overridden opening; a cancelled ticket tells the user and ends the handoff', async () => {
  const psid = '7500000000000001'
  chat.graph.setProfile(psid, { first_name: 'Lucía' })
  const es = {
    helperInterception: false,
    language: 'es' as const,
    textTicketOpened: 'Ticket {ticketNumber} abierto ✅',
  }
  await chat.say(psid, 'No puedo entrar al correo', { overrides: es })
  const ticketNumber = chat.routingOf(psid)!.ticketNumber as string
  expect(chat.lines.at(-1)).toBe(`Chat: Ticket ${ticketNumber} abierto ✅`)

  chat.world.fourbiz.analystFollowUp(ticketNumber, '¿Qué error aparece?')
  await chat.action('syncTicketUpdates', {}, es)
  expect(chat.received(psid)).toEqual([`[Ticket ${ticketNumber}] ¿Qué error aparece?`])

  const cancelled = await chat.action('cancelTicket', { ticketNumber, reason: 'Duplicado' }, es)
  expect(cancelled.json.output.statusCode).toBe('Cancelada')
  await chat.action('syncTicketUpdates', {}, es)
  expect(chat.received(psid)).toEqual([`Tu ticket ${ticketNumber} fue cancelado. Si necesitas algo más, escríbenos.`])
  expect(chat.events('handoffEnded').at(-1)!.payload).toMatchObject({ ticketNumber, reason: 'cancelled' })
})

it.each([
  ['pt-BR', 'ticketResolved', 'Seu chamado 42 foi resolvido. Se precisar de algo mais, é só escrever.'],
  ['en', 'ticketClosed', 'Your ticket 42 was closed. Write again if you need anything else.'],
  ['es', 'agentReplyPrefix', '[Ticket 42] '],
  [
    'en',
    'ticketUnavailable',
    "We can't open your ticket right now. We'll try again shortly; your message is not lost.",
  ],
] as const)('%s %s', (language, key, expected) => {
  expect(automaticText(resolveConfig(baseConfig({ language })), key, { ticketNumber: '42' })).toBe(expected)
})

it('an override replaces {ticketNumber} and {author}', () => {
  const config = resolveConfig(baseConfig({ textAgentReplyPrefix: '{author} (chamado {ticketNumber}): ' }))
  expect(automaticText(config, 'agentReplyPrefix', { ticketNumber: '7', author: 'carla.n2' })).toBe(
    'carla.n2 (chamado 7): '
  )
})
