import { APP_SECRET, PAGE_ID, baseConfig, callWebhook, metaJson, metaSignature, postMessenger } from './harness'
import { PSID_ANA, PSID_BRUNO, PSID_LONG, entry, messengerWorld, page, text } from './fixtures/messenger'

/** The webhook's edge: verification, size, signature, JSON, hostile bodies. */

const ana = { first_name: 'Ana', last_name: 'Souza', profile_pic: 'https://cdn.example/ana.jpg' }
const world = messengerWorld({ [PSID_ANA]: ana, [PSID_BRUNO]: ana, [PSID_LONG]: ana })
const config = baseConfig()

describe('GET verification', () => {
  const verify = (query: string) => callWebhook({ method: 'GET', query }, config)

  it('answers the challenge as plain text when the verify token matches, numeric or not', async () => {
    const res = await verify('hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=CHALLENGE_ACCEPTED')
    expect(res.status).toBe(200)
    expect(res.body).toBe('CHALLENGE_ACCEPTED')
    expect(res.headers['content-type']).toMatch(/^text\/plain/)
    expect((await verify('hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444')).body).toBe(
      '1158201444'
    )
  })

  it.each([
    ['wrong token', 'hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1'],
    ['wrong mode', 'hub.mode=unsubscribe&hub.verify_token=verify-me&hub.challenge=1'],
    ['no challenge', 'hub.mode=subscribe&hub.verify_token=verify-me'],
    ['nothing', ''],
  ])('refuses with 403: %s', async (_name, query) => {
    const res = await verify(query)
    expect(res.status).toBe(403)
    expect(res.body).not.toContain('verify-me')
  })
})

describe('POST checks', () => {
  const body = metaJson(page([entry([text(PSID_ANA, 'm_sig_1', 'Olá, preciso de ajuda')])]))

  it('accepts a body signed over its exact bytes', async () => {
    const res = await postMessenger(body, config)
    expect(res.status).toBe(200)
    expect(world.botpress.messages).toHaveLength(1)
  })

  it.each([
    ['missing', undefined],
    ['wrong secret', metaSignature(body, 'not-the-secret')],
    ['sha1 only', 'sha1=' + '0'.repeat(40)],
    ['malformed', 'sha256=xyz'],
    ['signed over re-serialised JSON', metaSignature(JSON.stringify(JSON.parse(body)))],
  ])('refuses a %s signature with a generic 401', async (_name, signature) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    if (signature) headers['X-Hub-Signature-256'] = signature
    const res = await callWebhook({ body, headers }, config)
    expect(res.status).toBe(401)
    expect(res.body).toBe('Unauthorized')
    expect(res.body).not.toContain(metaSignature(body).slice(7, 20))
    expect(world.botpress.messages).toHaveLength(0)
  })

  it('fails closed when no app secret is configured', async () => {
    const res = await postMessenger(body, baseConfig({ appSecret: '' }))
    expect(res.status).toBe(401)
  })

  it('checks the header whatever its case', async () => {
    const res = await callWebhook({ body, headers: { 'X-HUB-SIGNATURE-256': metaSignature(body) } }, config)
    expect(res.status).toBe(200)
  })

  it('refuses a body over 1 MiB with 413, before anything else', async () => {
    const big = metaJson(page([entry([text(PSID_ANA, 'm_big', 'x'.repeat(1024 * 1024))])]))
    const res = await postMessenger(big, config)
    expect(res.status).toBe(413)
    expect(world.botpress.calls).toHaveLength(0)
  })

  it('answers 400 to invalid JSON with a valid signature', async () => {
    const res = await postMessenger('{"object":"page","entry":[', config)
    expect(res.status).toBe(400)
  })

  it('ignores objects other than page with 200', async () => {
    const res = await postMessenger(
      metaJson({ object: 'instagram', entry: [entry([text(PSID_ANA, 'm_ig', 'hi')])] }),
      config
    )
    expect(res.status).toBe(200)
    expect(world.botpress.calls).toHaveLength(0)
  })

  it('ignores entries of other pages but handles this page in the same body', async () => {
    const res = await postMessenger(
      metaJson(
        page([
          entry([text(PSID_ANA, 'm_other', 'not ours')], { pageId: '999999999999' }),
          entry([text(PSID_BRUNO, 'm_ours', 'ours')]),
        ])
      ),
      config
    )
    expect(res.status).toBe(200)
    expect(world.botpress.messages.map((m) => m.payload.text)).toEqual(['ours'])
  })

  it('answers 404 on other paths and 405 on other methods', async () => {
    expect((await callWebhook({ path: '/nope', body }, config)).status).toBe(404)
    expect((await callWebhook({ method: 'PUT', body }, config)).status).toBe(405)
  })
})

describe('hostile bodies', () => {
  it('skips items with wrong types or no sender without sinking their valid siblings', async () => {
    const body = page([
      entry([
        { sender: 'x', recipient: { id: PAGE_ID }, timestamp: 1, message: { mid: 'm_bad1', text: 'bad' } },
        { recipient: { id: PAGE_ID }, timestamp: 2, message: { mid: 'm_bad2', text: 'no sender' } },
        {
          sender: { id: PSID_ANA },
          recipient: { id: PAGE_ID },
          timestamp: 3,
          message: { mid: 42, text: ['not', 'text'] },
        },
        text(PSID_ANA, 'm_good', 'valid sibling'),
      ]),
      'not an entry',
      { id: PAGE_ID, messaging: 'not a list' },
    ])
    const res = await postMessenger(metaJson(body), config)
    expect(res.status).toBe(200)
    expect(world.botpress.messages.map((m) => m.payload.text)).toEqual(['valid sibling'])
  })

  it('keeps a 17-digit numeric PSID exact', async () => {
    const raw = `{"object":"page","entry":[{"id":"${PAGE_ID}","time":1780000000000,"messaging":[{"sender":{"id":${PSID_LONG}},"recipient":{"id":${PAGE_ID}},"timestamp":1780000000000,"message":{"mid":"m_long","text":"id as number"}}]}]}`
    const res = await postMessenger(raw, config)
    expect(res.status).toBe(200)
    expect(world.botpress.conversations[0]!.tags.psid).toBe(PSID_LONG)
    expect(world.botpress.users[0]!.tags.psid).toBe(PSID_LONG)
  })

  it('survives deep nesting without crashing', async () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000)
    const raw = `{"object":"page","entry":[{"id":"${PAGE_ID}","messaging":[{"sender":{"id":"${PSID_ANA}"},"recipient":{"id":"${PAGE_ID}"},"timestamp":1,"x":${deep},"message":{"mid":"m_deep","text":"deep"}}]}]}`
    const res = await postMessenger(raw, config)
    expect([200, 400]).toContain(res.status)
  })

  it('does not let __proto__ or constructor keys pollute objects', async () => {
    const raw = `{"object":"page","__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"entry":[{"id":"${PAGE_ID}","messaging":[{"__proto__":{"admin":true},"sender":{"id":"${PSID_ANA}","__proto__":{"x":1}},"recipient":{"id":"${PAGE_ID}"},"timestamp":1,"message":{"mid":"m_proto","text":"proto","__proto__":{"is_echo":true}}}]}]}`
    const res = await postMessenger(raw, config)
    expect(res.status).toBe(200)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(({} as Record<string, unknown>).admin).toBeUndefined()
    expect(world.botpress.messages.map((m) => m.payload.text)).toEqual(['proto'])
  })

  it('delivers a huge text intact', async () => {
    const long = 'Descrição longa ✅ '.repeat(20_000)
    const res = await postMessenger(metaJson(page([entry([text(PSID_ANA, 'm_huge', long)])])), config)
    expect(res.status).toBe(200)
    expect(world.botpress.messages[0]!.payload.text).toBe(long)
  })

  it('never uses APP_SECRET-dependent output in its answers', async () => {
    const res = await callWebhook(
      { body: '{}', headers: { 'x-hub-signature-256': 'sha256=' + 'a'.repeat(64) } },
      config
    )
    expect(res.body).not.toContain(APP_SECRET)
  })
})
