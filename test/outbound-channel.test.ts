import { createHmac } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { format } from 'node:util'
import type { BotpressFake } from './fakes/botpress'
import { GraphFake, startGraph } from './fakes/graph'
import { APP_SECRET, baseConfig, callAction, PAGE_ID, PAGE_TOKEN, sendBotMessage, startBotpress } from './harness'

/**
 * The messenger channel through `handler` (message_created with the x-bp-* headers), against the Botpress
 * fake and the strict Graph fake: what each message type becomes on the wire, the ack, and the errors.
 */

const PSID = '7000000000000002'
const PROOF = createHmac('sha256', APP_SECRET).update(PAGE_TOKEN).digest('hex')
const config = baseConfig()

let botpress: BotpressFake
let graph: GraphFake
let conversationId: string
let output: string[]
/** Rows of the closing-note table: what each case put on the wire. */
const table: { type: string; payload: string; requests: string[] }[] = []

beforeAll(async () => {
  process.env.MESSENGER_GRAPH_RETRY_BASE_MS = '5'
  botpress = await startBotpress()
  graph = await startGraph()
  graph.setProfile(PSID, { first_name: 'Ana', last_name: 'Souza' })
  const res = await callAction('getOrCreateConversation', { conversation: { psid: PSID } }, config)
  conversationId = res.json.output.conversationId
})
afterAll(async () => {
  delete process.env.MESSENGER_GRAPH_RETRY_BASE_MS
  await Promise.all([botpress.stop(), graph.stop()])
  // OUTBOUND_TABLE=path writes the "type → Graph request" table from this run (for the closing note).
  if (process.env.OUTBOUND_TABLE) {
    const rows = table.map(
      (r) => `| ${r.type} | \`${r.payload}\` | ${r.requests.map((q) => `\`${q}\``).join('<br>')} |`
    )
    const header =
      '| type | Botpress payload | `message` of each POST /v25.0/{pageId}/messages (all `messaging_type: RESPONSE`, `metadata: fourbiz-botpress`) |'
    writeFileSync(process.env.OUTBOUND_TABLE, [header, '|---|---|---|', ...rows].join('\n') + '\n')
  }
})
beforeEach(() => {
  graph.clearTraffic()
  graph.fault = undefined
  graph.userMessaged(PSID)
  output = []
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const)
    jest.spyOn(console, level).mockImplementation((...args: unknown[]) => void output.push(format(...args)))
})
afterEach(() => jest.restoreAllMocks())

const send = (type: string, payload: unknown, cfg = config) =>
  sendBotMessage(botpress, conversationId, type, payload, cfg)
const lastBotMessage = () => botpress.messages.filter((m) => m.conversationId === conversationId).at(-1)!
const bodies = () => graph.callsTo('/messages').map((c) => c.body)
/** What Meta accepted, without the echo marker every message carries (checked in sendOk). */
const messagesSent = () => graph.sent(PSID).map(({ message: { metadata, ...message } }) => message)

/** A long request in the table: its shape (text length, quick replies, template sizes) instead of its JSON. */
function shape(message: any): string {
  if (message.text !== undefined)
    return `text(${message.text.length} chars${message.quick_replies ? `, ${message.quick_replies.length} quick replies` : ''})`
  const p = message.attachment.payload
  if (p.template_type === 'generic')
    return `generic(${p.elements.map((e: any) => `${e.title.length}-char title/${e.buttons?.length ?? 0} buttons`).join(', ')})`
  if (p.template_type === 'button') return `button(${p.buttons.length} buttons)`
  return `${message.attachment.type}(url)`
}

/** Sends, expects success, checks the ack, and (with `row`) records what went on the wire for the closing-note table. */
async function sendOk(type: string, payload: unknown, row?: 'full' | 'shape') {
  const res = await send(type, payload)
  expect(res.status).toBe(200)
  const sent = graph.sent(PSID)
  expect(sent.length).toBeGreaterThan(0)
  expect(lastBotMessage().tags).toEqual({ id: sent.at(-1)!.messageId })
  for (const body of bodies())
    expect(body).toMatchObject({
      recipient: { id: PSID },
      messaging_type: 'RESPONSE',
      message: { metadata: 'fourbiz-botpress' },
    })
  for (const call of graph.calls) {
    expect(call.query.get('access_token')).toBe(PAGE_TOKEN)
    expect(call.query.get('appsecret_proof')).toBe(PROOF)
  }
  if (row === 'full')
    table.push({
      type,
      payload: JSON.stringify(payload),
      requests: messagesSent().map((message) => JSON.stringify(message)),
    })
  if (row === 'shape')
    table.push({ type, payload: `${JSON.stringify(payload).slice(0, 60)}…`, requests: messagesSent().map(shape) })
  return messagesSent()
}

async function sendFails(type: string, payload: unknown, cfg = config) {
  const res = await send(type, payload, cfg)
  expect(res.status).toBe(400)
  expect(res.json).toMatchObject({ type: 'Runtime' })
  expect(lastBotMessage().tags).toEqual({}) // never acked
  return res.json.message as string
}

describe('each type → its Graph request', () => {
  it('text', async () => {
    expect(await sendOk('text', { text: 'Olá! Como posso ajudar?' }, 'full')).toEqual([
      { text: 'Olá! Como posso ajudar?' },
    ])
    expect(bodies()).toEqual([
      {
        recipient: { id: PSID },
        messaging_type: 'RESPONSE',
        message: { text: 'Olá! Como posso ajudar?', metadata: 'fourbiz-botpress' },
      },
    ])
  })

  it.each([
    ['image', { imageUrl: 'https://cdn.example/foto.png' }],
    ['audio', { audioUrl: 'https://cdn.example/audio.mp3' }],
    ['video', { videoUrl: 'https://cdn.example/video.mp4' }],
    ['file', { fileUrl: 'https://cdn.example/manual.pdf', title: 'manual.pdf' }],
  ])('%s', async (type, payload) => {
    const sent = await sendOk(type, payload, 'full')
    expect(sent[0]).toEqual({ attachment: { type, payload: { url: Object.values(payload)[0] } } })
    expect(sent.slice(1)).toEqual('title' in payload ? [{ text: payload.title }] : [])
  })

  it('location', async () => {
    expect(
      await sendOk(
        'location',
        { latitude: -23.5613, longitude: -46.6565, title: 'Central de Atendimento', address: 'Av. Paulista, 1578' },
        'full'
      )
    ).toEqual([
      {
        text: 'Central de Atendimento\nAv. Paulista, 1578\nhttps://www.google.com/maps/search/?api=1&query=-23.5613,-46.6565',
      },
    ])
  })

  it('card', async () => {
    const sent = await sendOk(
      'card',
      {
        title: 'Abrir chamado',
        subtitle: 'Fale com um analista',
        imageUrl: 'https://cdn.example/suporte.png',
        actions: [
          { action: 'postback', label: 'Abrir', value: 'OPEN_TICKET' },
          { action: 'say', label: 'Ver chamados', value: 'LIST_TICKETS' },
          { action: 'url', label: 'Portal', value: 'https://empresa.4biz.one/4biz' },
        ],
      },
      'full'
    )
    expect(sent).toEqual([
      {
        attachment: {
          type: 'template',
          payload: {
            template_type: 'generic',
            elements: [
              {
                title: 'Abrir chamado',
                subtitle: 'Fale com um analista',
                image_url: 'https://cdn.example/suporte.png',
                buttons: [
                  { type: 'postback', title: 'Abrir', payload: 'OPEN_TICKET' },
                  { type: 'postback', title: 'Ver chamados', payload: 'LIST_TICKETS' },
                  { type: 'web_url', title: 'Portal', url: 'https://empresa.4biz.one/4biz' },
                ],
              },
            ],
          },
        },
      },
    ])
  })

  it('carousel', async () => {
    const sent = await sendOk(
      'carousel',
      {
        items: [
          {
            title: 'Incidente',
            subtitle: 'Algo parou',
            actions: [{ action: 'postback', label: 'Escolher', value: 'INCIDENT' }],
          },
          { title: 'Requisição', actions: [{ action: 'postback', label: 'Escolher', value: 'REQUEST' }] },
        ],
      },
      'full'
    )
    expect(sent).toHaveLength(1)
    expect(sent[0].attachment.payload.elements.map((e: any) => [e.title, e.buttons[0].payload])).toEqual([
      ['Incidente', 'INCIDENT'],
      ['Requisição', 'REQUEST'],
    ])
  })

  it.each(['choice', 'dropdown'])('%s', async (type) => {
    const sent = await sendOk(
      type,
      {
        text: 'Qual a urgência?',
        options: [
          { label: 'Alta', value: 'high' },
          { label: 'Média', value: 'medium' },
          { label: 'Baixa', value: 'low' },
        ],
      },
      'full'
    )
    expect(sent).toEqual([
      {
        text: 'Qual a urgência?',
        quick_replies: [
          { content_type: 'text', title: 'Alta', payload: 'high' },
          { content_type: 'text', title: 'Média', payload: 'medium' },
          { content_type: 'text', title: 'Baixa', payload: 'low' },
        ],
      },
    ])
  })

  it('bloc', async () => {
    const sent = await sendOk(
      'bloc',
      {
        items: [
          { type: 'text', payload: { text: 'Seu comprovante:' } },
          { type: 'file', payload: { fileUrl: 'https://cdn.example/comprovante.pdf' } },
          { type: 'location', payload: { latitude: 1.5, longitude: 2.5 } },
        ],
      },
      'full'
    )
    expect(sent).toEqual([
      { text: 'Seu comprovante:' },
      { attachment: { type: 'file', payload: { url: 'https://cdn.example/comprovante.pdf' } } },
      { text: 'https://www.google.com/maps/search/?api=1&query=1.5,2.5' },
    ])
  })
})

describe('Messenger limits, enforced before Meta sees them', () => {
  it('long text → several messages on word boundaries, the emoji at the boundary kept whole; ack = last mid', async () => {
    // the two emoji straddle character 2000 (UTF-16 units 1998–2001)
    const text = 'início ' + 'a'.repeat(1990) + ' 😀😀 ' + 'fim '.repeat(600)
    const sent = (await sendOk('text', { text }, 'shape')) as { text: string }[]
    expect(sent.length).toBe(3)
    expect(sent[0]!.text).toBe('início ' + 'a'.repeat(1990))
    expect(sent[1]!.text.startsWith('😀😀 fim')).toBe(true)
    for (const m of sent) expect(m.text.length).toBeLessThanOrEqual(2000)
    expect(
      sent
        .map((m) => m.text)
        .join(' ')
        .replace(/\s+/g, ' ')
        .trim()
    ).toBe(text.replace(/\s+/g, ' ').trim())
  })

  it('14 options → option cards; 11 carousel items → 2 templates; 5 actions → 2 elements; 12 cards × 5 actions → 3 sends', async () => {
    const options = Array.from({ length: 14 }, (_, i) => ({
      label: `Unidade de atendimento ${i + 1}`,
      value: `UNIT_${i + 1}`,
    }))
    const choice = await sendOk('choice', { text: 'Qual unidade?', options }, 'shape')
    expect(choice.map((m: any) => m.text ?? m.attachment.payload.template_type)).toEqual(['generic'])
    expect(choice[0].attachment.payload.elements.flatMap((e: any) => e.buttons.map((b: any) => b.payload))).toEqual(
      options.map((o) => o.value)
    )

    graph.clearTraffic()
    const items = Array.from({ length: 11 }, (_, i) => ({
      title: `Serviço ${i + 1} — ${'descrição '.repeat(10)}`,
      subtitle: 'Catálogo',
      actions: [],
    }))
    const carousel = await sendOk('carousel', { items }, 'shape')
    expect(carousel.map((m: any) => m.attachment.payload.elements.length)).toEqual([10, 1])
    expect(carousel[0].attachment.payload.elements[0].title).toHaveLength(80)

    graph.clearTraffic()
    const actions = Array.from({ length: 5 }, (_, i) => ({
      action: 'postback',
      label: `Opção com rótulo longo ${i}`,
      value: `A${i}`,
    }))
    const card = await sendOk('card', { title: 'Menu', actions }, 'shape')
    expect(card.map((m: any) => m.attachment.payload.template_type)).toEqual(['generic'])
    expect(card[0].attachment.payload.elements[1]).toMatchObject({
      title: 'Menu',
      buttons: [{ payload: 'A3' }, { payload: 'A4' }],
    })
    for (const b of card[0].attachment.payload.elements[0].buttons) expect(b.title.length).toBeLessThanOrEqual(20)

    graph.clearTraffic()
    const twelve = Array.from({ length: 12 }, (_, c) => ({
      title: `Serviço ${c + 1}`,
      subtitle: 'Catálogo',
      actions: Array.from({ length: 5 }, (_, a) => ({
        action: 'postback',
        label: `Opção ${a + 1}`,
        value: `S${c}_A${a}`,
      })),
    }))
    const packed = await sendOk('carousel', { items: twelve }, 'shape')
    expect(packed).toHaveLength(3) // Meta accepted 3 sends for 60 actions
    expect(
      packed.flatMap((m: any) =>
        m.attachment.payload.elements.flatMap((e: any) => e.buttons.map((b: any) => b.payload))
      )
    ).toEqual(twelve.flatMap((i) => i.actions.map((a) => a.value)))
  })
})

describe('errors surface as RuntimeErrors a bot builder understands, never acked', () => {
  it('190: the token sentence, and the token never appears in the answer or the logs', async () => {
    const wrong = 'EAAWRONGTOKENXYZ'
    const message = await sendFails('text', { text: 'oi' }, baseConfig({ pageAccessToken: wrong }))
    expect(message).toContain(
      'the Page access token is invalid or expired: generate a new one in Meta app > Messenger > Settings and update pageAccessToken'
    )
    const proof = createHmac('sha256', APP_SECRET).update(wrong).digest('hex')
    const everything = [message, ...output].join('\n')
    expect(output.join('\n')).toContain('invalid or expired') // the SDK logs it for the bot owner
    for (const secret of [wrong, proof, PAGE_TOKEN, PROOF, APP_SECRET, 'access_token'])
      expect(everything).not.toContain(secret)
  })

  it('outside the 24-hour window (10/2018278): not retried', async () => {
    graph.userMessaged(PSID, Date.now() - 25 * 3600_000)
    const message = await sendFails('text', { text: 'oi' })
    expect(message).toContain("outside the 24-hour window after the user's last message")
    expect(message).toContain('Meta error 10/2018278')
    expect(graph.calls).toHaveLength(1)
  })

  it('100/2018001: a PSID that is not a user of the page', async () => {
    const stranger = await callAction('getOrCreateConversation', { conversation: { psid: '7000000000009999' } }, config)
    const res = await sendBotMessage(botpress, stranger.json.output.conversationId, 'text', { text: 'oi' }, config)
    expect(res.status).toBe(400)
    expect(res.json.message).toContain('The PSID is not a Messenger user of this Page')
    expect(res.json.message).toContain('Meta error 100/2018001')
  })

  it("551: the person isn't available", async () => {
    const psid = '7000000000000551'
    graph.setProfile(psid, undefined)
    graph.userMessaged(psid)
    graph.makeUnavailable(psid)
    const conv = await callAction('getOrCreateConversation', { conversation: { psid } }, config)
    const res = await sendBotMessage(botpress, conv.json.output.conversationId, 'text', { text: 'oi' }, config)
    expect(res.status).toBe(400)
    expect(res.json.message).toContain("this person isn't available on Messenger right now")
    expect(graph.callsTo('/messages')).toHaveLength(1)
  })

  it('613, 1200 and a 5xx are retried, then the message goes through once and is acked', async () => {
    graph.failNext(1, { code: 613 })
    graph.failNext(1, { code: 1200, subcode: 2018024 })
    graph.failNext(1, { code: 1, httpStatus: 500 })
    await sendOk('text', { text: 'depois de tentar' })
    expect(graph.calls).toHaveLength(4)
    expect(messagesSent()).toEqual([{ text: 'depois de tentar' }])
  })

  it('retries exhausted → a retryable RuntimeError', async () => {
    graph.failNext(4, { code: 1200 })
    const message = await sendFails('text', { text: 'oi' })
    expect(message).toContain('Messenger had a temporary failure and still failed after 4 attempts')
    expect(graph.calls).toHaveLength(4)
  })

  it('a rate-limit hint longer than the cap fails fast, saying when to retry', async () => {
    graph.failNext(1, {
      code: 613,
      headers: {
        'x-business-use-case-usage': JSON.stringify({
          [PAGE_ID]: [{ type: 'messenger', estimated_time_to_regain_access: 2 }],
        }),
      },
    })
    const message = await sendFails('text', { text: 'oi' })
    expect(message).toContain('Meta is rate-limiting the app or the Page: retry in about 2 minutes')
    expect(graph.calls).toHaveLength(1)
  })

  it('a failure after the first part says which parts went out; the message stays unacked', async () => {
    let n = 0
    graph.fault = (call) =>
      call.path.endsWith('/messages') && n++ === 1
        ? {
            status: 400,
            body: {
              error: { message: '(#100) Invalid parameter', type: 'OAuthException', code: 100, fbtrace_id: 'Abc' },
            },
          }
        : undefined
    const message = await sendFails('text', { text: 'palavra '.repeat(300) })
    expect(message).toContain('The first 1 of 2 parts of the message were delivered')
    expect(graph.sent(PSID)).toHaveLength(1)
  })

  it('a payload that fails the Botpress schema names the field; nothing is sent', async () => {
    const message = await sendFails('image', { title: 'sem url' })
    expect(message).toContain('Invalid image message: "imageUrl"')
    expect(graph.calls).toHaveLength(0)
  })

  it('a conversation without a psid tag is a RuntimeError', async () => {
    const now = new Date().toISOString()
    botpress.conversations.push({
      id: 'conv_nopsid',
      channel: 'messenger',
      integration: 'fourbiz-messenger',
      tags: {},
      createdAt: now,
      updatedAt: now,
    })
    const res = await sendBotMessage(botpress, 'conv_nopsid', 'text', { text: 'oi' }, config)
    expect(res.status).toBe(400)
    expect(res.json.message).toContain('has no "psid" tag')
    expect(graph.calls).toHaveLength(0)
  })
})
