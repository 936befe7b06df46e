import { APP_ID, PAGE_ID, baseConfig, metaJson, postMessenger } from './harness'
import * as fx from './fixtures/messenger'
import { PSID_ANA, PSID_BRUNO, entry, messengerWorld, page } from './fixtures/messenger'

/** Every Messenger event kind → what the bot receives (Helper on: conversations are in bot mode). */

const world = messengerWorld({
  [PSID_ANA]: { first_name: 'Ana', last_name: 'Conceição', profile_pic: 'https://cdn.example/ana.jpg' },
  [PSID_BRUNO]: { first_name: 'Bruno', last_name: 'Lima', profile_pic: 'https://cdn.example/bruno.jpg' },
})
const config = baseConfig()

const post = (...items: object[]) => postMessenger(metaJson(page([entry(items)])), config)
const delivered = () => world.botpress.messages.map((m) => ({ type: m.type, payload: m.payload, tags: m.tags }))
const events = () => world.botpress.events.map((e) => ({ type: e.type, payload: e.payload }))

describe('messages to the bot', () => {
  it('text in wire format (accents, emoji as surrogate pairs, escaped slashes) arrives exact', async () => {
    const body = metaJson(page([entry([fx.text(PSID_ANA, 'm_1', 'Não consigo acessar https://intranet/ção 😀')])]))
    expect(body).toContain('\\u00e3')
    expect(body).toContain('\\ud83d\\ude00')
    expect(body).toContain('https:\\/\\/')
    const res = await postMessenger(body, config)
    expect(res.status).toBe(200)
    expect(delivered()).toEqual([
      { type: 'text', payload: { text: 'Não consigo acessar https://intranet/ção 😀' }, tags: { id: 'm_1' } },
    ])
  })

  it('creates one user per PSID with the profile fetched once, with appsecret_proof', async () => {
    await post(fx.text(PSID_ANA, 'm_a1', 'oi'))
    await post(fx.text(PSID_ANA, 'm_a2', 'de novo'))
    expect(world.botpress.users).toHaveLength(1)
    expect(world.botpress.users[0]).toMatchObject({
      name: 'Ana Conceição',
      pictureUrl: 'https://cdn.example/ana.jpg',
      tags: { psid: PSID_ANA },
    })
    const profileCalls = world.graph.calls.filter((c) => c.method === 'GET' && c.path.endsWith(`/${PSID_ANA}`))
    expect(profileCalls).toHaveLength(1)
    expect(profileCalls[0]!.query.get('appsecret_proof')).toMatch(/^[0-9a-f]{64}$/)
    expect(world.botpress.conversations).toHaveLength(1)
    expect(world.botpress.conversations[0]!.tags).toEqual({ psid: PSID_ANA, pageId: PAGE_ID })
  })

  it('a profile error never blocks the message', async () => {
    world.graph.setProfile(PSID_BRUNO, undefined)
    const res = await post(fx.text(PSID_BRUNO, 'm_np', 'sem perfil'))
    expect(res.status).toBe(200)
    expect(delivered()).toHaveLength(1)
  })

  it('a quick reply arrives as its payload value, the title kept in a tag', async () => {
    await post(fx.quickReply(PSID_ANA, 'm_qr', 'Abrir chamado', 'OPEN_TICKET'))
    expect(delivered()).toEqual([
      { type: 'text', payload: { text: 'OPEN_TICKET' }, tags: { id: 'm_qr', title: 'Abrir chamado' } },
    ])
  })

  it('postbacks: payload as text; without payload the title; without mid a derived key that dedupes', async () => {
    await post(fx.postback(PSID_ANA, { mid: 'm_pb1', title: 'Meus chamados', payload: 'MY_TICKETS' }))
    await post(fx.postback(PSID_ANA, { mid: 'm_pb2', title: 'Falar com analista' }))
    const legacy = fx.postback(PSID_ANA, { title: 'Começar', payload: 'GET_STARTED' })
    await postMessenger(metaJson(page([entry([legacy])])), config)
    await postMessenger(metaJson(page([entry([legacy])])), config)
    expect(delivered()).toEqual([
      { type: 'text', payload: { text: 'MY_TICKETS' }, tags: { id: 'm_pb1', title: 'Meus chamados' } },
      { type: 'text', payload: { text: 'Falar com analista' }, tags: { id: 'm_pb2', title: 'Falar com analista' } },
      { type: 'text', payload: { text: 'GET_STARTED' }, tags: expect.objectContaining({ title: 'Começar' }) },
    ])
  })

  it('a postback with a referral also emits referralReceived', async () => {
    await post(
      fx.postback(PSID_ANA, {
        mid: 'm_ref',
        title: 'Get Started',
        payload: 'GET_STARTED',
        referral: { ref: 'campanha-1', source: 'SHORTLINK', type: 'OPEN_THREAD' },
      })
    )
    expect(events()).toEqual([
      { type: 'referralReceived', payload: expect.objectContaining({ ref: 'campanha-1', source: 'SHORTLINK' }) },
    ])
  })

  it.each([
    ['image', 'imageUrl'],
    ['audio', 'audioUrl'],
    ['video', 'videoUrl'],
    ['file', 'fileUrl'],
  ] as const)('a single %s attachment', async (type, key) => {
    const url = `https://cdn.fbsbx.example/${type}/1?oh=abc&oe=def`
    await post(fx.attachments(PSID_ANA, `m_${type}`, [fx.media(type, url)]))
    expect(delivered()).toEqual([{ type, payload: { [key]: url }, tags: { id: `m_${type}` } }])
  })

  it('a location', async () => {
    await post(
      fx.attachments(PSID_ANA, 'm_loc', [
        { type: 'location', title: 'Sede', payload: { coordinates: { lat: -15.79, long: -47.88 } } },
      ])
    )
    expect(delivered()).toEqual([
      { type: 'location', payload: { latitude: -15.79, longitude: -47.88, title: 'Sede' }, tags: { id: 'm_loc' } },
    ])
  })

  it('several attachments, or text with attachments, arrive as one bloc', async () => {
    await post(
      fx.attachments(
        PSID_ANA,
        'm_bloc',
        [fx.media('image', 'https://cdn.example/1.jpg'), fx.media('file', 'https://cdn.example/log.pdf')],
        'Veja os prints'
      )
    )
    expect(delivered()).toEqual([
      {
        type: 'bloc',
        payload: {
          items: [
            { type: 'text', payload: { text: 'Veja os prints' } },
            { type: 'image', payload: { imageUrl: 'https://cdn.example/1.jpg' } },
            { type: 'file', payload: { fileUrl: 'https://cdn.example/log.pdf' } },
          ],
        },
        tags: { id: 'm_bloc' },
      },
    ])
  })

  it('stickers in the legacy and the 2026 double shape are ONE image', async () => {
    const url = 'https://scontent.example/sticker.png'
    await post({
      ...fx.attachments(PSID_ANA, 'm_st1', [{ type: 'image', payload: { url, sticker_id: 369239263222822 } }]),
      message: {
        mid: 'm_st1',
        sticker_id: 369239263222822,
        attachments: [{ type: 'image', payload: { url, sticker_id: 369239263222822 } }],
      },
    })
    await post(
      fx.attachments(PSID_ANA, 'm_st2', [
        { type: 'sticker', payload: { url, sticker_id: 369239263222822 } },
        { type: 'image', payload: { url, sticker_id: 369239263222822 } },
      ])
    )
    expect(delivered()).toEqual([
      { type: 'image', payload: { imageUrl: url, title: 'sticker' }, tags: { id: 'm_st1' } },
      { type: 'image', payload: { imageUrl: url, title: 'sticker' }, tags: { id: 'm_st2' } },
    ])
  })

  it('fallback, template, reel and post shares arrive as text with title and link', async () => {
    await post(
      fx.attachments(PSID_ANA, 'm_fb', [
        { type: 'fallback', title: 'Manual da VPN', url: 'https://intranet.example/vpn', payload: null },
      ])
    )
    await post(
      fx.attachments(PSID_ANA, 'm_reel', [
        { type: 'reel', payload: { url: 'https://www.facebook.com/reel/123', title: 'Tutorial', reel_video_id: 123 } },
      ])
    )
    await post(
      fx.attachments(PSID_ANA, 'm_post', [
        { type: 'post', payload: { url: 'https://www.facebook.com/p/9', title: 'Aviso de manutenção', id: '9' } },
      ])
    )
    await post(
      fx.attachments(PSID_ANA, 'm_tpl', [
        {
          type: 'template',
          payload: { product: { elements: [{ id: '1', title: 'Notebook', subtitle: 'R$ 3.000' }] } },
        },
      ])
    )
    expect(delivered().map((m) => m.payload.text)).toEqual([
      'Manual da VPN\nhttps://intranet.example/vpn',
      'Tutorial\nhttps://www.facebook.com/reel/123',
      'Aviso de manutenção\nhttps://www.facebook.com/p/9',
      'Notebook — R$ 3.000',
    ])
  })

  it('replies keep the replied-to mid', async () => {
    await post({
      ...fx.text(PSID_ANA, 'm_rt', 'isso'),
      message: { mid: 'm_rt', text: 'isso', reply_to: { mid: 'm_orig' } },
    })
    expect(delivered()[0]!.tags).toEqual({ id: 'm_rt', replyTo: 'm_orig' })
  })
})

describe('echoes and standby', () => {
  it('our own echoes (app id or metadata) never come in; another app’s echo is not a bot message', async () => {
    await post(fx.echo(PSID_ANA, 'm_e1', 'sent by us', APP_ID))
    await post(fx.echo(PSID_ANA, 'm_e2', 'sent by us too', '111', 'fourbiz-botpress'))
    await post(fx.echo(PSID_ANA, 'm_e3', 'typed in the Page inbox', 263902037430900))
    expect(delivered()).toEqual([])
  })

  it('standby messages are recorded, never sent to the bot', async () => {
    const res = await postMessenger(
      metaJson(page([entry([], { standby: [fx.text(PSID_ANA, 'm_sb', 'to the other app')] })])),
      config
    )
    expect(res.status).toBe(200)
    expect(delivered()).toEqual([])
  })
})

describe('other events', () => {
  it('reaction → one reactionReceived event even when redelivered', async () => {
    const r = fx.reaction(PSID_ANA, 'm_target')
    await post(r)
    await post(r)
    expect(events()).toEqual([
      {
        type: 'reactionReceived',
        payload: expect.objectContaining({ mid: 'm_target', action: 'react', reaction: 'love', emoji: '❤️' }),
      },
    ])
    expect(world.botpress.events[0]!.conversationId).toBe(world.botpress.conversations[0]!.id)
  })

  it('message_edit → messageEdited; read → messagesRead; delivery → nothing', async () => {
    await post(fx.edit(PSID_ANA, 'm_1', 'texto corrigido', 1))
    await post(fx.read(PSID_ANA, 1_780_000_000_000))
    await post(fx.delivery(PSID_ANA, ['m_out_1']))
    expect(events()).toEqual([
      { type: 'messageEdited', payload: expect.objectContaining({ mid: 'm_1', text: 'texto corrigido', numEdit: 1 }) },
      { type: 'messagesRead', payload: expect.objectContaining({ watermark: 1_780_000_000_000 }) },
    ])
  })

  it('chat-plugin referral with user_ref and no sender.id; opt-in with no sender', async () => {
    await post({
      sender: { user_ref: 'plugin-visitor-1' },
      recipient: { id: PAGE_ID },
      timestamp: fx.tick(),
      referral: {
        ref: 'site',
        source: 'CUSTOMER_CHAT_PLUGIN',
        type: 'OPEN_THREAD',
        referer_uri: 'https://empresa.example',
      },
    })
    await post({ recipient: { id: PAGE_ID }, timestamp: fx.tick(), optin: { ref: 'checkout', user_ref: 'chk-42' } })
    expect(events()).toEqual([
      {
        type: 'referralReceived',
        payload: { ref: 'site', source: 'CUSTOMER_CHAT_PLUGIN', type: 'OPEN_THREAD', userRef: 'plugin-visitor-1' },
      },
      { type: 'optinReceived', payload: { ref: 'checkout', userRef: 'chk-42' } },
    ])
    expect(world.botpress.conversations).toHaveLength(0)
  })

  it('account linking, handover, policy enforcement (both spellings), unknown kinds: no crash', async () => {
    const res = await postMessenger(
      metaJson(
        page([
          entry([
            {
              ...fx.text(PSID_ANA, 'x', 'x'),
              message: undefined,
              account_linking: { status: 'linked', authorization_code: 'code-1' },
            },
            {
              sender: { id: PSID_ANA },
              recipient: { id: PAGE_ID },
              timestamp: fx.tick(),
              pass_thread_control: { new_owner_app_id: '123', metadata: 'to inbox' },
            },
            {
              recipient: { id: PAGE_ID },
              timestamp: fx.tick(),
              policy_enforcement: { action: 'block', reason: 'spam' },
            },
            {
              recipient: { id: PAGE_ID },
              timestamp: fx.tick(),
              'policy-enforcement': { action: 'warning', reason: 'old key' },
            },
            { recipient: { id: PAGE_ID }, timestamp: fx.tick(), app_roles: { '123': ['primary_receiver'] } },
            { sender: { id: PSID_ANA }, recipient: { id: PAGE_ID }, timestamp: fx.tick(), game_play: { game_id: '1' } },
          ]),
        ])
      ),
      config
    )
    expect(res.status).toBe(200)
    expect(events()).toEqual([
      { type: 'accountLinking', payload: expect.objectContaining({ status: 'linked', authorizationCode: 'code-1' }) },
    ])
  })
})

describe('batches, order and redelivery', () => {
  it('handles every entry and item; per-sender order by timestamp in ms or s, number or string', async () => {
    const t = 1_780_000_100_000
    const body = page([
      entry([fx.text(PSID_ANA, 'm_a3', 'ana 3', t + 3000), fx.text(PSID_BRUNO, 'm_b1', 'bruno 1', t + 1000)]),
      entry([
        { ...fx.text(PSID_ANA, 'm_a1', 'ana 1'), timestamp: String(t / 1000 + 1) },
        { ...fx.text(PSID_ANA, 'm_a2', 'ana 2'), timestamp: (t + 2000) / 1000 },
        fx.text(PSID_BRUNO, 'm_b2', 'bruno 2', t + 2000),
      ]),
    ])
    const res = await postMessenger(metaJson(body), config)
    expect(res.status).toBe(200)
    const texts = (psid: string) => {
      const conv = world.botpress.conversations.find((c) => c.tags.psid === psid)!
      return world.botpress.messages.filter((m) => m.conversationId === conv.id).map((m) => m.payload.text)
    }
    expect(texts(PSID_ANA)).toEqual(['ana 1', 'ana 2', 'ana 3'])
    expect(texts(PSID_BRUNO)).toEqual(['bruno 1', 'bruno 2'])
  })

  it('a redelivered body (and a mid repeated in one body) creates each message once', async () => {
    const body = metaJson(page([entry([fx.text(PSID_ANA, 'm_r1', 'uma vez'), fx.text(PSID_ANA, 'm_r1', 'uma vez')])]))
    await postMessenger(body, config)
    await postMessenger(body, config)
    expect(delivered()).toHaveLength(1)
  })

  it('Botpress down → 503 so Meta redelivers; after recovery each message exactly once, in order', async () => {
    const body = metaJson(
      page([
        entry([
          fx.text(PSID_ANA, 'm_o1', 'primeira'),
          fx.text(PSID_ANA, 'm_o2', 'segunda'),
          fx.text(PSID_BRUNO, 'm_o3', 'outro'),
        ]),
      ])
    )
    let failures = 0
    world.botpress.fault = (call) => {
      if (call.path === '/v1/chat/messages/get-or-create' && call.body?.tags?.id === 'm_o1') {
        failures++
        return { status: 503, body: { id: 'err', code: 503, type: 'Internal', message: 'unavailable' } }
      }
      return undefined
    }
    const first = await postMessenger(body, config)
    expect(first.status).toBe(503)
    expect(failures).toBeGreaterThan(0)
    // the other sender was not held back; Ana's second message waited for her first
    expect(delivered().map((m) => m.payload.text)).toEqual(['outro'])
    world.botpress.fault = undefined
    const second = await postMessenger(body, config)
    expect(second.status).toBe(200)
    const ana = world.botpress.conversations.find((c) => c.tags.psid === PSID_ANA)!
    expect(world.botpress.messages.filter((m) => m.conversationId === ana.id).map((m) => m.payload.text)).toEqual([
      'primeira',
      'segunda',
    ])
    expect(delivered()).toHaveLength(3)
  })
})
