import { existsSync } from 'node:fs'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * Runs the built integration as Botpress Cloud runs it: the bundle `.botpress/dist/index.cjs`, served by
 * its own `default.start(port)` (the SDK's HTTP server), with the env the Cloud gives it. Its API client
 * reads BP_API_URL / BP_TOKEN and the Graph client MESSENGER_GRAPH_URL on every request.
 */

export type IntegrationEnv = { BP_API_URL: string; BP_TOKEN: string; MESSENGER_GRAPH_URL: string }
export type HostedIntegration = { url: string; port: number; close: () => Promise<void> }

type Bundle = { default: { start: (port?: number) => Promise<http.Server> } }

export async function hostIntegration(
  bundlePath: string,
  port: number,
  env: IntegrationEnv
): Promise<HostedIntegration> {
  if (!existsSync(bundlePath))
    throw new Error(`${bundlePath} is missing: run \`npm run build\` first (npm start does).`)
  Object.assign(process.env, env)
  // A runtime path, not a bundled import: the integration must be the built artefact, as deployed.
  const bundle = require(bundlePath) as Bundle
  const server = await onLoopback(() => bundle.default.start(port))
  await new Promise<void>((resolve, reject) => {
    if (server.listening) return resolve()
    server.once('listening', resolve)
    server.once('error', reject)
  })
  const actual = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/**
 * The SDK's serve() listens on every interface and takes no host; the local run promises localhost
 * only. serve() calls listen(port, callback) synchronously, so the patch lives for that call alone.
 */
function onLoopback(start: () => Promise<http.Server>): Promise<http.Server> {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- only ever called with .apply(server)
  const listen = http.Server.prototype.listen
  http.Server.prototype.listen = function (this: http.Server, ...args: any[]) {
    if (typeof args[0] === 'number' && typeof args[1] === 'function')
      return listen.apply(this, [args[0], '127.0.0.1', args[1]] as any)
    return listen.apply(this, args as any)
  } as typeof listen
  try {
    return start()
  } finally {
    http.Server.prototype.listen = listen
  }
}
