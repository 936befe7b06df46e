import { ChildProcess, fork } from 'node:child_process'
import type { CallSummary, FakeUrls, Marks } from './fakes-process'

export type { CallSummary, Marks }

/** The fakes' process, seen from the measured one: every command is one IPC round trip, never timed. */
export class RemoteFakes {
  private seq = 0
  private waiting = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>()
  urls!: FakeUrls

  private constructor(private readonly child: ChildProcess) {
    child.on('message', ({ id, ok, result, error }: { id: number; ok: boolean; result?: unknown; error?: string }) => {
      const w = this.waiting.get(id)
      this.waiting.delete(id)
      if (ok) w?.resolve(result)
      else w?.reject(new Error(`fakes process: ${error}`))
    })
    child.on('exit', (code) => {
      for (const w of this.waiting.values()) w.reject(new Error(`fakes process exited (${code})`))
      this.waiting.clear()
    })
  }

  static async start(script: string, latencyMs: number): Promise<RemoteFakes> {
    const fakes = new RemoteFakes(fork(script, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] }))
    fakes.urls = await fakes.send('start', { latencyMs })
    return fakes
  }

  send<T = any>(cmd: string, args?: unknown): Promise<T> {
    const id = ++this.seq
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject })
      this.child.send({ id, cmd, args })
    })
  }

  latency = (ms: number) => this.send('latency', { ms })
  mark = () => this.send<Marks>('mark')
  callsSince = (since: Marks) => this.send<CallSummary[]>('calls', { since })
  users = (psids: string[]) => this.send('users', { psids })
  forgetFourbizSession = () => this.send('forgetFourbizSession')
  clear = () => this.send('clear')
  logins = () => this.send<number>('logins')
  stateBytes = (conversationId: string, name: string) => this.send<number>('stateBytes', { conversationId, name })
  botMessage = (conversationId: string, text: string) => this.send('botMessage', { conversationId, text })
  userOf = (psid: string) => this.send<string | undefined>('userOf', { psid })
  conversationOf = (tag: string, value: string) => this.send<string | undefined>('conversationOf', { tag, value })

  async stop() {
    await this.send('stop').catch(() => undefined)
  }
}
