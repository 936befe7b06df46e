import { performance } from 'node:perf_hooks'
import { FourbizFake } from '../test/fakes/fourbiz'
import { LoopbackFake } from '../test/fakes/http'
import { baseConfig, callAction, startBotpress } from '../test/harness'
import { ms, percentile, quietly, table } from './stats'

/**
 * 4biz figures, driving `handler` (action_triggered) against the Botpress and 4biz fakes at zero
 * latency: 4biz calls per ticket created, logins per 100 actions within one token lifetime, time per action.
 */
export async function benchFourbiz(): Promise<void> {
  const botpress = await startBotpress()
  const fourbiz = new FourbizFake()
  await fourbiz.start()
  const files = new LoopbackFake(() => ({ status: 200, raw: 'x'.repeat(200_000), headers: { 'content-type': 'image/jpeg' } }))
  await files.start()
  const config = baseConfig({ fourbizUrl: `${fourbiz.url}/4biz` })
  let users = 0
  const newUser = () => {
    const psid = String(7_200_000_000_000_000 + ++users)
    const now = new Date().toISOString()
    const user = { id: botpress.nextId('user'), tags: { psid }, name: `Pessoa ${users}`, createdAt: now, updatedAt: now }
    botpress.users.push(user)
    return user.id
  }
  /** 4biz calls made by one action, by operation. */
  const measure = async (type: string, input: unknown) => {
    const before = fourbiz.calls.length
    const res = await quietly(() => callAction(type, input, config))
    if (res.status !== 200) throw new Error(`${type} failed: ${res.body}`)
    const ops = fourbiz.calls.slice(before).map((c) => c.path.replace('/4biz/services/', ''))
    return { ops, output: res.json.output }
  }
  const describe = (ops: string[]) => `${ops.length} (${ops.join(' + ')})`

  try {
    const first = await measure('createTicket', { description: 'Primeiro chamado da instância', userId: newUser() })
    const laterNewRequester = await measure('createTicket', { description: 'Outro solicitante', userId: newUser() })
    const sameUser = newUser()
    await measure('createTicket', { description: 'Um', userId: sameUser })
    const laterSameRequester = await measure('createTicket', { description: 'Dois', userId: sameUser })
    const repeated = await measure('createTicket', { description: 'Dois', userId: sameUser })
    const withFile = await measure('createTicket', { description: 'Com foto', userId: newUser(), attachmentUrls: [`${files.url}/foto.jpg`] })
    fourbiz.expireSessions()
    const afterExpiry = await measure('createTicket', { description: 'Depois da expiração do token', userId: newUser() })

    console.log('\n4biz calls per ticket created (createTicket through handler)')
    table([
      { ticket: 'first of an instance (no session yet)', '4biz calls': describe(first.ops) },
      { ticket: 'later, new requester (synchronize creates it)', '4biz calls': describe(laterNewRequester.ops) },
      { ticket: 'later, known requester', '4biz calls': describe(laterSameRequester.ops) },
      { ticket: 'same call repeated (idempotent, created: false)', '4biz calls': describe(repeated.ops) },
      { ticket: 'later, with one attachment URL', '4biz calls': describe(withFile.ops) },
      { ticket: 'after 4biz expired the session', '4biz calls': describe(afterExpiry.ops) },
    ])

    // 100 actions within one token lifetime, from an instance without a session
    botpress.states.clear()
    const loginsBefore = fourbiz.loginCount
    const callsBefore = fourbiz.calls.length
    const userId = newUser()
    const ticketNumber = (await measure('createTicket', { description: 'Base', userId })).output.ticketNumber as string
    const mix: [string, unknown][] = [
      ['getTicket', { ticketNumber }],
      ['addTicketComment', { ticketNumber, text: 'nota' }],
      ['listTickets', { userId }],
      ['createTicket', { description: 'mais um', userId }],
    ]
    const timings: Record<string, number[]> = {}
    for (let i = 1; i < 100; i++) {
      const [type, input] = mix[i % mix.length]!
      const payload = type === 'createTicket' ? { ...(input as object), description: `chamado ${i}` } : input
      const t0 = performance.now()
      await measure(type, payload)
      ;(timings[type] ??= []).push(performance.now() - t0)
    }
    const logins = fourbiz.loginCount - loginsBefore
    const calls = fourbiz.calls.length - callsBefore
    console.log('\nLogins per 100 actions within one token lifetime (mixed createTicket/getTicket/addTicketComment/listTickets)')
    table([{ actions: 100, 'logins to 4biz': logins, '4biz calls': calls, '4biz calls per action': (calls / 100).toFixed(2) }])

    console.log('\nTime per action through handler (zero-latency fakes; includes the Botpress API fake)')
    table(
      Object.entries(timings).map(([type, t]) => ({
        action: type,
        runs: t.length,
        p50: ms(percentile(t, 50)),
        p95: ms(percentile(t, 95)),
        max: ms(Math.max(...t)),
      }))
    )
  } finally {
    await files.stop()
    await fourbiz.stop()
    await botpress.stop()
  }
}
