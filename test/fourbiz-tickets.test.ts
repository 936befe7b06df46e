import { startFileServer, startWorld, quietLogs, World } from './fourbiz-setup'

/** Ticket actions through the real `handler` (action_triggered) against the Botpress and 4biz fakes. */

let w: World
let restoreLogs: () => void
beforeEach(async () => {
  restoreLogs = quietLogs()
  w = await startWorld()
})
afterEach(async () => {
  await w.stop()
  restoreLogs()
})

const PSID = '7300000000000001'

describe('createTicket', () => {
  it('opens a ticket for a Messenger user, creating the requester on the way', async () => {
    const { userId } = w.messengerUser(PSID, 'Maria Souza')
    const res = await w.action('createTicket', {
      description: 'A impressora não imprime',
      title: 'Impressora',
      userId,
      urgency: 'high',
      impact: 'low',
      type: 'incident',
    })
    expect(res.status).toBe(200)
    const out = res.json.output
    expect(out).toMatchObject({
      ticketNumber: '1001',
      created: true,
      title: 'Impressora',
      description: 'Impressora\n\nA impressora não imprime',
      status: 'Em andamento',
      statusCode: 'EmAndamento',
      activity: '170',
      requesterLogin: `fb.${PSID}`,
      type: 'I',
    })
    expect(out.numberOrigin).toMatch(/^bp-[0-9a-f]{24}$/)
    expect(out.openedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/)

    // what 4biz holds: requester in defaultUnit and the parameter-45 group, ticket with origin and contract
    const snap = w.fourbiz.snapshot()
    expect(snap.requesters).toEqual([
      expect.objectContaining({
        login: `fb.${PSID}`,
        name: 'Maria Souza',
        unit: 'Atendimento Digital',
        group: 'Solicitantes Facebook',
      }),
    ])
    const ticket = w.fourbiz.ticket('1001')!
    expect(ticket).toMatchObject({
      origin: 'Facebook',
      contractID: '1',
      urgency: 'H',
      impact: 'L',
      type: 'I',
      service: { code: '170' },
      platform: 'BOTPRESS',
    })
    expect(ticket.description).toBe('Impressora<br><br>A impressora não imprime')

    // the wire: login, then create with synchronize and the sessionID in the body
    expect(w.fourbiz.calls.map((c) => c.path)).toEqual(['/4biz/services/login', '/4biz/services/request/create'])
    const login = w.fourbiz.calls[0]!.body
    expect(login).toMatchObject({
      userName: 'botpress.integration',
      password: 'fourbiz-password',
      platform: 'BOTPRESS',
    })
    const create = w.fourbiz.calls[1]!.body
    expect(create.synchronize).toBe(true)
    expect(typeof create.sessionID).toBe('string')
    expect(create.sourceRequest).toMatchObject({
      userID: `fb.${PSID}`,
      contact: { name: 'Maria Souza', department: 'Atendimento Digital' },
    })

    // the login is kept on the Botpress user; the event carries user (and no conversation: none was given)
    expect(w.botpress.users.find((u) => u.id === userId)!.tags.requesterLogin).toBe(`fb.${PSID}`)
    expect(w.botpress.events).toEqual([
      expect.objectContaining({
        type: 'ticketCreated',
        userId,
        payload: { ticketNumber: '1001', numberOrigin: out.numberOrigin, requesterLogin: `fb.${PSID}`, userId },
      }),
    ])
  })

  it('finds the requester from the conversation, and later tickets reuse the login without logging in again', async () => {
    const { userId, conversationId } = w.messengerUser(PSID, 'Maria Souza')
    const first = await w.action('createTicket', { description: 'Primeiro', conversationId })
    expect(first.json.output).toMatchObject({ ticketNumber: '1001', created: true, requesterLogin: `fb.${PSID}` })
    expect(w.botpress.events[0]).toMatchObject({ conversationId, userId, payload: { conversationId, userId } })

    const before = w.fourbiz.calls.length
    const second = await w.action('createTicket', { description: 'Segundo', userId })
    expect(second.json.output).toMatchObject({ ticketNumber: '1002', created: true, requesterLogin: `fb.${PSID}` })
    expect(w.fourbiz.calls.slice(before).map((c) => c.path)).toEqual(['/4biz/services/request/create'])
    expect(w.fourbiz.snapshot().requesters).toHaveLength(1)
  })

  it('is idempotent: the same request twice is one ticket, one event', async () => {
    const { userId } = w.messengerUser(PSID, 'Maria')
    const a = await w.action('createTicket', { description: 'Sem internet', userId })
    const b = await w.action('createTicket', { description: 'Sem internet', userId })
    expect(a.json.output.created).toBe(true)
    expect(b.json.output).toMatchObject({
      created: false,
      ticketNumber: a.json.output.ticketNumber,
      numberOrigin: a.json.output.numberOrigin,
    })
    expect(w.fourbiz.tickets.size).toBe(1)
    expect(w.botpress.events.filter((e) => e.type === 'ticketCreated')).toHaveLength(1)
    // the duplicate answer resolved through getById by numberOrigin
    expect(w.fourbiz.callsToOperation('request/getById').at(-1)!.body).toMatchObject({
      numberOrigin: a.json.output.numberOrigin,
    })

    const other = await w.action('createTicket', { description: 'Sem internet de novo', userId })
    expect(other.json.output).toMatchObject({ created: true, ticketNumber: '1002' })
  })

  it('uses idempotencyKey when given, whatever the text', async () => {
    const { userId } = w.messengerUser(PSID)
    const a = await w.action('createTicket', { description: 'Texto A', userId, idempotencyKey: 'mid.123' })
    const b = await w.action('createTicket', { description: 'Texto B', userId, idempotencyKey: 'mid.123' })
    expect(b.json.output).toMatchObject({ created: false, ticketNumber: a.json.output.ticketNumber })
    expect(w.fourbiz.tickets.size).toBe(1)
  })

  it('sends activity, defaultContract and a requester name for users without a profile', async () => {
    const { userId } = w.messengerUser(PSID)
    const res = await w.action(
      'createTicket',
      { description: 'Acesso ao sistema', activity: '171', userId },
      { defaultContract: '2' }
    )
    expect(res.json.output).toMatchObject({ activity: '171', created: true })
    expect(w.fourbiz.ticket('1001')).toMatchObject({
      contractID: '2',
      service: { code: '171', name: 'Solicitação de acesso' },
    })
    expect(w.fourbiz.snapshot().requesters[0]).toMatchObject({ name: `Messenger ${PSID}` })
  })

  it('escapes markup from users: analysts never get HTML from a stranger', async () => {
    const { userId } = w.messengerUser(PSID)
    const res = await w.action('createTicket', {
      description: '<img src=x onerror=alert(1)> & "aspas"\nlinha 2',
      userId,
    })
    expect(w.fourbiz.ticket('1001')!.description).toBe(
      '&lt;img src=x onerror=alert(1)&gt; &amp; &quot;aspas&quot;<br>linha 2'
    )
    expect(res.json.output.description).toBe('<img src=x onerror=alert(1)> & "aspas"\nlinha 2')
  })

  it('downloads attachment URLs and sends them with addAttachments, one file per call', async () => {
    const files = await startFileServer({
      '/docs/erro.txt': { body: 'stack trace', type: 'text/plain' },
      '/render': { body: 'PDFDATA', type: 'application/pdf', disposition: 'attachment; filename="relatório.pdf"' },
    })
    try {
      const { userId } = w.messengerUser(PSID)
      const res = await w.action('createTicket', {
        description: 'Com anexos',
        userId,
        attachmentUrls: [`${files.url}/docs/erro.txt`, `${files.url}/render?sig=abc`],
      })
      expect(res.status).toBe(200)
      expect(w.fourbiz.ticket('1001')!.attachments).toEqual([
        expect.objectContaining({ name: 'erro.txt', extension: 'txt', size: 11 }),
        expect.objectContaining({ name: 'relatório.pdf', extension: 'pdf', size: 7 }),
      ])
      const calls = w.fourbiz.callsToOperation('request/addAttachments')
      expect(calls).toHaveLength(2)
      expect(calls[0]!.body).toMatchObject({
        requestNumber: '1001',
        mediaType: 'application/json',
        attachments: [{ name: 'erro.txt', extension: 'txt', content: Buffer.from('stack trace').toString('base64') }],
      })

      // a repeated call resolves the ticket and does not attach the files twice
      const again = await w.action('createTicket', {
        description: 'Com anexos',
        userId,
        attachmentUrls: [`${files.url}/docs/erro.txt`, `${files.url}/render?sig=abc`],
      })
      expect(again.json.output.created).toBe(false)
      expect(w.fourbiz.ticket('1001')!.attachments).toHaveLength(2)
    } finally {
      await files.stop()
    }
  })

  it('refuses an attachment above 10 MB before creating anything', async () => {
    const files = await startFileServer({
      '/big.bin': { body: 'a'.repeat(10 * 1024 * 1024 + 1), type: 'application/octet-stream' },
    })
    try {
      const { userId } = w.messengerUser(PSID)
      const res = await w.action('createTicket', {
        description: 'Arquivo grande',
        userId,
        attachmentUrls: [`${files.url}/big.bin`],
      })
      expect(res.status).toBe(400)
      expect(res.json.message).toBe(
        `Attachment ${files.url}/big.bin is larger than 10 MB: send a smaller file or a link.`
      )
      expect(w.fourbiz.tickets.size).toBe(0)
    } finally {
      await files.stop()
    }
  })

  it('names an attachment URL that cannot be downloaded', async () => {
    const files = await startFileServer({})
    try {
      const { userId } = w.messengerUser(PSID)
      const res = await w.action('createTicket', {
        description: 'x',
        userId,
        attachmentUrls: [`${files.url}/missing.png?token=secret`],
      })
      expect(res.json.message).toBe(`Attachment ${files.url}/missing.png could not be downloaded: HTTP 404.`)
      expect(w.fourbiz.tickets.size).toBe(0)
    } finally {
      await files.stop()
    }
  })
})

describe('getTicket, listTickets, addTicketComment, cancelTicket', () => {
  async function twoTickets() {
    const { userId, conversationId } = w.messengerUser(PSID, 'Maria')
    await w.action('createTicket', { description: 'Um', userId })
    await w.action('createTicket', { description: 'Dois', userId })
    return { userId, conversationId }
  }

  it('getTicket reads a ticket in camelCase, with dates in ISO', async () => {
    await twoTickets()
    w.fourbiz.dateFormat = 'epoch'
    const res = await w.action('getTicket', { ticketNumber: '1002' })
    expect(res.json.output).toEqual({
      ticketNumber: '1002',
      numberOrigin: expect.stringMatching(/^bp-/),
      description: 'Dois',
      status: 'Em andamento',
      statusCode: 'EmAndamento',
      openedAt: new Date(w.fourbiz.ticket('1002')!.openedAt).toISOString(),
      deadline: new Date(w.fourbiz.ticket('1002')!.deadline).toISOString(),
      activity: '170',
      requesterLogin: `fb.${PSID}`,
      group: 'N1',
      type: 'R',
    })
  })

  it('listTickets lists the requester tickets newest first, by user, conversation or login, with a status filter', async () => {
    const { userId, conversationId } = await twoTickets()
    w.fourbiz.setStatus('1001', 'Resolvida')
    const byUser = await w.action('listTickets', { userId })
    expect(byUser.json.output.tickets.map((t: any) => t.ticketNumber)).toEqual(['1002', '1001'])
    const byConversation = await w.action('listTickets', { conversationId, status: 'resolvida' })
    expect(byConversation.json.output.tickets.map((t: any) => [t.ticketNumber, t.status])).toEqual([
      ['1001', 'Resolvida'],
    ])
    const byLogin = await w.action('listTickets', { requesterLogin: `fb.${PSID}`, status: 'Em andamento' })
    expect(byLogin.json.output.tickets.map((t: any) => t.ticketNumber)).toEqual(['1002'])
  })

  it('listTickets of a Messenger user who never opened one is empty', async () => {
    const { userId } = w.messengerUser('7300000000000999')
    const res = await w.action('listTickets', { userId })
    expect(res.json.output).toEqual({ tickets: [] })
  })

  it('addTicketComment writes a follow-up with the configured category, once per idempotency key', async () => {
    await twoTickets()
    const a = await w.action('addTicketComment', { ticketNumber: '1001', text: 'Já reiniciei', idempotencyKey: 'k1' })
    const b = await w.action('addTicketComment', { ticketNumber: '1001', text: 'Já reiniciei', idempotencyKey: 'k1' })
    const c = await w.action(
      'addTicketComment',
      { ticketNumber: '1001', text: 'Outra coisa' },
      { followUpCategory: 'Informação' }
    )
    expect(a.json.output).toEqual({ followUpNumber: '5001' })
    expect(b.json.output).toEqual({ followUpNumber: '5001' })
    expect(c.json.output).toEqual({ followUpNumber: '5002' })
    const occurrences = w.fourbiz.ticket('1001')!.occurrences
    expect(occurrences).toEqual([
      expect.objectContaining({
        number: '5001',
        description: 'Já reiniciei',
        userID: 'botpress.integration',
        category: { code: 'Acompanhamento', name: 'Acompanhamento com o Cliente' },
      }),
      expect.objectContaining({ number: '5002', category: { code: 'Informação', name: 'Informação' } }),
    ])
    expect(occurrences[0]!.date).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(occurrences[0]!.hour).toMatch(/^\d{2}:\d{2}$/)
  })

  it('cancelTicket cancels with the reason, and cancelling again changes nothing', async () => {
    await twoTickets()
    const res = await w.action('cancelTicket', { ticketNumber: '1001', reason: 'Resolvido pelo bot' })
    expect(res.json.output).toMatchObject({ ticketNumber: '1001', status: 'Cancelada', statusCode: 'Cancelada' })
    expect(w.fourbiz.ticket('1001')!.statusHistory.at(-1)).toMatchObject({
      code: 'Cancelada',
      details: 'Resolvido pelo bot',
      by: 'botpress.integration',
    })
    const before = w.fourbiz.callsToOperation('request/updateStatus').length
    const again = await w.action('cancelTicket', { ticketNumber: '1001', reason: 'de novo' })
    expect(again.json.output).toMatchObject({ status: 'Cancelada' })
    expect(w.fourbiz.callsToOperation('request/updateStatus')).toHaveLength(before)
  })

  it('cancelTicket sends the tenant spelling of statusCancelled', async () => {
    await twoTickets()
    const res = await w.action('cancelTicket', { ticketNumber: '1002', reason: 'x' }, { statusCancelled: 'Cancelled' })
    expect(res.status).toBe(400)
    expect(w.fourbiz.callsToOperation('request/updateStatus')[0]!.body.status).toEqual({
      code: 'Cancelled',
      details: 'x',
    })
    expect(res.json.message).toContain('statusCancelled')
  })
})
