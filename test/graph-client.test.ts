import { createHmac } from 'node:crypto'
import { format } from 'node:util'
import { classifyGraphError, GraphError, type GraphErrorKind } from '../src/messenger/graph-errors'
import { graphClientFor, waitHintMs, type RetryPolicy } from '../src/messenger/graph-client'
import { GraphFake, startGraph } from './fakes/graph'
import { APP_SECRET, baseConfig, PAGE_ID, PAGE_TOKEN } from './harness'

/** The Graph client against the strict Graph fake: auth on every call, typed methods, classification, retries. */

const PSID = '7000000000000001'
const PROOF = createHmac('sha256', APP_SECRET).update(PAGE_TOKEN).digest('hex')

let graph: GraphFake
let logs: string[]
const logger = {
  warn: (...a: unknown[]) => void logs.push(format(...a)),
  debug: (...a: unknown[]) => void logs.push(format(...a)),
}
const client = (retry: Partial<RetryPolicy> = {}, config = baseConfig()) =>
  graphClientFor(config, { logger, retry: { baseDelayMs: 1, ...retry } })

async function failure(p: Promise<unknown>): Promise<GraphError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(GraphError)
  return error as GraphError
}

beforeAll(async () => {
  graph = await startGraph()
})
afterAll(() => graph.stop())
beforeEach(() => {
  graph.clearTraffic()
  graph.fault = undefined
  graph.humanAgentApproved = false
  graph.setProfile(PSID, { first_name: 'Ana', last_name: 'Souza', profile_pic: 'https://cdn.example/ana.jpg' })
  graph.userMessaged(PSID)
  logs = []
})

describe('requests', () => {
  it('every call is on the pinned version and carries access_token and appsecret_proof', async () => {
    const c = client()
    await c.getMe()
    await c.getProfile(PSID)
    await c.sendMessage(PSID, { text: 'oi' }, { messagingType: 'RESPONSE' })
    await c.sendSenderAction(PSID, 'typing_on')
    expect(graph.calls.map((x) => `${x.method} ${x.path}`)).toEqual([
      'GET /v25.0/me',
      `GET /v25.0/${PSID}`,
      `POST /v25.0/${PAGE_ID}/messages`,
      `POST /v25.0/${PAGE_ID}/messages`,
    ])
    for (const call of graph.calls) {
      expect(call.query.get('access_token')).toBe(PAGE_TOKEN)
      expect(call.query.get('appsecret_proof')).toBe(PROOF)
    }
  })

  it('sendMessage posts recipient, messaging_type and message; answers the mid', async () => {
    const sent = await client().sendMessage(PSID, { text: 'oi' }, { messagingType: 'RESPONSE' })
    expect(graph.calls[0]!.body).toEqual({
      recipient: { id: PSID },
      messaging_type: 'RESPONSE',
      message: { text: 'oi', metadata: 'fourbiz-botpress' },
    })
    expect(sent).toEqual({ recipientId: PSID, messageId: graph.sent(PSID)[0]!.messageId })
    expect(sent.messageId).toMatch(/^m_/)
  })

  it('sendSenderAction is sent alone', async () => {
    await client().sendSenderAction(PSID, 'mark_seen')
    expect(graph.calls[0]!.body).toEqual({ recipient: { id: PSID }, sender_action: 'mark_seen' })
    expect(graph.senderActions(PSID)).toEqual(['mark_seen'])
  })

  it('getProfile asks for first_name,last_name,profile_pic; getMe for the page', async () => {
    expect(await client().getProfile(PSID)).toEqual({
      name: 'Ana Souza',
      firstName: 'Ana',
      lastName: 'Souza',
      pictureUrl: 'https://cdn.example/ana.jpg',
    })
    expect(graph.calls[0]!.query.get('fields')).toBe('first_name,last_name,profile_pic')
    expect(await client().getMe()).toEqual({ id: PAGE_ID, name: graph.pageName })
  })

  it('HUMAN_AGENT: needs the approved feature, then works up to 7 days after the last user message', async () => {
    graph.userMessaged(PSID, Date.now() - 3 * 24 * 3600_000)
    const refused = await failure(
      client().sendMessage(PSID, { text: 'analista' }, { messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' })
    )
    expect([refused.kind, refused.code, refused.subcode]).toEqual(['window', 10, 2018065])
    expect(refused.toRuntimeError().message).toContain('lacks the permission to message outside the window')

    graph.humanAgentApproved = true
    await client().sendMessage(PSID, { text: 'analista' }, { messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' })
    expect(graph.sent(PSID).map((s) => [s.messagingType, s.tag])).toEqual([['MESSAGE_TAG', 'HUMAN_AGENT']])
    expect(graph.calls.at(-1)!.body).toMatchObject({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' })

    graph.userMessaged(PSID, Date.now() - 8 * 24 * 3600_000)
    const late = await failure(
      client().sendMessage(PSID, { text: 'tarde' }, { messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' })
    )
    expect([late.kind, late.subcode]).toEqual(['window', 2018278])
  })

  it('deprecated tags cannot be written, and Meta (the fake) refuses them with 100', async () => {
    const deprecated = { messagingType: 'MESSAGE_TAG', tag: 'ACCOUNT_UPDATE' } as const
    // @ts-expect-error ACCOUNT_UPDATE is not a tag the client accepts
    const error = await failure(client().sendMessage(PSID, { text: 'x' }, deprecated))
    expect([error.kind, error.code]).toEqual(['parameter', 100])
    // @ts-expect-error a tag needs MESSAGE_TAG
    void (() => client().sendMessage(PSID, { text: 'x' }, { messagingType: 'RESPONSE', tag: 'HUMAN_AGENT' }))
  })

  it('missing credentials are a RuntimeError naming them', () => {
    expect(() => graphClientFor({ pageId: PAGE_ID, pageAccessToken: '', appSecret: ' ' })).toThrow(
      /missing pageAccessToken, appSecret/
    )
  })
})

describe('classification by code/subcode', () => {
  const cases: [number, number | undefined, GraphErrorKind, boolean][] = [
    [190, undefined, 'token', false],
    [190, 463, 'token', false],
    [10, 2018278, 'window', false],
    [10, 2534022, 'window', false],
    [10, 2018065, 'window', false],
    [10, 2018108, 'unavailable-user', false],
    [10, undefined, 'permission', false],
    [200, undefined, 'permission', false],
    [230, undefined, 'permission', false],
    [100, undefined, 'parameter', false],
    [100, 2018001, 'parameter', false],
    [551, undefined, 'unavailable-user', false],
    [551, 1545041, 'unavailable-user', false],
    [200, 1545041, 'unavailable-user', false],
    [368, undefined, 'policy', false],
    [613, 2018338, 'policy', false],
    [10, 2018300, 'thread-control', false],
    [4, undefined, 'rate-limit', true],
    [17, undefined, 'rate-limit', true],
    [32, undefined, 'rate-limit', true],
    [613, undefined, 'rate-limit', true],
    [1, undefined, 'temporary', true],
    [2, undefined, 'temporary', true],
    [-1, 2018012, 'temporary', true],
    [1200, 2018024, 'temporary', true],
  ]

  it.each(cases)(
    'code %p subcode %p → %s (retryable %p), from a real Graph answer',
    async (code, subcode, kind, retryable) => {
      graph.failNext(1, { code, subcode })
      const error = await failure(
        client({ retries: 0 }).sendMessage(PSID, { text: 'x' }, { messagingType: 'RESPONSE' })
      )
      expect([error.code, error.subcode, error.kind, error.retryable]).toEqual([code, subcode, kind, retryable])
      expect(error.fbtraceId).toMatch(/^[A-Za-z0-9+/]+$/)
    }
  )

  it('by code, not by HTTP status', () => {
    expect(classifyGraphError(100, undefined, 500)).toBe('parameter')
    expect(classifyGraphError(2, undefined, 400)).toBe('temporary')
    expect(classifyGraphError(undefined, undefined, 503)).toBe('temporary')
    expect(classifyGraphError(undefined, undefined, 404)).toBe('unknown')
  })
})

describe('retries', () => {
  const send = (retry: Partial<RetryPolicy> = {}) =>
    client(retry).sendMessage(PSID, { text: 'x' }, { messagingType: 'RESPONSE' })

  it('613 is retried, then the send goes through once', async () => {
    graph.failNext(1, { code: 613 })
    await send()
    expect(graph.calls).toHaveLength(2)
    expect(graph.sent(PSID)).toHaveLength(1)
    expect(logs.join('\n')).toMatch(/answered error 613; retry 1\/3 in \d+ ms/)
  })

  it('1200, 2 and 5xx without a Graph body are retried', async () => {
    graph.failNext(1, { code: 1200, subcode: 2018024 })
    graph.failNext(1, { code: 2, httpStatus: 503 })
    let n = 0
    graph.fault = (call) =>
      call.method === 'POST' && n++ === 2
        ? { status: 502, raw: '<html>Bad Gateway</html>', headers: { 'content-type': 'text/html' } }
        : undefined
    await send()
    expect(graph.calls).toHaveLength(4)
    expect(graph.sent(PSID)).toHaveLength(1)
  })

  it('a dropped connection is retried', async () => {
    let n = 0
    graph.fault = () => (n++ === 0 ? 'reset' : undefined)
    await send()
    expect(graph.calls).toHaveLength(2)
    expect(graph.sent(PSID)).toHaveLength(1)
  })

  it('retries exhausted → a retryable error that counts the attempts', async () => {
    graph.failNext(4, { code: 1200 })
    const error = await failure(send())
    expect(graph.calls).toHaveLength(4)
    expect([error.kind, error.retryable, error.attempts]).toEqual(['temporary', true, 4])
    expect(error.toRuntimeError().message).toContain('still failed after 4 attempts')
  })

  it('final errors are not retried', async () => {
    graph.failNext(1, { code: 100 })
    await failure(send())
    expect(graph.calls).toHaveLength(1)
  })

  it("honours Meta's Retry-After when it is short", async () => {
    graph.failNext(1, { code: 4, headers: { 'retry-after': '1' } })
    await send()
    expect(graph.calls).toHaveLength(2)
    expect(logs.join('\n')).toMatch(/retry 1\/3 in (1\d{3}) ms \(Meta asked to wait 1 s\)/)
  })

  it('a hint longer than the cap (X-Business-Use-Case-Usage, minutes) fails fast with when to retry', async () => {
    const usage = {
      [PAGE_ID]: [
        { type: 'messenger', call_count: 100, total_cputime: 20, total_time: 30, estimated_time_to_regain_access: 7 },
      ],
    }
    graph.failNext(1, { code: 613, headers: { 'x-business-use-case-usage': JSON.stringify(usage) } })
    const error = await failure(send())
    expect(graph.calls).toHaveLength(1)
    expect([error.kind, error.retryable, error.retryAfterMs]).toEqual(['rate-limit', true, 7 * 60_000])
    const runtime = error.toRuntimeError()
    expect(runtime.message).toContain('retry in about 7 minutes')
    expect(runtime.metadata).toMatchObject({ graph: { kind: 'rate-limit', retryable: true, retryAfterSeconds: 420 } })
  })

  it('X-App-Usage at 100% fails fast too', async () => {
    graph.failNext(1, { code: 4, headers: { 'x-app-usage': '{"call_count":100,"total_cputime":10,"total_time":12}' } })
    const error = await failure(send())
    expect(graph.calls).toHaveLength(1)
    expect(error.retryAfterMs).toBe(5 * 60_000)
  })

  it('Retry-After above a smaller cap fails fast', async () => {
    graph.failNext(1, { code: 32, headers: { 'retry-after': '3' } })
    const error = await failure(send({ maxWaitMs: 2000 }))
    expect(graph.calls).toHaveLength(1)
    expect(error.toRuntimeError().message).toContain('retry in about 3 seconds')
  })

  it('a timeout is final for the call (ambiguous, budget spent) and says so', async () => {
    graph.fault = () => 'hang'
    const error = await failure(send({ timeoutMs: 150 }))
    expect(graph.calls).toHaveLength(1)
    expect([error.kind, error.retryable]).toEqual(['temporary', true])
    expect(error.toRuntimeError().message).toContain(
      'did not answer within 1 second; the message may or may not have been delivered'
    )
  })

  it('a 200 that is not a Graph answer is reported, not trusted', async () => {
    graph.fault = () => ({ status: 200, body: { ok: true } })
    const error = await failure(send())
    expect(error.kind).toBe('unknown')
    expect(error.toRuntimeError().message).toContain('not a Graph response')
  })
})

describe('secrets', () => {
  it('a wrong token gives the 190 sentence; neither token nor proof appear anywhere', async () => {
    const wrong = 'EAAWRONGTOKEN123456'
    const error = await failure(client({}, baseConfig({ pageAccessToken: wrong })).getMe())
    expect(error.kind).toBe('token')
    const runtime = error.toRuntimeError()
    expect(runtime.message).toContain(
      'the Page access token is invalid or expired: generate a new one in Meta app > Messenger > Settings and update pageAccessToken'
    )
    const wrongProof = createHmac('sha256', APP_SECRET).update(wrong).digest('hex')
    const everything = [error.message, runtime.message, JSON.stringify(runtime.toJSON()), ...logs].join('\n')
    for (const secret of [wrong, wrongProof, APP_SECRET, 'access_token=']) expect(everything).not.toContain(secret)
  })

  it('even if Meta echoed the token in a message, it is redacted', async () => {
    graph.fault = () => ({
      status: 400,
      body: {
        error: {
          message: `bad token ${PAGE_TOKEN} proof ${PROOF}`,
          type: 'OAuthException',
          code: 190,
          fbtrace_id: 'X',
        },
      },
    })
    const error = await failure(client().getMe())
    expect(error.metaMessage).toBe('bad token [redacted] proof [redacted]')
    expect(error.toRuntimeError().message).not.toContain(PAGE_TOKEN)
  })

  it('a network failure message carries neither the URL nor its query', async () => {
    const saved = process.env.MESSENGER_GRAPH_URL
    process.env.MESSENGER_GRAPH_URL = 'http://127.0.0.1:9'
    try {
      const error = await failure(graphClientFor(baseConfig(), { retry: { retries: 1, baseDelayMs: 1 } }).getMe())
      expect([error.kind, error.attempts]).toEqual(['temporary', 2])
      expect(error.toRuntimeError().message).toBe(
        'Could not check the Page access token with Meta: the Graph API could not be reached after 2 attempts. Retry later. (ECONNREFUSED)'
      )
      expect(error.message).not.toContain(PAGE_TOKEN)
    } finally {
      process.env.MESSENGER_GRAPH_URL = saved
    }
  })
})

describe('waitHintMs', () => {
  it('reads Retry-After as seconds or a date, BUC in minutes, and takes the longest', () => {
    expect(waitHintMs({ 'retry-after': '2' })).toBe(2000)
    const inAMinute = new Date(Date.now() + 60_000).toUTCString()
    expect(waitHintMs({ 'retry-after': inAMinute })).toBeGreaterThan(50_000)
    expect(
      waitHintMs({
        'retry-after': '2',
        'x-business-use-case-usage':
          '{"1":[{"estimated_time_to_regain_access":0}],"2":[{"estimated_time_to_regain_access":3}]}',
      })
    ).toBe(180_000)
    expect(waitHintMs({ 'x-app-usage': '{"call_count":42}' })).toBeUndefined()
    expect(waitHintMs({ 'x-business-use-case-usage': 'not json' })).toBeUndefined()
  })
})
