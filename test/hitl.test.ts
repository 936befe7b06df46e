import definition from '../integration.definition'
import { PLUGIN_TEXTS } from '../local/runtime/hitl-plugin'
import { fromFourbizHtml } from '../src/fourbiz/text'
import { quietLogs } from './fourbiz-setup'
import { callAction, callOperation } from './harness'
import { HitlWorld, startHitlWorld } from './hitl-setup'

/**
 * 4biz as a HITL provider: the hitl interface's actions, channel and events driven through the
 * handler, with the HITL plugin's part played as the plugin does it (local/runtime/hitl-plugin.ts), for
 * a user on a webchat conversation — a channel this integration does not own.
 */

let w: HitlWorld
beforeEach(async () => {
  w = await startHitlWorld()
})
afterEach(async () => {
  await w.stop()
})

const followUps = (ticket: { occurrences: { description: string; userID: string }[] }) =>
  ticket.occurrences.map((o) => fromFourbizHtml(o.description))
const hitlMessages = (conversationId: string) =>
  w.botpress.messages.filter((m) => m.conversationId === conversationId && m.direction === 'incoming')

describe('the interface', () => {
  it('is hitl 2.1.0, with its actions, events, channel messages and the hitlSession entity', () => {
    expect(definition.interfaces).toMatchObject({
      'hitl<hitlTicket>': {
        name: 'hitl',
        version: '2.1.0',
        entities: { hitlSession: { name: 'hitlTicket' } },
        actions: {
          createUser: { name: 'createUser' },
          startHitl: { name: 'startHitl' },
          stopHitl: { name: 'stopHitl' },
        },
        events: { hitlAssigned: { name: 'hitlAssigned' }, hitlStopped: { name: 'hitlStopped' } },
        channels: { hitl: { name: 'hitl' } },
      },
    })
    // extend() adds them at run time; the definition's static type does not know them
    const channels = definition.channels as Record<string, { messages: Record<string, { schema: any }> }>
    const actions = definition.actions as Record<string, { input: { schema: any } }>
    expect(Object.keys(channels.hitl!.messages).sort()).toEqual(['audio', 'bloc', 'file', 'image', 'text', 'video'])
    const history = actions.startHitl!.input.schema
    expect(
      history.safeParse({
        userId: 'u',
        messageHistory: [{ source: { type: 'bot' }, type: 'text', payload: { text: 'hi' } }],
      }).success
    ).toBe(true)
    expect(history.safeParse({ userId: 'u', messageHistory: [], hitlSession: { urgency: 'now' } }).success).toBe(false)
    const hitlChannel = (definition.channels as any).hitl
    for (const [name, tag] of Object.entries<any>({ ...hitlChannel.conversation.tags, ...hitlChannel.message.tags }))
      expect([name, !!tag.title && !!tag.description]).toEqual([name, true])
    const text = channels.hitl!.messages.text!.schema
    expect(text.safeParse({ text: 'x', additionalData: 'y'.repeat(501) }).success).toBe(false)
  })
})

describe('createUser', () => {
  it('gets or creates the end user by email, keeping the name', async () => {
    const first = await callAction('createUser', { name: 'Carla Dias', email: 'carla@example.com' }, w.config())
    const again = await callAction(
      'createUser',
      { name: 'Carla M. Dias', email: 'carla@example.com', pictureUrl: 'https://x/p.png' },
      w.config()
    )
    expect(first.status).toBe(200)
    expect(again.json.output.userId).toBe(first.json.output.userId)
    expect(w.botpress.users.find((u) => u.id === first.json.output.userId)).toMatchObject({
      name: 'Carla M. Dias',
      pictureUrl: 'https://x/p.png',
      tags: { email: 'carla@example.com' },
    })
  })

  it('without an email every call is a new user', async () => {
    const a = await callAction('createUser', { name: 'Anon' }, w.config())
    const b = await callAction('createUser', { name: 'Anon' }, w.config())
    expect([a.status, b.status]).toEqual([200, 200])
    expect(a.json.output.userId).not.toBe(b.json.output.userId)
  })

  it('refuses an input without a name, naming the field', async () => {
    const restore = quietLogs()
    const res = await callAction('createUser', { email: 'x@example.com' }, w.config())
    restore()
    expect(res.status).toBe(400)
    expect(res.json.message).toMatch(/createUser.*"name"/)
  })
})

describe('startHitl', () => {
  it('opens a ticket with the title, the description and the conversation history, on a new hitl conversation', async () => {
    const carla = await callAction('createUser', { name: 'Carla Dias', email: 'carla@example.com' }, w.config())
    const userId = carla.json.output.userId
    const res = await callAction(
      'startHitl',
      {
        userId,
        title: 'Printer offline',
        description: 'The user asked for a person',
        hitlSession: { urgency: 'high', type: 'incident' },
        messageHistory: [
          { source: { type: 'user', userId }, type: 'text', payload: { text: 'My printer is offline' } },
          {
            source: { type: 'bot' },
            type: 'choice',
            payload: { text: 'Did you restart it?', options: [{ label: 'Yes', value: 'y' }] },
          },
          { source: { type: 'user', userId }, type: 'image', payload: { imageUrl: 'https://files.example/panel.png' } },
        ],
      },
      w.config()
    )
    expect(res.status).toBe(200)
    const conversation = w.botpress.conversations.find((c) => c.id === res.json.output.conversationId)!
    expect(conversation).toMatchObject({ channel: 'hitl', tags: { fourbizSync: 'yes' } })
    const ticket = w.fourbiz.ticket(conversation.tags.ticketNumber!)!
    expect(fromFourbizHtml(ticket.description).split('\n')).toEqual([
      'Printer offline',
      '',
      'The user asked for a person',
      '',
      'Carla Dias: My printer is offline',
      'Bot: Did you restart it? [Yes]',
      'Carla Dias: (image) https://files.example/panel.png',
    ])
    expect(ticket).toMatchObject({ urgency: 'H', type: 'I', userID: `bp.${userId}`, contact: { name: 'Carla Dias' } })
    expect(w.events('ticketCreated').map((e) => e.payload)).toEqual([
      expect.objectContaining({ ticketNumber: ticket.number, conversationId: conversation.id, userId }),
    ])
  })

  it('is idempotent: the same call twice is one ticket and one conversation', async () => {
    const { json } = await callAction('createUser', { name: 'Davi', email: 'davi@example.com' }, w.config())
    const input = {
      userId: json.output.userId,
      title: 'VPN',
      messageHistory: [{ source: { type: 'bot' }, type: 'text', payload: { text: 'Hello' } }],
    }
    const a = await callAction('startHitl', input, w.config())
    const b = await callAction('startHitl', input, w.config())
    expect(b.json.output.conversationId).toBe(a.json.output.conversationId)
    expect(w.fourbiz.tickets.size).toBe(1)
    expect(w.events('ticketCreated')).toHaveLength(1)
  })

  it('refuses an unknown user and a missing messageHistory, naming the field', async () => {
    const restore = quietLogs()
    const unknown = await callAction('startHitl', { userId: 'user_nobody', messageHistory: [] }, w.config())
    const missing = await callAction('startHitl', { userId: 'user_nobody' }, w.config())
    restore()
    expect(unknown.status).toBe(400)
    expect(unknown.json.message).toMatch(/startHitl.*"userId" user_nobody/)
    expect(missing.json.message).toMatch(/startHitl.*"messageHistory"/)
    expect(w.fourbiz.tickets.size).toBe(0)
  })
})

describe('a webchat user handed off through the HITL plugin', () => {
  it('talks to a 4biz analyst: messages become follow-ups, the analyst reply arrives once (push then pull), the resolution ends the session', async () => {
    const ana = w.webchatUser('Ana Webchat')
    await w.userSays(ana, 'text', { text: 'Hi, I need help with my email' })
    w.botSays(ana.conversationId, 'Sure, let me get you a person.')
    const hitlId = await w.startHitl(ana, { title: 'Email problem', description: 'Escalated from webchat' })

    expect(w.seenBy(ana)).toEqual(['Sure, let me get you a person.', PLUGIN_TEXTS.handoff])
    const ticket = w.ticketOf(ana)
    expect(fromFourbizHtml(ticket.description)).toContain(
      'Ana Webchat: Hi, I need help with my email\nBot: Sure, let me get you a person.'
    )

    await w.userSays(ana, 'text', { text: 'Outlook says the password is wrong' })
    await w.userSays(ana, 'image', { imageUrl: `${w.files.url}/screen.png` })
    expect(followUps(ticket)).toEqual(['Outlook says the password is wrong', `(image) ${w.files.url}/screen.png`])
    expect(ticket.attachments.map((a) => a.name)).toEqual(['screen.png'])
    expect(w.botMessages).toHaveLength(1) // only the message before the handoff reached the bot

    const followUpNumber = w.fourbiz.analystFollowUp(
      ticket.number,
      'Hi Ana, please reset it at https://passwords.example',
      'maria.analista'
    )
    expect(
      (
        await w.push({
          ticketNumber: ticket.number,
          followUp: {
            number: followUpNumber,
            text: 'Hi Ana, please reset it at https://passwords.example',
            author: 'maria.analista',
          },
        })
      ).status
    ).toBe(200)
    const analyst = w.botpress.users.find((u) => u.tags.fourbizAnalyst === 'maria.analista')!
    expect(w.events('hitlAssigned').map((e) => e.payload)).toEqual([{ conversationId: hitlId, userId: analyst.id }])
    expect(hitlMessages(hitlId).map((m) => [m.userId, m.payload.text, m.tags.followUpNumber])).toEqual([
      [analyst.id, 'Hi Ana, please reset it at https://passwords.example', followUpNumber],
    ])
    expect(w.seenBy(ana).slice(2)).toEqual([
      PLUGIN_TEXTS.agentAssigned,
      'Hi Ana, please reset it at https://passwords.example',
    ])
    expect(w.botpress.conversations.find((c) => c.id === ana.conversationId)!.tags).toMatchObject({
      humanAgentId: analyst.id,
      humanAgentName: 'maria.analista',
    })

    // the pull finds the same follow-up: nothing is posted again
    expect((await w.sync()).json.output).toMatchObject({ relayed: 0, errors: [] })
    await w.push({ ticketNumber: ticket.number })
    expect(hitlMessages(hitlId)).toHaveLength(1)
    expect(w.events('hitlAssigned')).toHaveLength(1)

    await w.userSays(ana, 'text', { text: 'It worked, thanks!' })
    expect(followUps(ticket).slice(-1)).toEqual(['It worked, thanks!'])

    w.fourbiz.setStatus(ticket.number, 'Resolvida')
    expect((await w.sync()).json.output).toMatchObject({ statusChanges: 1, errors: [] })
    expect(w.events('hitlStopped').map((e) => e.payload)).toEqual([{ conversationId: hitlId }])
    expect(w.events('handoffEnded')).toHaveLength(0)
    expect(w.seenBy(ana).slice(-1)).toEqual([PLUGIN_TEXTS.stopped])
    expect(w.continued).toEqual([ana.conversationId])
    expect(w.botpress.conversations.find((c) => c.id === hitlId)!.tags.ticketNumber).toBeUndefined()

    // the session is over: the user's next message is the bot's again
    await w.userSays(ana, 'text', { text: 'One more question' })
    expect(w.botMessages.map((m) => m.payload.text)).toEqual(['Hi, I need help with my email', 'One more question'])
    expect(followUps(ticket).slice(-1)).toEqual(['It worked, thanks!'])
  })

  it('a user of the official Messenger integration hands off the same way (no psid of this integration involved)', async () => {
    const kim = w.webchatUser('Kim Messenger', 'messenger', { id: '9988776655443322', recipientId: '104857600999999' })
    await w.userSays(kim, 'text', { text: 'Olá, preciso de ajuda' })
    const hitlId = await w.startHitl(kim, { title: 'Messenger (official integration)' })
    const ticket = w.ticketOf(kim)
    await w.userSays(kim, 'text', { text: 'O sistema está fora do ar' })
    w.fourbiz.analystFollowUp(ticket.number, 'Já estamos verificando.')
    await w.sync()
    expect(w.seenBy(kim).slice(-2)).toEqual([PLUGIN_TEXTS.agentAssigned, 'Já estamos verificando.'])
    w.fourbiz.setStatus(ticket.number, 'Fechada')
    await w.sync()
    expect(followUps(ticket)).toEqual(['O sistema está fora do ar', 'Já estamos verificando.'])
    expect(w.events('hitlStopped').map((e) => e.payload)).toEqual([{ conversationId: hitlId }])
    expect(w.seenBy(kim).slice(-1)).toEqual([PLUGIN_TEXTS.stopped])
    // nothing went to this integration's Messenger channel or the Graph API
    expect(w.botpress.conversations.filter((c) => c.channel === 'messenger')).toEqual([])
  })

  it('4biz down when the session starts: startHitl fails with a message the bot builder can act on, nothing is half-made', async () => {
    const lea = w.webchatUser('Lea')
    await w.userSays(lea, 'text', { text: 'hello' })
    await w.fourbiz.refuseConnections()
    const restore = quietLogs()
    const res = await callAction(
      'startHitl',
      {
        userId: (await callAction('createUser', { name: 'Lea', email: 'lea@example.com' }, w.config())).json.output
          .userId,
        messageHistory: [],
      },
      w.config()
    )
    restore()
    expect(res.status).toBe(400)
    expect(res.json.message).toMatch(/4biz/)
    expect(w.botpress.conversations.filter((c) => c.channel === 'hitl')).toEqual([])
  })

  it('every file type the channel allows reaches the ticket as an attachment (image, audio, video, file, bloc)', async () => {
    const bia = w.webchatUser('Bia')
    await w.userSays(bia, 'text', { text: 'help' })
    await w.startHitl(bia)
    const url = (p: string) => `${w.files.url}${p}`
    await w.userSays(bia, 'audio', { audioUrl: url('/voice.ogg') })
    await w.userSays(bia, 'video', { videoUrl: url('/clip.mp4') })
    await w.userSays(bia, 'file', { fileUrl: url('/report.pdf'), title: 'Monthly report' })
    await w.userSays(bia, 'bloc', {
      items: [
        { type: 'text', payload: { text: 'Both screens:' } },
        { type: 'image', payload: { imageUrl: url('/screen.png') } },
      ],
    })
    const ticket = w.ticketOf(bia)
    expect(followUps(ticket)).toEqual([
      `(audio) ${url('/voice.ogg')}`,
      `(video) ${url('/clip.mp4')}`,
      `(Monthly report) ${url('/report.pdf')}`,
      `Both screens:\n(image) ${url('/screen.png')}`,
    ])
    expect(ticket.attachments.map((a) => a.name)).toEqual(['voice.ogg', 'clip.mp4', 'report.pdf', 'screen.png'])
  })

  it('4biz down: the user’s messages wait (the channel never fails) and land once, in order, when 4biz is back', async () => {
    const caio = w.webchatUser('Caio')
    await w.userSays(caio, 'text', { text: 'hello' })
    await w.startHitl(caio)
    const ticket = w.ticketOf(caio)
    await w.fourbiz.refuseConnections()
    const restore = quietLogs()
    await w.userSays(caio, 'text', { text: 'first' })
    await w.userSays(caio, 'text', { text: 'second' })
    restore()
    expect(followUps(ticket)).toEqual([])
    const hitlId = w.downstreamOf(caio.conversationId)
    expect(w.botpress.getStatePayload('conversation', hitlId, 'routing').pending.map((p: any) => p.text)).toEqual([
      'first',
      'second',
    ])
    await w.fourbiz.acceptConnections()
    expect((await w.sync()).json.output).toMatchObject({ pending: 0, errors: [] })
    expect(followUps(ticket)).toEqual(['first', 'second'])
    await w.sync()
    expect(followUps(ticket)).toEqual(['first', 'second'])
  })

  it('a redelivered hitl message is put on the ticket once', async () => {
    const dani = w.webchatUser('Dani')
    await w.userSays(dani, 'text', { text: 'hello' })
    const hitlId = await w.startHitl(dani)
    await w.userSays(dani, 'text', { text: 'only once' })
    const message = w.botpress.messages.filter((m) => m.conversationId === hitlId).slice(-1)[0]!
    const conversation = w.botpress.conversations.find((c) => c.id === hitlId)!
    const user = w.botpress.users.find((u) => u.id === message.payload.userId)!
    const again = await callOperation(
      'message_created',
      { type: 'text', payload: message.payload, conversation, message, user },
      w.config()
    )
    expect(again.status).toBe(200)
    expect(followUps(w.ticketOf(dani))).toEqual(['only once'])
  })
})

describe('the plugin’s stop paths end the 4biz side', () => {
  const NOTE = /^O bot encerrou a sessão HITL/

  it('Stop HITL card: the notice and a note go on the ticket, it stays open, hitlStopped goes out, nothing is relayed after', async () => {
    const eva = w.webchatUser('Eva')
    await w.userSays(eva, 'text', { text: 'hello' })
    const hitlId = await w.startHitl(eva)
    const ticket = w.ticketOf(eva)
    await w.stopHitl(eva)
    expect(followUps(ticket)).toEqual([`Bot: ${PLUGIN_TEXTS.userCancelled}`, expect.stringMatching(NOTE)])
    expect(ticket.status.code).toBe('EmAndamento')
    expect(w.events('hitlStopped').map((e) => e.payload)).toEqual([{ conversationId: hitlId }])
    expect(w.botpress.conversations.find((c) => c.id === hitlId)!.tags).not.toHaveProperty('ticketNumber')

    w.fourbiz.analystFollowUp(ticket.number, 'Are you still there?')
    expect((await w.sync()).json.output).toMatchObject({ tickets: 0, relayed: 0 })
    expect(hitlMessages(hitlId)).toHaveLength(0)
    // stopping twice does nothing
    expect((await callAction('stopHitl', { conversationId: hitlId }, w.config())).status).toBe(200)
    expect(followUps(ticket)).toHaveLength(3)
  })

  it('the "/end" command with hitlCancelOnStop: the ticket is cancelled', async () => {
    w.setOverrides({ hitlCancelOnStop: true })
    const fabio = w.webchatUser('Fábio')
    await w.userSays(fabio, 'text', { text: 'hello' })
    await w.startHitl(fabio)
    await w.userSays(fabio, 'text', { text: '/END' })
    const ticket = w.ticketOf(fabio)
    expect(ticket.status.code).toBe('Cancelada')
    expect(followUps(ticket)[0]).toBe(`Bot: ${PLUGIN_TEXTS.userCancelled}`)
    expect(w.seenBy(fabio).slice(-1)).toEqual([PLUGIN_TEXTS.userClosed])
    expect(w.continued).toEqual([fabio.conversationId])
  })

  it('no analyst in time (the plugin’s timeout): stopHitl ends the ticket side; 4biz down meanwhile finishes it by the next sync', async () => {
    await w.stop()
    w = await startHitlWorld({ plugin: { agentAssignedTimeoutSeconds: 3600 } })
    const gil = w.webchatUser('Gil')
    await w.userSays(gil, 'text', { text: 'hello' })
    const hitlId = await w.startHitl(gil)
    const ticket = w.ticketOf(gil)
    await w.fourbiz.refuseConnections()
    const restore = quietLogs()
    await w.plugin.fireAgentTimeout(gil.conversationId)
    await w.settle()
    restore()
    expect(w.seenBy(gil).slice(-1)).toEqual([PLUGIN_TEXTS.timeout])
    expect(followUps(ticket)).toEqual([])
    expect(w.events('hitlStopped')).toHaveLength(0)
    await w.fourbiz.acceptConnections()
    await w.sync()
    expect(followUps(ticket)).toEqual([`Bot: ${PLUGIN_TEXTS.userCancelled}`, expect.stringMatching(NOTE)])
    expect(w.events('hitlStopped').map((e) => e.payload)).toEqual([{ conversationId: hitlId }])
  })

  it('stopHitl refuses a conversation that is not a HITL session, naming the field', async () => {
    const messenger = w.world.messengerUser('7012345678900001', 'Helena')
    const restore = quietLogs()
    const res = await callAction('stopHitl', { conversationId: messenger.conversationId }, w.config())
    restore()
    expect(res.status).toBe(400)
    expect(res.json.message).toMatch(/stopHitl.*"conversationId".*not a HITL session/)
  })
})

describe('hitlStopped from 4biz', () => {
  it.each([
    ['closed', 'Fechada'],
    ['cancelled', 'Cancelada'],
  ])('the ticket %s (push): hitlStopped and the plugin hands the user back', async (_kind, code) => {
    const ivo = w.webchatUser('Ivo')
    await w.userSays(ivo, 'text', { text: 'hello' })
    const hitlId = await w.startHitl(ivo)
    const ticket = w.ticketOf(ivo)
    w.fourbiz.setStatus(ticket.number, code)
    expect((await w.push({ ticketNumber: ticket.number, status: code })).status).toBe(200)
    expect(w.events('hitlStopped').map((e) => e.payload)).toEqual([{ conversationId: hitlId }])
    expect(w.events('ticketUpdated').map((e) => e.payload)).toEqual([
      expect.objectContaining({ ticketNumber: ticket.number, final: true, conversationId: hitlId }),
    ])
    expect(w.seenBy(ivo).slice(-1)).toEqual([PLUGIN_TEXTS.stopped])
  })

  it('the ticket deleted in 4biz: hitlStopped, nothing left pending', async () => {
    const jo = w.webchatUser('Jo')
    await w.userSays(jo, 'text', { text: 'hello' })
    const hitlId = await w.startHitl(jo)
    w.fourbiz.tickets.delete(w.ticketOf(jo).number)
    const restore = quietLogs()
    await w.userSays(jo, 'text', { text: 'anyone?' })
    restore()
    expect(w.events('hitlStopped').map((e) => e.payload)).toEqual([{ conversationId: hitlId }])
    expect(w.botpress.getStatePayload('conversation', hitlId, 'routing').pending).toEqual([])
    expect(w.seenBy(jo).slice(-1)).toEqual([PLUGIN_TEXTS.stopped])
  })
})
