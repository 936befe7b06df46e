import { createHmac } from 'node:crypto'
import { GraphFake } from './fakes/graph'
import { APP_SECRET, PAGE_ID, PAGE_TOKEN } from './harness'

/**
 * The Graph fake must be as strict as Meta, or the outbound tests prove nothing: raw HTTP requests
 * (no integration code) against each rule, checking Meta's codes and error shape.
 */

const PSID = '7000000000000003'
const PROOF = createHmac('sha256', APP_SECRET).update(PAGE_TOKEN).digest('hex')
let graph: GraphFake

beforeAll(async () => {
  graph = new GraphFake()
  await graph.start()
})
afterAll(() => graph.stop())
beforeEach(() => {
  graph.clearTraffic()
  graph.humanAgentApproved = false
  graph.setProfile(PSID, { first_name: 'Ana' })
  graph.userMessaged(PSID)
})

async function graphCall(path: string, init: { method?: string; body?: unknown; query?: Record<string, string> } = {}) {
  const query = new URLSearchParams({ access_token: PAGE_TOKEN, appsecret_proof: PROOF, ...init.query })
  const res = await fetch(`${graph.url}${path}?${query.toString()}`, {
    method: init.method ?? 'GET',
    headers: init.body ? { 'content-type': 'application/json' } : {},
    body: init.body ? JSON.stringify(init.body) : undefined,
  })
  const raw = await res.text()
  return { status: res.status, raw, json: JSON.parse(raw) }
}

const send = (body: Record<string, unknown>) =>
  graphCall(`/v25.0/${PAGE_ID}/messages`, { method: 'POST', body: { recipient: { id: PSID }, ...body } })
const respond = (message: unknown) => send({ messaging_type: 'RESPONSE', message })
const generic = (elements: unknown[]) => ({
  attachment: { type: 'template', payload: { template_type: 'generic', elements } },
})
const postback = (title = 'Ok', payload = 'OK') => ({ type: 'postback', title, payload })

function expectMetaError(r: { status: number; json: any }, code: number, subcode?: number, message?: RegExp) {
  expect(r.status).toBeGreaterThanOrEqual(400)
  expect(Object.keys(r.json)).toEqual(['error'])
  expect(Object.keys(r.json.error)).toEqual([
    'message',
    'type',
    'code',
    ...(subcode === undefined ? [] : ['error_subcode']),
    'fbtrace_id',
  ])
  expect(r.json.error.code).toBe(code)
  if (subcode !== undefined) expect(r.json.error.error_subcode).toBe(subcode)
  if (message) expect(r.json.error.message).toMatch(message)
  expect(graph.sent(PSID)).toEqual([])
}

describe('auth and routing', () => {
  it('another Graph version → 2500 unknown path', async () => {
    expectMetaError(await graphCall('/v24.0/me'), 2500, undefined, /Unknown path components/)
  })

  it('a wrong token → 190 in Meta shape, with `/` escaped like Meta', async () => {
    const r = await graphCall('/v25.0/me', { query: { access_token: 'nope' } })
    expect(r.status).toBe(400)
    expect(r.json.error).toMatchObject({
      message: 'Invalid OAuth access token - Cannot parse access token',
      type: 'OAuthException',
      code: 190,
    })
    const v = await graphCall('/v24.0/x/y')
    expect(v.raw).toContain('\\/v24.0\\/x\\/y')
  })

  it('appsecret_proof is required and checked', async () => {
    expectMetaError(
      await graphCall('/v25.0/me', { query: { appsecret_proof: '' } }),
      100,
      undefined,
      /require an appsecret_proof/
    )
    expectMetaError(
      await graphCall('/v25.0/me', { query: { appsecret_proof: 'f'.repeat(64) } }),
      100,
      undefined,
      /Invalid appsecret_proof provided in the API argument/
    )
  })

  it('GET /me and profiles (2018218 without one)', async () => {
    expect((await graphCall('/v25.0/me')).json).toEqual({ id: PAGE_ID, name: graph.pageName })
    expect((await graphCall(`/v25.0/${PSID}`, { query: { fields: 'first_name,last_name' } })).json).toEqual({
      first_name: 'Ana',
      id: PSID,
    })
    graph.setProfile(PSID, undefined)
    expectMetaError(await graphCall(`/v25.0/${PSID}`), 100, 2018218, /No profile available/)
  })
})

describe('Send API validation', () => {
  it('accepts a valid send and records it per PSID with an m_ id', async () => {
    const r = await respond({ text: 'oi' })
    expect(r.json).toEqual({ recipient_id: PSID, message_id: expect.stringMatching(/^m_/) })
    expect(graph.sent(PSID)).toEqual([
      { messageId: r.json.message_id, messagingType: 'RESPONSE', message: { text: 'oi' }, at: expect.any(Number) },
    ])
  })

  it('an unknown PSID → 100/2018001', async () => {
    expectMetaError(
      await graphCall(`/v25.0/${PAGE_ID}/messages`, {
        method: 'POST',
        body: { recipient: { id: '1' }, messaging_type: 'RESPONSE', message: { text: 'x' } },
      }),
      100,
      2018001,
      /No matching user found/
    )
  })

  it('messaging_type required and valid; MESSAGE_TAG needs a tag; deprecated tags refused', async () => {
    expectMetaError(await send({ message: { text: 'x' } }), 100, undefined, /messaging_type is required/)
    expectMetaError(await send({ messaging_type: 'NOW', message: { text: 'x' } }), 100)
    expectMetaError(
      await send({ messaging_type: 'MESSAGE_TAG', message: { text: 'x' } }),
      100,
      undefined,
      /Tag is required/
    )
    for (const tag of ['ACCOUNT_UPDATE', 'CONFIRMED_EVENT_UPDATE', 'POST_PURCHASE_UPDATE'])
      expectMetaError(
        await send({ messaging_type: 'MESSAGE_TAG', tag, message: { text: 'x' } }),
        100,
        undefined,
        /deprecated/
      )
  })

  it('a sender action must be alone (100/2018014)', async () => {
    expectMetaError(await send({ sender_action: 'typing_on', message: { text: 'x' } }), 100, 2018014)
    expect((await send({ sender_action: 'typing_on' })).status).toBe(200)
    expect(graph.senderActions(PSID)).toEqual(['typing_on'])
  })

  it('text ≤ 2000', async () => {
    expect((await respond({ text: 'a'.repeat(2000) })).status).toBe(200)
    graph.clearTraffic()
    expectMetaError(
      await respond({ text: 'a'.repeat(2001) }),
      100,
      undefined,
      /message\[text\] must be less than or equal to 2000/
    )
  })

  it('quick replies: ≤ 13, title ≤ 20, payload ≤ 1000', async () => {
    const qr = (title = 'Sim', payload = 'YES') => ({ content_type: 'text', title, payload })
    expectMetaError(
      await respond({ text: 'x', quick_replies: Array.from({ length: 14 }, () => qr()) }),
      100,
      undefined,
      /at most 13/
    )
    expectMetaError(
      await respond({ text: 'x', quick_replies: [qr('t'.repeat(21))] }),
      100,
      undefined,
      /\[title\] must be less than or equal to 20/
    )
    expectMetaError(
      await respond({ text: 'x', quick_replies: [qr('ok', 'p'.repeat(1001))] }),
      100,
      undefined,
      /\[payload\] must be less than or equal to 1000/
    )
  })

  it('generic template: ≤ 10 elements, title/subtitle ≤ 80, ≤ 3 buttons, button title ≤ 20', async () => {
    const el = (over: object = {}) => ({ title: 'T', buttons: [postback()], ...over })
    expectMetaError(
      await respond(generic(Array.from({ length: 11 }, () => el()))),
      100,
      undefined,
      /at most 10 elements/
    )
    expectMetaError(
      await respond(generic([el({ title: 't'.repeat(81) })])),
      100,
      undefined,
      /\[title\] must be less than or equal to 80/
    )
    expectMetaError(
      await respond(generic([el({ subtitle: 's'.repeat(81) })])),
      100,
      undefined,
      /\[subtitle\] must be less than or equal to 80/
    )
    expectMetaError(
      await respond(generic([el({ buttons: [postback(), postback(), postback(), postback()] })])),
      100,
      undefined,
      /at most 3 buttons/
    )
    expectMetaError(
      await respond(generic([el({ buttons: [postback('b'.repeat(21))] })])),
      100,
      undefined,
      /must be less than or equal to 20/
    )
    expectMetaError(
      await respond(generic([el({ buttons: [{ type: 'web_url', title: 'x', url: 'javascript:alert(1)' }] })])),
      100,
      undefined,
      /valid URL/
    )
    expectMetaError(await respond(generic([{ title: 'só título' }])), 100, undefined, /Incomplete element data/)
  })

  it('button template: text 1–640, 1–3 buttons', async () => {
    const bt = (text: string, buttons: unknown[]) => ({
      attachment: { type: 'template', payload: { template_type: 'button', text, buttons } },
    })
    expectMetaError(await respond(bt('t'.repeat(641), [postback()])), 100, undefined, /640/)
    expectMetaError(await respond(bt('ok', [])), 100, undefined, /1 to 3 buttons/)
    expect((await respond(bt('ok', [postback(), postback(), postback()]))).status).toBe(200)
  })

  it('an attachment needs a url or an attachment_id', async () => {
    expectMetaError(
      await respond({ attachment: { type: 'image', payload: {} } }),
      100,
      undefined,
      /url or attachment_id/
    )
    expectMetaError(await respond({ attachment: { type: 'sticker', payload: { url: 'https://x/y' } } }), 100)
  })
})

describe('window rules', () => {
  it('RESPONSE and UPDATE beyond 24 h → 10/2018278', async () => {
    graph.userMessaged(PSID, Date.now() - 24 * 3600_000 - 1000)
    expectMetaError(await respond({ text: 'x' }), 10, 2018278, /outside of allowed window/)
    expectMetaError(await send({ messaging_type: 'UPDATE', message: { text: 'x' } }), 10, 2018278)
  })

  it('HUMAN_AGENT needs the approved feature and ≤ 7 days', async () => {
    graph.userMessaged(PSID, Date.now() - 6 * 24 * 3600_000)
    const tagged = () => send({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT', message: { text: 'analista' } })
    expectMetaError(await tagged(), 10, 2018065)
    graph.humanAgentApproved = true
    expect((await tagged()).status).toBe(200)
    graph.clearTraffic()
    graph.userMessaged(PSID, Date.now() - 7 * 24 * 3600_000 - 1000)
    expectMetaError(await tagged(), 10, 2018278)
  })

  it('an unavailable person → 551/1545041', async () => {
    const psid = '7000000000000552'
    graph.userMessaged(psid)
    graph.makeUnavailable(psid)
    const r = await graphCall(`/v25.0/${PAGE_ID}/messages`, {
      method: 'POST',
      body: { recipient: { id: psid }, messaging_type: 'RESPONSE', message: { text: 'x' } },
    })
    expect(r.json.error).toMatchObject({ code: 551, error_subcode: 1545041 })
  })
})

describe('injected errors', () => {
  it("failNext answers Meta's exact shape, status and headers, then recovers", async () => {
    graph.failNext(1, { code: 613, headers: { 'retry-after': '2' } })
    const res = await fetch(`${graph.url}/v25.0/me?access_token=${PAGE_TOKEN}&appsecret_proof=${PROOF}`)
    expect(res.status).toBe(400)
    expect(res.headers.get('retry-after')).toBe('2')
    expect(((await res.json()) as any).error).toMatchObject({
      code: 613,
      message: '(#613) Calls to this api have exceeded the rate limit.',
      type: 'OAuthException',
    })
    graph.failNext(1, { code: 1200, subcode: 2018024 })
    expect((await graphCall('/v25.0/me')).status).toBe(500)
    expect((await graphCall('/v25.0/me')).status).toBe(200)
  })
})
