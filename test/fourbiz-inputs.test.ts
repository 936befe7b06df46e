import { quietLogs, startWorld, World } from './fourbiz-setup'

/** Bad action inputs: a RuntimeError naming the field, and nothing sent to 4biz. */

let w: World
let restoreLogs: () => void
beforeAll(async () => {
  restoreLogs = quietLogs()
  w = await startWorld()
})
afterAll(async () => {
  await w.stop()
  restoreLogs()
})

const cases: [string, string, unknown, string][] = [
  ['createTicket', 'no description', { userId: 'user_1' }, 'Invalid input for createTicket: "description" required'],
  ['createTicket', 'empty description', { description: '', userId: 'user_1' }, '"description"'],
  [
    'createTicket',
    'urgency not high|medium|low',
    { description: 'x', userId: 'user_1', urgency: 'urgent' },
    '"urgency"',
  ],
  ['createTicket', 'type not incident|request', { description: 'x', userId: 'user_1', type: 'problem' }, '"type"'],
  [
    'createTicket',
    'attachment that is not a URL',
    { description: 'x', userId: 'user_1', attachmentUrls: ['not a url'] },
    '"attachmentUrls.0"',
  ],
  [
    'createTicket',
    'neither userId nor conversationId',
    { description: 'x' },
    'Invalid input for createTicket: "userId" or "conversationId" is required to know who the requester is.',
  ],
  ['getTicket', 'no ticketNumber', {}, 'Invalid input for getTicket: "ticketNumber"'],
  ['getTicket', 'ticketNumber not a string', { ticketNumber: 1001 }, '"ticketNumber"'],
  [
    'listTickets',
    'nobody to list',
    { status: 'Resolvida' },
    'Invalid input for listTickets: "userId", "conversationId" or "requesterLogin" is required.',
  ],
  ['addTicketComment', 'empty text', { ticketNumber: '1001', text: '' }, '"text"'],
  ['cancelTicket', 'no reason', { ticketNumber: '1001' }, 'Invalid input for cancelTicket: "reason"'],
]

it.each(cases)('%s with %s → RuntimeError naming the field', async (type, _label, input, expected) => {
  const before = w.fourbiz.calls.length
  const res = await w.action(type, input)
  expect(res.status).toBe(400)
  expect(res.json.type).toBe('Runtime')
  expect(res.json.message).toContain(expected)
  expect(w.fourbiz.calls.length).toBe(before)
})

it('an unknown Botpress user or a conversation that is not Messenger is named', async () => {
  const unknown = await w.action('createTicket', { description: 'x', userId: 'user_nope' })
  expect(unknown.json.message).toBe(
    'Botpress user "user_nope" does not exist: pass the user id of the conversation, e.g. {{event.userId}}.'
  )
  const now = new Date().toISOString()
  w.botpress.conversations.push({
    id: 'conv_webchat',
    channel: 'channel',
    integration: 'webchat',
    tags: {},
    createdAt: now,
    updatedAt: now,
  })
  const notMessenger = await w.action('createTicket', { description: 'x', conversationId: 'conv_webchat' })
  expect(notMessenger.json.message).toBe(
    'Conversation "conv_webchat" is not a Messenger conversation of this integration (it has no psid tag): pass userId instead.'
  )
})

it('a configuration without the 4biz connection is named before any call', async () => {
  const res = await w.action('getTicket', { ticketNumber: '1' }, { fourbizUrl: '', fourbizPassword: '' })
  expect(res.json.message).toBe('The 4biz connection is not configured: set fourbizUrl, fourbizPassword.')
})
