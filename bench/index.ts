import { spawnSync, fork } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { performance } from 'node:perf_hooks'
import {
  body,
  Bundle,
  callAction,
  callOperation,
  floorConfig,
  loadBundle,
  newPsids,
  postMessenger,
  projectConfig,
  textItem,
} from './drive'
import { CallSummary, RemoteFakes } from './fakes'
import { fmtBytes, fmtMs, fmtRatio, markdownTable, median, ratios, silenceConsole, spread, Spread } from './stats'

/**
 * `npm run bench` (scripts/bench.js builds the bundles and calls main): the project's built bundle
 * and the floor's (bench/floor) in this process, driven through `handler` like Botpress Cloud drives
 * them, against the Botpress, Graph and 4biz fakes in another process with latency on every call.
 * Every time figure is the median of RUNS runs with min–max; ratios are project/floor run by run.
 * Printed and written to bench-results/latest.md; never asserted (no timed tests).
 */

export type BundleInfo = {
  file: string
  bytes: number
  duplicates: { name: string; copies: { root: string; bytes: number }[] }[]
  biggest: { name: string; bytes: number }[]
}
export type BenchOptions = {
  project: BundleInfo
  floor: BundleInfo
  fakesScript: string
  memoryScript: string
  resultsFile: string
}

const RUNS = Number(process.env.BENCH_RUNS) || 7
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS) || 20
const COLD_LAUNCHES = Number(process.env.BENCH_COLD_LAUNCHES) || 15
const MEMORY_MESSAGES = Number(process.env.BENCH_MEMORY_MESSAGES) || 10_000
const MEMORY_SENDERS = Number(process.env.BENCH_MEMORY_SENDERS) || 1_000

const out = (line = '') => process.stdout.write(line + '\n')

type Measured = { ms: number; calls: CallSummary[] }

/** One webhook body through a bundle: wall time in this process, calls as the fakes recorded them. */
async function measure(fakes: RemoteFakes, run: () => Promise<unknown>): Promise<Measured> {
  const mark = await fakes.mark()
  const t0 = performance.now()
  await run()
  const ms = performance.now() - t0
  return { ms, calls: await fakes.callsSince(mark) }
}

const count = (calls: CallSummary[], service: CallSummary['service']) =>
  calls.filter((c) => c.service === service).length

/** Calls by sequential round trip: a call arriving before the previous wave's latency is over went out with it. */
function waves(calls: CallSummary[]): CallSummary[][] {
  const out: CallSummary[][] = []
  let waveEnd = -Infinity
  for (const c of calls) {
    if (c.t >= waveEnd - 1) {
      out.push([])
      waveEnd = c.t + LATENCY_MS
    }
    out[out.length - 1]!.push(c)
  }
  return out
}

const roundTrips = (calls: CallSummary[]) => waves(calls).length

function describeCalls(
  calls: CallSummary[],
  services: CallSummary['service'][] = ['botpress', 'graph', '4biz']
): string {
  const names = { botpress: 'Botpress', graph: 'Graph', '4biz': '4biz' }
  const parts = services.filter((s) => s === 'botpress' || count(calls, s)).map((s) => `${count(calls, s)} ${names[s]}`)
  return `${parts.join(' + ')} (${roundTrips(calls)} in sequence)`
}

/** The calls of each measured message, as op lists; identical lists shown once with how often. */
function callLists(samples: Measured[]): string[] {
  const seen = new Map<string, number>()
  for (const s of samples) {
    // ‖: went out together (the same round trip); →: waited for the previous
    const key = waves(s.calls)
      .map((w) => w.map((c) => `${c.service === 'botpress' ? '' : c.service + ' '}${c.op}`).join(' ‖ '))
      .join(' → ')
    const full = `${key}  [${roundTrips(s.calls)} round trips in sequence]`
    seen.set(full, (seen.get(full) ?? 0) + 1)
  }
  return [...seen].map(([list, n]) => `${n}× ${list}`)
}

/** Runs `each` RUNS times for both bundles, alternating which goes first; returns per-run figures. */
async function paired(each: (b: Bundle, run: number) => Promise<Measured>, project: Bundle, floor: Bundle) {
  const p: Measured[] = []
  const f: Measured[] = []
  for (let run = 0; run < RUNS; run++) {
    if (run % 2 === 0) {
      p.push(await each(project, run))
      f.push(await each(floor, run))
    } else {
      f.push(await each(floor, run))
      p.push(await each(project, run))
    }
  }
  return {
    p,
    f,
    pMs: spread(p.map((m) => m.ms)),
    fMs: spread(f.map((m) => m.ms)),
    ratio: ratios(
      p.map((m) => m.ms),
      f.map((m) => m.ms)
    ),
  }
}

type Row = { work: string; project: string; floor: string; ratio: string; target: string; met: string }
type Detail = { title: string; lines: string[] }

const verdict = (checks: [string, boolean][]) =>
  checks.map(([what, ok]) => `${what}: ${ok ? 'met' : 'NOT met'}`).join('; ')

export async function main(opts: BenchOptions) {
  const started = Date.now()
  const restoreConsole = silenceConsole()
  const fakes = await RemoteFakes.start(opts.fakesScript, LATENCY_MS)
  process.env.BP_API_URL = fakes.urls.botpress
  process.env.BP_TOKEN = fakes.urls.botpressToken
  process.env.MESSENGER_GRAPH_URL = fakes.urls.graph
  const project = loadBundle('project', opts.project.file, projectConfig(fakes.urls.fourbiz))
  const floor = loadBundle('floor', opts.floor.file, floorConfig())
  const rows: Row[] = []
  const details: Detail[] = []
  const progress = (what: string) =>
    process.stderr.write(`  ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s  ${what}\n`)

  try {
    // ---- a later message, Helper on: known user, conversation not handed off
    progress('later message')
    const [pLater, fLater] = newPsids(2) as [string, string]
    await fakes.users([pLater, fLater])
    await postMessenger(project, body([textItem(pLater, 'olá')]))
    await postMessenger(floor, body([textItem(fLater, 'olá')]))
    const later = await paired(
      (b) => measure(fakes, () => postMessenger(b, body([textItem(b === project ? pLater : fLater, 'mais uma')]))),
      project,
      floor
    )
    const laterCalls = {
      botpress: median(later.p.map((m) => count(m.calls, 'botpress'))),
      graph: median(later.p.map((m) => count(m.calls, 'graph'))),
    }
    const floorCalls = median(later.f.map((m) => count(m.calls, 'botpress')))
    rows.push({
      work: 'later message, Helper on',
      project: `${describeCalls(later.p[0]!.calls)}, ${fmtMs(later.pMs)}`,
      floor: `${describeCalls(later.f[0]!.calls)}, ${fmtMs(later.fMs)}`,
      ratio: fmtRatio(later.ratio),
      target: `≤ 1.05×; ${floorCalls} Botpress calls, no Graph`,
      met: verdict([
        ['time', later.ratio.median <= 1.05],
        ['calls', laterCalls.botpress <= floorCalls && laterCalls.graph === 0],
      ]),
    })
    details.push(
      { title: 'later message, Helper on — project', lines: callLists(later.p) },
      { title: 'later message — floor', lines: callLists(later.f) }
    )

    // ---- a user's first message (profile from Graph)
    progress('first message')
    const firstPsids = newPsids(2 * RUNS)
    await fakes.users(firstPsids)
    const first = await paired(
      (b, run) =>
        measure(fakes, () => postMessenger(b, body([textItem(firstPsids[2 * run + (b === project ? 0 : 1)]!, 'oi')]))),
      project,
      floor
    )
    const firstBp = median(first.p.map((m) => count(m.calls, 'botpress')))
    const firstGraph = median(first.p.map((m) => count(m.calls, 'graph')))
    rows.push({
      work: 'first message of a user',
      project: `${describeCalls(first.p[0]!.calls)}, ${fmtMs(first.pMs)}`,
      floor: `${describeCalls(first.f[0]!.calls)}, ${fmtMs(first.fMs)}`,
      ratio: fmtRatio(first.ratio),
      target: '≤ 1.5×; ≤ 4 Botpress + 1 Graph (official)',
      met: verdict([
        ['time', first.ratio.median <= 1.5],
        ['calls', firstBp <= 4 && firstGraph <= 1],
      ]),
    })
    details.push(
      { title: 'first message of a user — project', lines: callLists(first.p) },
      { title: 'first message — floor', lines: callLists(first.f) }
    )

    // ---- a bot message (message_created), for the record of what an outbound message costs
    progress('bot message')
    const pBotConv = (await fakes.conversationOf('psid', pLater))!
    const botMessages: Measured[] = []
    for (let i = 0; i < 3; i++) {
      const op = await fakes.botMessage(pBotConv, `resposta ${i}`)
      botMessages.push(await measure(fakes, () => callOperation(project, 'message_created', op)))
    }
    details.push({ title: 'bot message (message_created) — project', lines: callLists(botMessages) })

    // ---- a follow-up on a handed-off ticket (the user writes, the ticket gets it)
    progress('follow-up on a handed-off ticket')
    const [pTicket] = newPsids(1) as [string]
    await fakes.users([pTicket])
    await postMessenger(project, body([textItem(pTicket, 'preciso de um analista')]))
    const ticketConv = (await fakes.conversationOf('psid', pTicket))!
    const handoff = await measure(fakes, () =>
      callAction(project, 'startHandoff', { conversationId: ticketConv, description: 'bench' })
    )
    details.push({ title: 'startHandoff (once, setup) — project', lines: callLists([handoff]) })
    await postMessenger(project, body([textItem(pTicket, 'primeira mensagem ao chamado')]))
    const followUp = await paired(
      (b) =>
        measure(fakes, () =>
          postMessenger(b, body([textItem(b === project ? pTicket : fLater, 'mais um detalhe para o analista')]))
        ),
      project,
      floor
    )
    const fuBp = median(followUp.p.map((m) => count(m.calls, 'botpress')))
    const fu4biz = median(followUp.p.map((m) => count(m.calls, '4biz')))
    const routingBytes = await fakes.stateBytes(ticketConv, 'routing')
    const routingWrite = median(
      followUp.p.map((m) => m.calls.filter((c) => c.op === 'setState(routing)').reduce((n, c) => n + c.bytes, 0))
    )
    rows.push({
      work: 'follow-up on a handed-off ticket',
      project: `${describeCalls(followUp.p[0]!.calls, ['botpress', '4biz'])}, ${fmtMs(followUp.pMs)}`,
      floor: `(a floor message) ${describeCalls(followUp.f[0]!.calls)}, ${fmtMs(followUp.fMs)}`,
      ratio: fmtRatio(followUp.ratio),
      // the yardstick is a user's message to the bot (the later message above): an inbound event costs the
      // conversation, the user and the message whichever way it goes
      target: `≤ 1.3× a floor message; 1 4biz call, ≤ ${laterCalls.botpress} Botpress (a message to the bot, measured)`,
      met: verdict([
        ['time', followUp.ratio.median <= 1.3],
        ['calls', fu4biz <= 1 && fuBp <= laterCalls.botpress],
      ]),
    })
    details.push({
      title: 'follow-up on a handed-off ticket — project',
      lines: [
        ...callLists(followUp.p),
        `routing state stored after ${RUNS + 1} follow-ups: ${routingBytes} bytes; setState(routing) request per follow-up: ${routingWrite} bytes`,
      ],
    })

    // ---- growth with history: what one follow-up reads and writes as the ticket's history grows (0 ms: sizes, not time)
    progress('follow-ups as the history grows')
    await fakes.latency(0)
    const growthRows: string[][] = []
    const checkpoints = new Set([1, 10, 100, 300, 400])
    for (let i = 1; i <= 400; i++) {
      const m = await measure(fakes, () => postMessenger(project, body([textItem(pTicket, `detalhe ${i} do chamado`)])))
      if (!checkpoints.has(i)) continue
      const sent = (service: CallSummary['service']) =>
        m.calls.filter((c) => c.service === service).reduce((n, c) => n + c.bytes, 0)
      growthRows.push([
        String(RUNS + 1 + i),
        `${count(m.calls, 'botpress')} Botpress + ${count(m.calls, '4biz')} 4biz`,
        `${await fakes.stateBytes(ticketConv, 'routing')} B`,
        `${m.calls.filter((c) => c.op === 'setState(routing)').reduce((n, c) => n + c.bytes, 0)} B`,
        `${sent('botpress')} B`,
        `${sent('4biz')} B`,
      ])
    }
    await fakes.latency(LATENCY_MS)

    // ---- 100 events from 20 senders in one body
    progress('100 events from 20 senders')
    const batchSenders = { project: newPsids(20), floor: newPsids(20) }
    await fakes.users([...batchSenders.project, ...batchSenders.floor])
    for (const b of [project, floor]) await postMessenger(b, body(batchSenders[b.name].map((p) => textItem(p, 'olá'))))
    const batchOf = (b: Bundle, n: number, senders: string[]) =>
      body(Array.from({ length: n }, (_, i) => textItem(senders[i % senders.length]!, `lote ${i}`)))
    const batch = await paired(
      (b) => measure(fakes, () => postMessenger(b, batchOf(b, 100, batchSenders[b.name]))),
      project,
      floor
    )
    rows.push({
      work: '100 events from 20 senders, one body',
      project: `${count(batch.p[0]!.calls, 'botpress')} Botpress calls, ${fmtMs(batch.pMs)}`,
      floor: `${count(batch.f[0]!.calls, 'botpress')} calls, ${fmtMs(batch.fMs)} (8 senders at once)`,
      ratio: fmtRatio(batch.ratio),
      target: '≤ 1.05×',
      met: verdict([['time', batch.ratio.median <= 1.05]]),
    })

    // ---- 10 simultaneous follow-ups on another copy that has no 4biz session (memory or stored)
    progress('10 simultaneous follow-ups, no 4biz session')
    const tenPsids = newPsids(10)
    await fakes.users(tenPsids)
    for (const p of tenPsids) {
      await postMessenger(project, body([textItem(p, 'oi')]))
      await callAction(project, 'startHandoff', {
        conversationId: (await fakes.conversationOf('psid', p))!,
        description: 'bench',
      })
    }
    const freshCopy = opts.project.file.replace(/\.cjs$/, '-fresh-copy.cjs')
    fs.copyFileSync(opts.project.file, freshCopy)
    const fresh = loadBundle('project', freshCopy, project.config)
    await fakes.forgetFourbizSession()
    const loginsBefore = await fakes.logins()
    const ten = await measure(fakes, () =>
      Promise.all(tenPsids.map((p) => postMessenger(fresh, body([textItem(p, 'detalhe simultâneo')]))))
    )
    const logins = (await fakes.logins()) - loginsBefore
    rows.push({
      work: '10 simultaneous follow-ups, no stored 4biz session',
      project: `${logins} login(s); ${count(ten.calls, 'botpress')} Botpress + ${count(ten.calls, '4biz')} 4biz calls, ${ten.ms.toFixed(0)} ms (1 run)`,
      floor: '—',
      ratio: '—',
      target: '1 login',
      met: verdict([['logins', logins === 1]]),
    })
    details.push(
      {
        title: '10 simultaneous follow-ups — 4biz calls by operation',
        lines: tally(ten.calls.filter((c) => c.service === '4biz')),
      },
      {
        title: '10 simultaneous follow-ups — Botpress calls by operation',
        lines: tally(ten.calls.filter((c) => c.service === 'botpress')),
      }
    )

    // ---- yet another copy, the session now stored by the first: it must reuse it, not log in
    const secondCopy = opts.project.file.replace(/\.cjs$/, '-second-copy.cjs')
    fs.copyFileSync(opts.project.file, secondCopy)
    const second = loadBundle('project', secondCopy, project.config)
    const loginsBeforeSecond = await fakes.logins()
    const reuse = await measure(fakes, () => postMessenger(second, body([textItem(tenPsids[0]!, 'outra cópia')])))
    const secondLogins = (await fakes.logins()) - loginsBeforeSecond
    rows.push({
      work: 'a follow-up on another copy, session stored by the first',
      project: `${secondLogins} login(s); ${describeCalls(reuse.calls, ['botpress', '4biz'])}, ${reuse.ms.toFixed(0)} ms (1 run)`,
      floor: '—',
      ratio: '—',
      target: '0 logins (stored session reused)',
      met: verdict([['logins', secondLogins === 0]]),
    })
    details.push({
      title: 'a follow-up on another copy (session in Botpress, not in its memory) — project',
      lines: callLists([reuse]),
    })

    // ---- the 4biz actions a bot calls (action_triggered): calls and time of each, once
    progress('4biz actions')
    const actionRows: string[][] = []
    const [aNew, aKnown] = newPsids(2) as [string, string]
    await fakes.users([aNew, aKnown])
    for (const p of [aNew, aKnown]) await postMessenger(project, body([textItem(p, 'oi')]))
    const [newUser, knownUser] = [(await fakes.userOf(aNew))!, (await fakes.userOf(aKnown))!]
    const action = async (what: string, type: string, input: unknown) => {
      let output: any
      const m = await measure(fakes, async () => (output = await callAction(project, type, input)))
      actionRows.push([
        what,
        describeCalls(m.calls, ['botpress', '4biz']),
        m.calls
          .filter((c) => c.service === '4biz')
          .map((c) => c.op)
          .join(' → '),
        `${m.ms.toFixed(0)} ms`,
      ])
      return output
    }
    await action('createTicket, a requester new to 4biz', 'createTicket', {
      description: 'Primeiro chamado',
      userId: newUser,
    })
    await callAction(project, 'createTicket', { description: 'Um', userId: knownUser })
    const known = await action('createTicket, a known requester', 'createTicket', {
      description: 'Dois',
      userId: knownUser,
    })
    await action('createTicket repeated (idempotent, created: false)', 'createTicket', {
      description: 'Dois',
      userId: knownUser,
    })
    await action('getTicket', 'getTicket', { ticketNumber: known.ticketNumber })
    await action('addTicketComment', 'addTicketComment', { ticketNumber: known.ticketNumber, text: 'nota' })
    await action('listTickets', 'listTickets', { userId: knownUser })

    // ---- scale series: time per event for 1, 10, 100, 1000 events in one body (20 senders at most)
    progress('scale series')
    const scaleRows: string[][] = []
    for (const n of [1, 10, 100, 1000]) {
      const runs = n >= 1000 ? 1 : n >= 100 ? 3 : RUNS
      const senders = Math.min(n, 20)
      const p: number[] = []
      const f: number[] = []
      for (let run = 0; run < runs; run++) {
        for (const b of run % 2 ? [floor, project] : [project, floor]) {
          const raw = batchOf(b, n, batchSenders[b.name].slice(0, senders))
          const m = await measure(fakes, () => postMessenger(b, raw))
          ;(b === project ? p : f).push(m.ms / n)
        }
      }
      scaleRows.push([
        String(n),
        String(senders),
        String(runs),
        fmtMs(spread(p), 1),
        fmtMs(spread(f), 1),
        fmtRatio(ratios(p, f)),
      ])
    }

    // ---- cold start: the whole process, `node -e require(bundle)`, launches alternating
    progress('cold start')
    const cold = { project: [] as number[], floor: [] as number[], bare: [] as number[] }
    const cpu = { project: [] as number[], floor: [] as number[] }
    const req = { project: [] as number[], floor: [] as number[] }
    // wall time of the whole launch; the child also reports the CPU it used (steadier on a busy machine)
    const launch = (file?: string) => {
      const script = `const t=performance.now();${file ? `require(${JSON.stringify(file)});` : ''}const r=performance.now()-t,u=process.cpuUsage();process.stdout.write(JSON.stringify({cpu:(u.user+u.system)/1e6,require:r/1e3}))`
      const t0 = performance.now()
      const r = spawnSync(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] })
      const wall = (performance.now() - t0) / 1000
      if (r.status !== 0) throw new Error(`cold start of ${file} failed`)
      return { wall, ...(JSON.parse(r.stdout.toString()) as { cpu: number; require: number }) }
    }
    const launchBoth = (order: ('project' | 'floor')[]) => {
      for (const k of order) {
        const l = launch(opts[k].file)
        cold[k].push(l.wall)
        cpu[k].push(l.cpu)
        req[k].push(l.require)
      }
    }
    launch(opts.project.file)
    launch(opts.floor.file)
    for (let i = 0; i < COLD_LAUNCHES; i++) {
      launchBoth(i % 2 ? ['floor', 'project'] : ['project', 'floor'])
      cold.bare.push(launch().wall)
    }
    const coldRatio = ratios(cold.project, cold.floor)
    const fmtS = (s: Spread) => `${s.median.toFixed(3)} s (${s.min.toFixed(3)}–${s.max.toFixed(3)})`
    rows.push({
      work: 'cold start (whole process)',
      project: fmtS(spread(cold.project)),
      floor: fmtS(spread(cold.floor)),
      ratio: fmtRatio(coldRatio),
      target: '≤ 1.1×',
      met: verdict([['time', coldRatio.median <= 1.1]]),
    })
    const dups = (b: BundleInfo) =>
      b.duplicates.length
        ? b.duplicates
            .map(
              (d) =>
                `${d.name} twice: ${d.copies.map((c) => (c.bytes ? `${c.root} ${fmtBytes(c.bytes)}` : c.root)).join(' + ')}`
            )
            .join(', ')
        : 'no library twice'
    rows.push({
      work: 'bundle size',
      project: `${fmtBytes(opts.project.bytes)}; ${dups(opts.project)}`,
      floor: `${fmtBytes(opts.floor.bytes)}; ${dups(opts.floor)}`,
      ratio: (opts.project.bytes / opts.floor.bytes).toFixed(2),
      target: 'one copy of each library',
      met: verdict([['one copy', opts.project.duplicates.length === 0]]),
    })
    details.push(
      { title: `bare \`node -e 0\` launch (for scale)`, lines: [fmtS(spread(cold.bare))] },
      {
        title: 'cold start, CPU time of the launch (user + system, as the child reports it)',
        lines: [
          `project ${fmtS(spread(cpu.project))}`,
          `floor ${fmtS(spread(cpu.floor))}`,
          `ratio ${fmtRatio(ratios(cpu.project, cpu.floor))}`,
        ],
      },
      {
        title: "cold start, the require() alone inside the launch (what the bundle adds to Node's own start)",
        lines: [
          `project ${fmtS(spread(req.project))}`,
          `floor ${fmtS(spread(req.floor))}`,
          `ratio ${fmtRatio(ratios(req.project, req.floor))}`,
        ],
      },
      {
        title: 'biggest packages in the project bundle',
        lines: opts.project.biggest.map((p) => `${p.name}: ${fmtBytes(p.bytes)}`),
      },
      {
        title: 'biggest packages in the floor bundle',
        lines: opts.floor.biggest.map((p) => `${p.name}: ${fmtBytes(p.bytes)}`),
      }
    )

    // ---- peak memory, each bundle alone in a process, fakes without latency (memory, not time)
    progress(`peak memory (${MEMORY_MESSAGES} messages, ${MEMORY_SENDERS} senders)`)
    await fakes.latency(0)
    const memory: Record<string, any> = {}
    for (const b of [project, floor]) {
      await fakes.clear()
      const senders = newPsids(MEMORY_SENDERS)
      await fakes.users(senders)
      memory[b.name] = await new Promise((resolve, reject) => {
        const child = fork(
          opts.memoryScript,
          [
            b === project ? opts.project.file : opts.floor.file,
            b.name,
            JSON.stringify(fakes.urls),
            JSON.stringify(b.config),
            String(MEMORY_MESSAGES),
            JSON.stringify(senders),
          ],
          {
            stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
          }
        )
        child.once('message', resolve)
        child.once('exit', (code) =>
          code ? reject(new Error(`memory run of ${b.name} exited with ${code}`)) : undefined
        )
      })
    }
    await fakes.latency(LATENCY_MS)
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`
    const memRows = (['project', 'floor'] as const).map((k) => [
      k,
      mb(memory[k].loadedRss),
      mb(memory[k].peakRss),
      mb(memory[k].loadedHeap),
      mb(memory[k].peakHeap),
      `${(memory[k].ms / 1000).toFixed(1)} s`,
    ])
    memRows.push([
      'ratio',
      '',
      (memory.project.peakRss / memory.floor.peakRss).toFixed(2),
      '',
      (memory.project.peakHeap / memory.floor.peakHeap).toFixed(2),
      '',
    ])

    // ---- the report
    restoreConsole()
    const when = new Date().toISOString()
    const md = [
      `# Bench — ${when}`,
      '',
      `Node ${process.version}, ${require('node:os').cpus().length} CPUs; fakes in a separate process with ${LATENCY_MS} ms per API call; ${RUNS} runs per row, median (min–max); ratios are project/floor run by run. \`npm run bench\`.`,
      '',
      markdownTable(
        ['work', 'this project', 'floor', 'ratio', 'target', 'met?'],
        rows.map((r) => [r.work, r.project, r.floor, r.ratio, r.target, r.met])
      ),
      '',
      `## Scale: time per event, one body (${LATENCY_MS} ms per call)`,
      '',
      markdownTable(['events per body', 'senders', 'runs', 'project per event', 'floor per event', 'ratio'], scaleRows),
      '',
      `## Peak memory: ${MEMORY_MESSAGES} messages from ${MEMORY_SENDERS} senders (bodies of 100), each bundle alone in a process, fakes at 0 ms`,
      '',
      markdownTable(
        ['bundle', 'RSS after load', 'peak RSS', 'heap after load', 'peak heap used', 'wall time'],
        memRows
      ),
      '',
      `## The 4biz actions, once each through handler (${LATENCY_MS} ms per call, session already stored)`,
      '',
      markdownTable(['action', 'calls', '4biz calls', 'time'], actionRows),
      '',
      '## One follow-up on a handed-off ticket as its history grows (read = routing state as stored; written = request bodies)',
      '',
      markdownTable(
        [
          'follow-up #',
          'calls',
          'routing state (read at the next)',
          'setState(routing) written',
          'sent to Botpress',
          'sent to 4biz',
        ],
        growthRows
      ),
      '',
      "## Calls per message, in order (from the fakes' records)",
      '',
      ...details.flatMap((d) => [`- ${d.title}`, ...d.lines.map((l) => `  - ${l}`)]),
      '',
    ].join('\n')
    out(md)
    fs.mkdirSync(path.dirname(opts.resultsFile), { recursive: true })
    fs.writeFileSync(opts.resultsFile, md)
    process.stderr.write(
      `Bench done in ${((Date.now() - started) / 1000).toFixed(0)} s; written to ${path.relative(process.cwd(), opts.resultsFile)}\n`
    )
    for (const copy of [freshCopy, secondCopy]) fs.rmSync(copy, { force: true })
  } finally {
    restoreConsole()
    await fakes.stop()
  }
}

function tally(calls: CallSummary[]): string[] {
  const n = new Map<string, number>()
  for (const c of calls) n.set(c.op, (n.get(c.op) ?? 0) + 1)
  return [...n].map(([op, k]) => `${op}: ${k}`)
}
