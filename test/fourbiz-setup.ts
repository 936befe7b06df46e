import type * as bp from '../src/typings'
import { BotpressFake } from './fakes/botpress'
import { FourbizFake, FourbizFakeOptions } from './fakes/fourbiz'
import { LoopbackFake } from './fakes/http'
import { baseConfig, callAction, HandlerResponse, IDS, startBotpress } from './harness'

/** The Botpress fake and a strict 4biz fake, wired like a bot using the integration. */
export type World = {
  botpress: BotpressFake
  fourbiz: FourbizFake
  config: (overrides?: Partial<bp.Configuration>) => bp.Configuration
  /** A Messenger user as the inbound code leaves it: Botpress user with the psid tag and the profile name. */
  messengerUser: (psid: string, name?: string) => { userId: string; conversationId: string }
  action: (type: string, input: unknown, overrides?: Partial<bp.Configuration>) => ReturnType<typeof callAction>
  /** The stored 4biz session (integration state fourbizSession). */
  session: () => { sessionId: string; expiresAt: number } | undefined
  stop: () => Promise<void>
}

export async function startWorld(options: FourbizFakeOptions = {}): Promise<World> {
  const botpress = await startBotpress()
  const fourbiz = new FourbizFake(options)
  await fourbiz.start()
  const config = (overrides: Partial<bp.Configuration> = {}) =>
    baseConfig({ fourbizUrl: `${fourbiz.url}/4biz`, ...overrides })
  const messengerUser = (psid: string, name?: string) => {
    const now = new Date().toISOString()
    let user = botpress.users.find((u) => u.tags.psid === psid)
    if (!user) {
      user = { id: botpress.nextId('user'), tags: { psid }, name, createdAt: now, updatedAt: now }
      botpress.users.push(user)
    }
    let conversation = botpress.conversations.find((c) => c.tags.psid === psid)
    if (!conversation) {
      conversation = {
        id: botpress.nextId('conv'),
        channel: 'messenger',
        integration: IDS.integrationAlias,
        tags: { psid, pageId: '104857600123456' },
        createdAt: now,
        updatedAt: now,
      }
      botpress.conversations.push(conversation)
    }
    return { userId: user.id, conversationId: conversation.id }
  }
  return {
    botpress,
    fourbiz,
    config,
    messengerUser,
    action: (type, input, overrides) => callAction(type, input, config(overrides)),
    session: () => botpress.getStatePayload('integration', IDS.integrationId, 'fourbizSession'),
    stop: async () => {
      await fourbiz.stop()
      await botpress.stop()
    },
  }
}

/** A small file server for attachment URLs (text bodies: the base fake writes strings). */
export async function startFileServer(
  files: Record<string, { body: string; type?: string; status?: number; disposition?: string }>
) {
  const server = new LoopbackFake((call) => {
    const file = files[call.path]
    if (!file) return { status: 404, raw: 'not found', headers: { 'content-type': 'text/plain' } }
    return {
      status: file.status ?? 200,
      raw: file.body,
      headers: {
        'content-type': file.type ?? 'text/plain',
        ...(file.disposition ? { 'content-disposition': file.disposition } : {}),
      },
    }
  })
  await server.start()
  return server
}

/** Silences the SDK's per-request logs (it logs every RuntimeError) while a test expects errors. */
export function quietLogs() {
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
    jest.spyOn(console, m).mockImplementation(() => {})
  )
  return () => spies.forEach((s) => s.mockRestore())
}

/**
 * Another instance of the integration: a fresh copy of the bundle's modules (its own process-wide
 * memory, e.g. its own 4biz session), called exactly like callAction calls the first one.
 */
export function anotherInstance(): (
  type: string,
  input: unknown,
  config: bp.Configuration
) => Promise<HandlerResponse> {
  let integration: typeof import('../src/index').default | undefined
  jest.isolateModules(() => {
    integration = require('../src/index').default
  })
  return (type, input, config) => callAction(type, input, config, integration!.handler)
}
