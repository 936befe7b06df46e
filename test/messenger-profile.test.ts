import { createHmac } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import axios from 'axios'
import { FAKE_GRAPH_VERSION, GraphFake, startGraph } from './fakes/graph'
import { startWorld, World } from './fourbiz-setup'
import { APP_SECRET, callAction, callOperation, metaJson, PAGE_ID, PAGE_TOKEN, postMessenger } from './harness'
import type * as bp from '../src/typings'

/**
 * The Page's Messenger profile through the entries Botpress Cloud calls: register (from the
 * configuration), unregister (cleared or left) and the updateMessengerProfile action, against the strict
 * Graph fake, which keeps the profile and enforces Meta's limits and error shapes.
 */

let w: World
let graph: GraphFake
beforeAll(async () => {
  process.env.MESSENGER_GRAPH_RETRY_BASE_MS = '5' // Meta's 613 is retried: keep the backoff short
  w = await startWorld()
  graph = await startGraph()
})
afterAll(async () => {
  delete process.env.MESSENGER_GRAPH_RETRY_BASE_MS
  await graph.stop()
  await w.stop()
})
beforeEach(() => {
  graph.messengerProfile = {}
  graph.clearTraffic()
})

const WEBHOOK = 'https://webhook.botpress.cloud/wh_test'
const register = (overrides: Partial<bp.Configuration> = {}) =>
  callOperation('register', { webhookUrl: WEBHOOK }, w.config(overrides))
const unregister = (overrides: Partial<bp.Configuration> = {}) =>
  callOperation('unregister', { webhookUrl: WEBHOOK }, w.config(overrides))
/** The Messenger Profile calls, as "METHOD fields". */
const profileCalls = () =>
  graph.callsTo('/messenger_profile').map((c) => {
    const fields =
      c.method === 'GET'
        ? c.query.get('fields')
        : c.method === 'DELETE'
          ? c.body.fields.join(',')
          : Object.keys(c.body).join(',')
    return `${c.method} ${fields}`
  })

/** The profile calls as they went on the wire (token and proof left out), for the closing note. */
const wire = () =>
  graph.callsTo('/messenger_profile').map((c) => ({
    method: c.method,
    path: c.path,
    ...(c.query.get('fields') ? { fields: c.query.get('fields') } : {}),
    ...(c.body ? { body: c.body } : {}),
  }))
function saveCalls(calls: object) {
  const dir = path.join(__dirname, '..', 'test-results')
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, 'profile-register-calls.json'), JSON.stringify(calls, null, 2) + '\n')
}

const FULL: Partial<bp.Configuration> = {
  getStartedPayload: 'START_HERE',
  greetings: [
    { locale: 'default', text: 'Olá {{user_first_name}}! Bem-vindo ao suporte.' },
    { locale: 'en-US', text: 'Hi {{user_first_name}}! Welcome to support.' },
  ],
  persistentMenu: [
    { title: 'Abrir chamado', payload: 'NEW_TICKET' },
    { title: 'Portal', url: 'https://suporte.example.com/portal' },
    { locale: 'en_US', title: 'Open a ticket', payload: 'NEW_TICKET' },
  ],
  iceBreakers: [{ question: 'Como abro um chamado?', payload: 'HOW_TO_OPEN' }],
}

it('register sets the whole profile in one read and one write, in the shapes Meta expects', async () => {
  const res = await register(FULL)
  expect(res.status).toBe(200)
  expect(profileCalls()).toEqual([
    'GET get_started,greeting,persistent_menu,ice_breakers',
    'POST get_started,greeting,persistent_menu,ice_breakers',
  ])
  expect(graph.messengerProfile).toEqual({
    get_started: { payload: 'START_HERE' },
    greeting: [
      { locale: 'default', text: 'Olá {{user_first_name}}! Bem-vindo ao suporte.' },
      { locale: 'en_US', text: 'Hi {{user_first_name}}! Welcome to support.' },
    ],
    persistent_menu: [
      {
        locale: 'default',
        composer_input_disabled: false,
        call_to_actions: [
          { type: 'postback', title: 'Abrir chamado', payload: 'NEW_TICKET' },
          { type: 'web_url', title: 'Portal', url: 'https://suporte.example.com/portal' },
        ],
      },
      {
        locale: 'en_US',
        composer_input_disabled: false,
        call_to_actions: [{ type: 'postback', title: 'Open a ticket', payload: 'NEW_TICKET' }],
      },
    ],
    ice_breakers: [
      { locale: 'default', call_to_actions: [{ question: 'Como abro um chamado?', payload: 'HOW_TO_OPEN' }] },
    ],
  })
})

it('an unchanged profile costs one read; a changed greeting is the only field written', async () => {
  await register(FULL)
  const full = wire()
  graph.clearTraffic()
  await register(FULL)
  expect(profileCalls()).toEqual(['GET get_started,greeting,persistent_menu,ice_breakers'])
  saveCalls({ 'register, full profile on a Page without one': full, 'register again, nothing changed': wire() })

  graph.clearTraffic()
  await register({ ...FULL, greetings: [{ text: 'Novo texto' }] })
  expect(profileCalls()).toEqual(['GET get_started,greeting,persistent_menu,ice_breakers', 'POST greeting'])
  expect(graph.messengerProfile.greeting).toEqual([{ locale: 'default', text: 'Novo texto' }])
})

it("Meta's 10 profile calls per 10 minutes: nine unchanged registers fit where nine full rewrites would not", async () => {
  await register(FULL) // GET + POST
  for (let i = 0; i < 8; i++) expect((await register(FULL)).status).toBe(200) // 1 GET each: 10 calls in all
  const over = await register(FULL)
  expect([over.status, over.json.message]).toEqual([
    400,
    expect.stringMatching(/Meta is rate-limiting the app or the Page/),
  ])
  graph.now = () => Date.now() + 10 * 60_000 // ten minutes later the window is free again
  try {
    expect((await register(FULL)).status).toBe(200)
  } finally {
    graph.now = () => Date.now()
  }
})

it('defaults: Get Started, a service-desk greeting and menu in pt-BR (default), en and es; no ice breakers', async () => {
  await register()
  const p = graph.messengerProfile as any
  expect(p.get_started).toEqual({ payload: 'GET_STARTED' })
  expect(p.ice_breakers).toBeUndefined()
  const greeting = Object.fromEntries(p.greeting.map((g: any) => [g.locale, g.text]))
  expect(greeting.default).toMatch(/chamado/)
  expect(greeting.pt_BR).toBe(greeting.default)
  expect(greeting.en_US).toMatch(/ticket/)
  expect(greeting.es_LA).toMatch(/ticket/)
  const menu = Object.fromEntries(
    p.persistent_menu.map((m: any) => [m.locale, m.call_to_actions.map((a: any) => a.title)])
  )
  expect(menu.default).toEqual(['Abrir um chamado', 'Meus chamados', 'Falar com um atendente'])
  expect(menu.en_GB).toEqual(['Open a ticket', 'My tickets', 'Talk to a person'])
  expect(menu.es_ES).toEqual(['Abrir un ticket', 'Mis tickets', 'Hablar con una persona'])

  // language en: the default locale speaks English
  graph.messengerProfile = {}
  await register({ language: 'en' })
  expect((graph.messengerProfile as any).greeting[0]).toEqual({
    locale: 'default',
    text: expect.stringMatching(/^Hi /),
  })
})

it('with Helper interception off the default has no menu (no bot would answer its postbacks)', async () => {
  await register({ helperInterception: false })
  expect(Object.keys(graph.messengerProfile).sort()).toEqual(['get_started', 'greeting'])
})

it('empty lists and "off" remove what is on the Page, in one delete', async () => {
  await register(FULL)
  graph.clearTraffic()
  const res = await register({ getStartedPayload: 'off', greetings: [], persistentMenu: [], iceBreakers: [] })
  expect(res.status).toBe(200)
  expect(profileCalls()).toEqual([
    'GET get_started,greeting,persistent_menu,ice_breakers',
    'DELETE get_started,greeting,persistent_menu,ice_breakers',
  ])
  expect(graph.messengerProfile).toEqual({})
})

it('messengerProfile off: register never touches the profile', async () => {
  graph.messengerProfile = { greeting: [{ locale: 'default', text: 'set by hand' }] }
  expect((await register({ messengerProfile: false })).status).toBe(200)
  expect(profileCalls()).toEqual([])
  expect(graph.messengerProfile).toEqual({ greeting: [{ locale: 'default', text: 'set by hand' }] })
})

it("Meta's limits are checked before sending, naming the key to fix", async () => {
  const cases: [Partial<bp.Configuration>, RegExp][] = [
    [{ greetings: [{ text: 'x'.repeat(161) }] }, /"greetings\.0\.text" is 161 characters; Meta allows 160/],
    [{ greetings: [{ locale: 'en_US', text: 'Hi' }] }, /"greetings" has no entry for the locale "default"/],
    [{ greetings: [{ locale: 'english', text: 'Hi' }] }, /"greetings\.0\.locale" is "english", not a Meta locale/],
    [
      { persistentMenu: Array.from({ length: 21 }, (_, i) => ({ title: `Item ${i}`, payload: `P${i}` })) },
      /"persistentMenu" has 21 items for the locale default; Meta allows 20/,
    ],
    [
      { persistentMenu: [{ title: 'Um título longo demais para o menu', payload: 'X' }] },
      /"persistentMenu\.0\.title" is 34 characters; Meta allows 30/,
    ],
    [{ persistentMenu: [{ title: 'Site', url: 'ftp://x' }] }, /"persistentMenu\.0\.url" must be an http\(s\) URL/],
    [{ persistentMenu: [{ title: 'Nada' }] }, /"persistentMenu\.0" needs either a payload or a url/],
    [{ getStartedPayload: 'off' }, /"persistentMenu" needs the Get Started button/],
    [
      { iceBreakers: Array.from({ length: 5 }, (_, i) => ({ question: `Pergunta ${i}?`, payload: `Q${i}` })) },
      /"iceBreakers" has 5 questions for the locale default; Meta allows 4/,
    ],
    [{ getStartedPayload: 'x'.repeat(1001) }, /"getStartedPayload" is 1001 characters; Meta allows 1000/],
  ]
  for (const [overrides, message] of cases) {
    const res = await register(overrides)
    expect([res.status, res.json.message]).toEqual([400, expect.stringMatching(message)])
  }
  expect(profileCalls()).toEqual([])
})

it("Meta's refusals come back as configuration errors naming the key", async () => {
  // a menu on a Page without Get Started, when the integration is told not to manage get_started: Meta's own rule
  const res = await callAction(
    'updateMessengerProfile',
    { persistentMenu: [{ title: 'Ajuda', payload: 'HELP' }] },
    w.config()
  )
  expect(res.status).toBe(400)
  expect(res.json.message).toMatch(
    /Meta refused to set persistent_menu\. Check the updateMessengerProfile input "persistentMenu"/
  )
  expect(res.json.message).toMatch(
    /Meta error 100\/2018145: "\(#100\) You must set a Get Started button if you also wish to use persistent menu\."/
  )
  expect(res.json.message).toMatch(/fbtrace_id/)
})

it('the updateMessengerProfile action changes only the fields it is given, only if they differ', async () => {
  await register(FULL)
  graph.clearTraffic()
  const res = await callAction('updateMessengerProfile', { greetings: FULL.greetings, iceBreakers: [] }, w.config())
  expect(res.status).toBe(200)
  expect(res.json.output).toEqual({ changed: [], removed: ['ice_breakers'] })
  expect(profileCalls()).toEqual(['GET greeting,ice_breakers', 'DELETE ice_breakers'])
  expect(graph.messengerProfile.persistent_menu).toBeDefined()

  graph.clearTraffic()
  const again = await callAction('updateMessengerProfile', { getStartedPayload: 'COMECAR' }, w.config())
  expect(again.json.output).toEqual({ changed: ['get_started'], removed: [] })
  expect(graph.messengerProfile.get_started).toEqual({ payload: 'COMECAR' })

  const bad = await callAction('updateMessengerProfile', { greetings: [{ text: 'y'.repeat(200) }] }, w.config())
  expect([bad.status, bad.json.message]).toEqual([
    400,
    expect.stringMatching(/updateMessengerProfile input "greetings\.0\.text" is 200 characters/),
  ])
})

it('an old-shape ice breaker list on the Page equals the same questions for the default locale (no rewrite)', async () => {
  graph.messengerProfile = { ice_breakers: [{ question: 'Como abro um chamado?', payload: 'HOW_TO_OPEN' }] }
  const res = await callAction('updateMessengerProfile', { iceBreakers: FULL.iceBreakers }, w.config())
  expect(res.json.output).toEqual({ changed: [], removed: [] })
  expect(profileCalls()).toEqual(['GET ice_breakers'])
})

it('unregister clears what is set (default) or leaves it (profileOnUnregister: leave)', async () => {
  await register(FULL)
  graph.clearTraffic()
  expect((await unregister({ profileOnUnregister: 'leave' })).status).toBe(200)
  expect(profileCalls()).toEqual([])
  expect(Object.keys(graph.messengerProfile).sort()).toEqual([
    'get_started',
    'greeting',
    'ice_breakers',
    'persistent_menu',
  ])

  expect((await unregister()).status).toBe(200)
  expect(profileCalls()).toEqual([
    'GET get_started,greeting,persistent_menu,ice_breakers',
    'DELETE get_started,greeting,persistent_menu,ice_breakers',
  ])
  expect(graph.messengerProfile).toEqual({})
})

it('unregister still succeeds when Meta refuses the clean-up (the token was revoked)', async () => {
  await register(FULL)
  const res = await unregister({ pageAccessToken: 'EAAREVOKED' })
  expect(res.status).toBe(200)
  expect(graph.messengerProfile.get_started).toBeDefined()
})

it('the Get Started tap reaches the bot like any postback: its payload as the text, the button title as title', async () => {
  await register(FULL)
  const psid = '7055566677788899'
  graph.userMessaged(psid)
  const raw = metaJson({
    object: 'page',
    entry: [
      {
        id: PAGE_ID,
        time: Date.now(),
        messaging: [
          {
            sender: { id: psid },
            recipient: { id: PAGE_ID },
            timestamp: Date.now(),
            postback: { title: 'Get Started', payload: 'START_HERE', mid: 'm_get_started_1' },
          },
        ],
      },
    ],
  })
  expect((await postMessenger(raw, w.config(FULL))).status).toBe(200)
  const conversation = w.botpress.conversations.find((c) => c.tags.psid === psid)!
  const got = w.botpress.messages.filter((m) => m.conversationId === conversation.id && m.direction === 'incoming')
  expect(got.map((m) => [m.type, m.payload.text])).toEqual([['text', 'START_HERE']])
})

it('Helper interception off: the Get Started tap opens no ticket; the first words do', async () => {
  const psid = '7055566677788800'
  graph.userMessaged(psid)
  const tickets = w.fourbiz.tickets.size
  const tap = metaJson({
    object: 'page',
    entry: [
      {
        id: PAGE_ID,
        time: Date.now(),
        messaging: [
          {
            sender: { id: psid },
            recipient: { id: PAGE_ID },
            timestamp: Date.now(),
            postback: { title: 'Get Started', payload: 'GET_STARTED', mid: 'm_get_started_off' },
          },
        ],
      },
    ],
  })
  expect((await postMessenger(tap, w.config({ helperInterception: false }))).status).toBe(200)
  expect(w.fourbiz.tickets.size).toBe(tickets)
  const words = metaJson({
    object: 'page',
    entry: [
      {
        id: PAGE_ID,
        time: Date.now(),
        messaging: [
          {
            sender: { id: psid },
            recipient: { id: PAGE_ID },
            timestamp: Date.now(),
            message: { mid: 'm_first_words', text: 'Minha senha expirou' },
          },
        ],
      },
    ],
  })
  expect((await postMessenger(words, w.config({ helperInterception: false }))).status).toBe(200)
  expect([...w.fourbiz.tickets.values()].at(-1)!.description).toBe('Minha senha expirou')
})

describe('the Graph fake is as strict as Meta on the profile', () => {
  const proof = createHmac('sha256', APP_SECRET).update(PAGE_TOKEN).digest('hex')
  const post = (body: object) =>
    axios
      .post(`${graph.url}/${FAKE_GRAPH_VERSION}/me/messenger_profile`, body, {
        params: { access_token: PAGE_TOKEN, appsecret_proof: proof },
        validateStatus: () => true,
      })
      .then((r) => [r.status, r.data.error?.message ?? r.data.result])

  it('refuses what Meta refuses, with its messages', async () => {
    expect(await post({ greeting: [{ locale: 'en_US', text: 'Hi' }] })).toEqual([
      400,
      '(#100) You must specify a greeting for the default locale in greeting',
    ])
    expect(await post({ greeting: [{ locale: 'default', text: 'x'.repeat(161) }] })).toEqual([
      400,
      '(#100) Length of param greeting[0][text] must be less than or equal to 160',
    ])
    expect(
      await post({
        get_started: { payload: 'A' },
        persistent_menu: [
          { locale: 'default', call_to_actions: [{ type: 'nested', title: 'More', call_to_actions: [] }] },
        ],
      })
    ).toEqual([
      400,
      '(#100) Param persistent_menu[0][call_to_actions][0][type]: nested persistent menus are not supported since Graph API v8.0',
    ])
    expect(
      await post({
        persistent_menu: [{ locale: 'default', call_to_actions: [{ type: 'postback', title: 'A', payload: 'A' }] }],
      })
    ).toEqual([400, '(#100) You must set a Get Started button if you also wish to use persistent menu.'])
    expect(await post({ persistent_menu: [{ locale: 'default', type: 'postback', title: 'A' }] })).toEqual([
      400,
      '(#100) Invalid keys "type, title" were found in param "persistent_menu[0]".',
    ])
    expect(
      await post({
        ice_breakers: [
          { question: 'Q?', payload: 'Q' },
          { locale: 'default', call_to_actions: [{ question: 'Q?', payload: 'Q' }] },
        ],
      })
    ).toEqual([
      400,
      '(#100) Param ice_breakers must use either the old format or the new format with locales, not both',
    ])
    expect(
      await post({ ice_breakers: Array.from({ length: 5 }, (_, i) => ({ question: `Q${i}?`, payload: `Q${i}` })) })
    ).toEqual([400, '(#100) Param ice_breakers must have at most 4 ice breakers'])
    expect(graph.messengerProfile).toEqual({})
  })

  it('takes both ice-breaker shapes and answers GET in the shape it was given', async () => {
    expect(await post({ ice_breakers: [{ question: 'Q?', payload: 'Q' }] })).toEqual([200, 'success'])
    const got = await axios.get(`${graph.url}/${FAKE_GRAPH_VERSION}/me/messenger_profile`, {
      params: { fields: 'ice_breakers,greeting', access_token: PAGE_TOKEN, appsecret_proof: proof },
    })
    expect(got.data).toEqual({ data: [{ ice_breakers: [{ question: 'Q?', payload: 'Q' }] }] })
    expect(
      await post({ ice_breakers: [{ locale: 'default', call_to_actions: [{ question: 'Q?', payload: 'Q' }] }] })
    ).toEqual([200, 'success'])
  })
})
