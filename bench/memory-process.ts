import { body, loadBundle, postMessenger, textItem } from './drive'
import { silenceConsole } from './stats'

/**
 * Peak memory of one bundle alone in a process (forked by bench/index.ts, so that the other bundle's
 * heap does not count): 10,000 messages from 1,000 senders, in bodies of 100 events, against the
 * remote fakes. argv: bundle file, name, JSON of { botpress, botpressToken, graph }, the configuration,
 * the number of messages and the JSON list of senders.
 */
async function run() {
  const [file, name, urlsJson, configJson, messagesArg, sendersJson] = process.argv.slice(2) as [
    string,
    'project' | 'floor',
    string,
    string,
    string,
    string,
  ]
  const urls = JSON.parse(urlsJson)
  process.env.BP_API_URL = urls.botpress
  process.env.BP_TOKEN = urls.botpressToken
  process.env.MESSENGER_GRAPH_URL = urls.graph
  const messages = Number(messagesArg)
  const senders = JSON.parse(sendersJson) as string[]
  const restore = silenceConsole()
  const bundle = loadBundle(name, file, JSON.parse(configJson))
  const loaded = process.memoryUsage()
  const peak = { rss: loaded.rss, heapUsed: loaded.heapUsed }
  const sample = () => {
    const m = process.memoryUsage()
    peak.rss = Math.max(peak.rss, m.rss)
    peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed)
  }
  const timer = setInterval(sample, 5)
  const started = Date.now()
  const PER_BODY = 100
  for (let i = 0; i < messages; i += PER_BODY) {
    const items = Array.from({ length: Math.min(PER_BODY, messages - i) }, (_, j) =>
      textItem(senders[(i + j) % senders.length]!, `mensagem ${i + j}`)
    )
    await postMessenger(bundle, body(items))
    sample()
  }
  clearInterval(timer)
  restore()
  process.send!({
    loadedRss: loaded.rss,
    loadedHeap: loaded.heapUsed,
    peakRss: peak.rss,
    peakHeap: peak.heapUsed,
    ms: Date.now() - started,
  })
}

run().catch((err) => {
  process.stderr.write(String(err?.stack ?? err) + '\n')
  process.exit(1)
})
