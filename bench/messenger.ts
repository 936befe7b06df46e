import { performance } from 'node:perf_hooks'
import { BotpressFake } from '../test/fakes/botpress'
import { FourbizFake } from '../test/fakes/fourbiz'
import { GraphFake } from '../test/fakes/graph'
import { baseConfig, metaJson, postMessenger, startBotpress } from '../test/harness'
import { entry, page, text } from '../test/fixtures/messenger'
import { ms, percentile, quietly, table } from './stats'

/** Helper off: the first message opens a ticket (and answers with its number), later ones are follow-ups. */
async function agentModeCalls(botpress: BotpressFake, graph: GraphFake, user: string) {
  const fourbiz = new FourbizFake()
  await fourbiz.start()
  const config = baseConfig({ helperInterception: false, fourbizUrl: `${fourbiz.url}/4biz` })
  try {
    const calls = async (mid: string) => {
      graph.userMessaged(user)
      const [b0, g0, f0] = [botpress.calls.length, graph.calls.length, fourbiz.calls.length]
      await quietly(() => postMessenger(metaJson(page([entry([text(user, mid, 'preciso de ajuda', Date.now())])])), config))
      return { 'Botpress API': botpress.calls.length - b0, 'Graph API': graph.calls.length - g0, '4biz': fourbiz.calls.length - f0 }
    }
    const opening = await calls('m_agent_1')
    const followUp = await calls('m_agent_2')
    console.log('\nAPI calls per inbound text message (Helper off: straight to 4biz)')
    table([
      { message: 'first: opens the ticket, answers its number', ...opening },
      { message: 'later: a follow-up on the ticket', ...followUp },
    ])
  } finally {
    await fourbiz.stop()
  }
}

/** Inbound Messenger figures: handler time per event, API calls per message, batch concurrency. */
export async function benchMessenger(): Promise<void> {
  const botpress = await startBotpress()
  const graph = new GraphFake()
  await graph.start()
  process.env.MESSENGER_GRAPH_URL = graph.url
  const config = baseConfig()
  const psid = (i: number) => String(7_100_000_000_000_000 + i)
  for (let i = 0; i < 200; i++) graph.setProfile(psid(i), { first_name: 'User', last_name: String(i), profile_pic: `https://cdn.example/${i}.jpg` })

  try {
    // calls per inbound message: a user's first message, then a later one
    const calls = async (mid: string) => {
      const [b0, g0] = [botpress.calls.length, graph.calls.length]
      await quietly(() => postMessenger(metaJson(page([entry([text(psid(0), mid, 'olá')])])), config))
      return { botpress: botpress.calls.length - b0, graph: graph.calls.length - g0 }
    }
    const first = await calls('m_first')
    const later = await calls('m_later')
    console.log('\nAPI calls per inbound text message (Helper on, bot mode)')
    table([
      { message: "a user's first", 'Botpress API': first.botpress, 'Graph API': first.graph },
      { message: 'later messages', 'Botpress API': later.botpress, 'Graph API': later.graph },
    ])
    await agentModeCalls(botpress, graph, psid(199))

    // per-event handler time, zero-latency fakes, users already known
    const samples: number[] = []
    await quietly(async () => {
      for (let i = 0; i < 400; i++) {
        const body = metaJson(page([entry([text(psid(i % 20), `m_t${i}`, `mensagem ${i}`)])]))
        const t0 = performance.now()
        await postMessenger(body, config)
        samples.push(performance.now() - t0)
      }
    })
    const warm = samples.slice(20)
    console.log('\nHandler time per inbound event (400 text messages, 20 known users, zero-latency fakes)')
    table([{ median: ms(percentile(warm, 50)), p99: ms(percentile(warm, 99)), max: ms(Math.max(...warm)) }])

    // 100 events from 20 senders, 20 ms latency on every fake call: one batch vs one by one
    botpress.latencyMs = 20
    graph.latencyMs = 20
    const events = Array.from({ length: 100 }, (_, i) => text(psid(100 + (i % 20)), `m_b${i}`, `lote ${i}`, 1_790_000_000_000 + i))
    await quietly(() => postMessenger(metaJson(page([entry([text(psid(100), 'm_warm', 'warm')])])), config))
    for (let s = 101; s < 120; s++) await quietly(() => postMessenger(metaJson(page([entry([text(psid(s), `m_warm${s}`, 'warm')])])), config))
    const t0 = performance.now()
    const res = await quietly(() => postMessenger(metaJson(page([entry(events)])), config))
    const batchMs = performance.now() - t0
    const oneByOne = events.map((e, i) => text(psid(100 + (i % 20)), `m_s${i}`, `um a um ${i}`, 1_790_000_100_000 + i))
    const t1 = performance.now()
    await quietly(async () => {
      for (const e of oneByOne) await postMessenger(metaJson(page([entry([e])])), config)
    })
    const serialMs = performance.now() - t1
    console.log('\n100 events from 20 known senders, 20 ms latency per fake call')
    table([
      { run: 'one webhook body (per-sender order, senders concurrent)', 'wall time': ms(batchMs), status: res.status },
      { run: 'the same events one by one', 'wall time': ms(serialMs), status: '' },
      { run: 'speed-up', 'wall time': `${(serialMs / batchMs).toFixed(1)}x`, status: '' },
    ])
  } finally {
    await botpress.stop()
    await graph.stop()
  }
}
