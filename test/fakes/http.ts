import * as http from 'node:http'
import type { AddressInfo } from 'node:net'

/** A recorded request, as a fake saw it on the wire. */
export type RecordedCall = {
  method: string
  path: string
  query: URLSearchParams
  headers: http.IncomingHttpHeaders
  rawBody: string
  body: any
  at: number
}

export type Reply = { status: number; body?: unknown; headers?: Record<string, string>; raw?: string }
export type Route = (call: RecordedCall) => Reply | Promise<Reply>

/**
 * Fault injection: a reply to send instead of the real route, or how the request goes wrong:
 * 'hang' never answers; 'reset' drops the connection before anything happens; 'lose-answer' lets the
 * route run (the service commits) and then drops the connection; `{ commitThenDelayMs }` commits at
 * once and answers late (slow but committed). undefined goes on normally.
 */
export type Fault = (
  call: RecordedCall
) => Reply | 'hang' | 'reset' | 'lose-answer' | { commitThenDelayMs: number } | undefined

/**
 * Base of the loopback fakes: a real HTTP server on 127.0.0.1, every request recorded, optional
 * latency and fault injection, JSON in and out.
 */
export class LoopbackFake {
  readonly calls: RecordedCall[] = []
  latencyMs = 0
  fault: Fault | undefined
  maxBodyBytes = 10 * 1024 * 1024
  private server: http.Server | undefined
  private sockets = new Set<import('node:net').Socket>()
  url = ''

  constructor(private readonly route: Route) {}

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = http.createServer((req, res) => void this.serve(req, res))
    this.server.on('connection', (s) => {
      this.sockets.add(s)
      s.on('close', () => this.sockets.delete(s))
    })
    // a busy port rejects (instead of an unhandled 'error' event crashing the process)
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject)
      this.server!.listen(port, host, resolve)
    })
    const addr = this.server.address() as AddressInfo
    this.url = `http://${host}:${addr.port}`
    return this.url
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy()
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()))
  }

  /** The service is down: its port refuses connections until `acceptConnections` (same URL). */
  async refuseConnections(): Promise<void> {
    await this.stop()
  }

  async acceptConnections(): Promise<void> {
    const { hostname, port } = new URL(this.url)
    await this.start(Number(port), hostname)
  }

  callsTo(pathPart: string | RegExp): RecordedCall[] {
    return this.calls.filter((c) => (typeof pathPart === 'string' ? c.path.includes(pathPart) : pathPart.test(c.path)))
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = []
    let size = 0
    let tooBig = false
    for await (const chunk of req) {
      size += (chunk as Buffer).length
      if (size > this.maxBodyBytes) tooBig = true
      else chunks.push(chunk as Buffer)
    }
    const rawBody = Buffer.concat(chunks).toString('utf8')
    const url = new URL(req.url ?? '/', 'http://fake')
    let body: any = undefined
    try {
      body = rawBody ? JSON.parse(rawBody) : undefined
    } catch {
      body = undefined
    }
    const call: RecordedCall = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      rawBody,
      body,
      at: Date.now(),
    }
    this.calls.push(call)
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs))
    let reply: Reply
    try {
      const injected = this.fault?.(call)
      if (injected === 'hang') return // never answers: the client must time out
      if (injected === 'reset') {
        req.socket.destroy()
        return
      }
      if (injected === 'lose-answer') {
        await this.route(call)
        req.socket.destroy()
        return
      }
      if (injected && 'commitThenDelayMs' in injected) {
        reply = await this.route(call)
        await new Promise((r) => setTimeout(r, injected.commitThenDelayMs))
      } else
        reply = tooBig
          ? { status: 413, body: { error: 'request entity too large' } }
          : (injected ?? (await this.route(call)))
    } catch (err) {
      reply = { status: 500, body: { error: String(err) } }
    }
    const text = reply.raw ?? (reply.body === undefined ? '' : JSON.stringify(reply.body))
    res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers })
    res.end(text)
  }
}
