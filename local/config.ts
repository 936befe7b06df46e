import { readFileSync } from 'node:fs'
import { z } from '@botpress/sdk'
import type * as bp from '../src/typings'

/**
 * The local run's configuration: `local.config.json` at the repository root (documented in
 * local/README.md), then command-line/env overrides. Every key has a working default, so a missing
 * file section still starts.
 */

const port = z.number().int().min(0).max(65535)

const messengerUser = z.object({
  /** Page-scoped id Meta would give the user: digits, kept as a string (17 digits exceed 2^53). */
  psid: z.string().regex(/^\d+$/, 'a PSID is digits only'),
  firstName: z.string().min(1),
  lastName: z.string().default(''),
  /** Profile picture the Graph fake returns; default: an avatar with the initials, served by the UI. */
  pictureUrl: z.string().url().optional(),
})

const fileSchema = z.object({
  ports: z
    .object({
      /** Web pages (home, Messenger, 4biz) and the Botpress webhook route. */
      ui: port.default(8070),
      /** The emulated Botpress runtime's API (BP_API_URL of the integration). */
      botpressApi: port.default(8071),
      /** The integration, served by the SDK's own HTTP server. */
      integration: port.default(8072),
      /** The Graph API fake (MESSENGER_GRAPH_URL of the integration). */
      graph: port.default(8073),
      /** The 4biz fake; fourbizUrl always points at it. */
      fourbiz: port.default(8074),
    })
    .default({}),
  /** The integration configuration, as a bot builder types it in Botpress (definitions/configuration.ts). */
  integration: z.record(z.string(), z.unknown()).default({}),
  messengerUsers: z
    .array(messengerUser)
    .min(1)
    .default([
      { psid: '7012345678901234', firstName: 'Ana', lastName: 'Souza' },
      { psid: '7098765432109876', firstName: 'Bruno', lastName: 'Lima' },
      { psid: '24681357924681357', firstName: 'Carla', lastName: 'Mendes' },
    ]),
  bot: z
    .object({
      /** How often the example bot runs syncTicketUpdates (the scheduled pull). */
      syncIntervalSeconds: z.number().positive().default(5),
      /** The HITL plugin's agentAssignedTimeoutSeconds for the webchat handoffs; 0: off. */
      agentAssignedTimeoutSeconds: z.number().nonnegative().default(0),
    })
    .default({}),
  fourbiz: z
    .object({
      /** Whether the 4biz page pushes each change to {webhookUrl}/4biz, or leaves it to the scheduled pull. */
      push: z.boolean().default(true),
      /** Login the 4biz page writes analyst follow-ups as. */
      analyst: z.string().min(1).default('analista.n1'),
      /** Activities (service code → name) of the fake's portfolio; the default activity is always added. */
      activities: z.record(z.string(), z.string()).default({ '170': 'Falha - Ger. Eventos' }),
    })
    .default({}),
})

export type MessengerUserConfig = z.infer<typeof messengerUser>
export type LocalPorts = z.infer<typeof fileSchema>['ports']

export type LocalConfig = Omit<z.infer<typeof fileSchema>, 'integration'> & {
  integration: bp.Configuration
  /** The 4biz context path, taken from fourbizUrl (its host and port are always the 4biz fake's). */
  fourbizContextPath: string
}

/** What a caller (the command line, the browser test) may change on top of the file. */
export type LocalOverrides = {
  helper?: boolean
  push?: boolean
  ports?: Partial<LocalPorts>
  integration?: Partial<bp.Configuration>
  syncIntervalSeconds?: number
}

/** Working local values for every integration key, so an empty file still runs. */
export const INTEGRATION_DEFAULTS: bp.Configuration = {
  pageAccessToken: 'EAALOCALPAGETOKEN',
  appSecret: 'local-app-secret',
  verifyToken: 'local-verify-token',
  pageId: '104857600123456',
  appId: '880011223344556',
  fourbizUrl: 'http://127.0.0.1:8074/4biz',
  fourbizUser: 'botpress.integration',
  fourbizPassword: 'local-4biz-password',
  fourbizPlatform: 'BOTPRESS',
  defaultUnit: 'Atendimento Digital',
  defaultGroup: 'Solicitantes Facebook',
  defaultActivity: '170',
  contactOrigin: 'Facebook',
  helperInterception: true,
  defaultContract: '1',
  fourbizWebhookSecret: 'local-4biz-push-secret',
  humanAgentTag: false,
  language: 'en',
}

export function loadLocalConfig(path: string | undefined, overrides: LocalOverrides = {}): LocalConfig {
  const raw = path ? readJson(path) : {}
  const parsed = fileSchema.safeParse(raw)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    throw new Error(`${path}: ${problems.join('; ')}`)
  }
  const file = parsed.data
  const integration = {
    ...INTEGRATION_DEFAULTS,
    ...(file.integration as Partial<bp.Configuration>),
    ...overrides.integration,
  }
  if (overrides.helper !== undefined) integration.helperInterception = overrides.helper
  return {
    ports: { ...file.ports, ...overrides.ports },
    integration,
    fourbizContextPath: contextPathOf(integration.fourbizUrl),
    messengerUsers: file.messengerUsers,
    bot: {
      syncIntervalSeconds: overrides.syncIntervalSeconds ?? file.bot.syncIntervalSeconds,
      agentAssignedTimeoutSeconds: file.bot.agentAssignedTimeoutSeconds,
    },
    fourbiz: { ...file.fourbiz, push: overrides.push ?? file.fourbiz.push },
  }
}

/** `HELPER=off`, `PUSH=off`, `PORT`, `UI_PORT`, or `--helper=off` / `--push=off` after `npm start --`. */
export function overridesFromEnvironment(env: NodeJS.ProcessEnv, argv: string[]): LocalOverrides {
  const arg = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
  const overrides: LocalOverrides = { ports: {} }
  const helper = onOff('HELPER', arg('helper') ?? env.HELPER)
  if (helper !== undefined) overrides.helper = helper
  const push = onOff('PUSH', arg('push') ?? env.PUSH)
  if (push !== undefined) overrides.push = push
  if (env.PORT) overrides.ports!.integration = portNumber('PORT', env.PORT)
  if (env.UI_PORT) overrides.ports!.ui = portNumber('UI_PORT', env.UI_PORT)
  return overrides
}

function onOff(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined || value === '') return undefined
  if (/^(on|true|1|yes)$/i.test(value)) return true
  if (/^(off|false|0|no)$/i.test(value)) return false
  throw new Error(`${name} must be on or off, not "${value}"`)
}

function portNumber(name: string, value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} must be a port number, not "${value}"`)
  return n
}

function contextPathOf(url: string): string {
  try {
    return new URL(url).pathname.replace(/\/+$/, '') || '/4biz'
  } catch {
    throw new Error(`integration.fourbizUrl is not a URL: "${url}"`)
  }
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'))
  } catch (err) {
    throw new Error(`Cannot read the local configuration ${path}: ${(err as Error).message}`)
  }
}
