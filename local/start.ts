import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { resolveConfig } from '../src/config'
import type * as bp from '../src/typings'
import { BotpressFake } from '../test/fakes/botpress'
import { FourbizFake } from '../test/fakes/fourbiz'
import { GraphFake } from '../test/fakes/graph'
import { createHelperBot } from './bot/helper-bot'
import { type LocalConfig, type LocalOverrides, loadLocalConfig } from './config'
import { FourbizDesk } from './fourbiz/desk'
import { ActivityLog, brief } from './log'
import { MessengerSimulator } from './messenger/simulator'
import { LOCAL_IDS } from './runtime/ids'
import { hostIntegration } from './runtime/integration-host'
import { IntegrationCaller } from './runtime/operations'
import { HitlPluginEmulator } from './runtime/hitl-plugin'
import { describe, EmulatedRuntime } from './runtime/runtime'
import { LocalWebchat } from './webchat/webchat'
import { startUiServer, type UiServer } from './web/server'

/**
 * The whole product on this machine: the built integration, an emulated Botpress runtime running the
 * example Helper bot, the Graph API fake and the 4biz fake, and the web pages — all on 127.0.0.1.
 * `npm start` (local/main.ts) and the browser test both start it through here.
 */

export type LocalRunOptions = {
  /** The configuration file; default `<repo>/local.config.json`; null: built-in defaults only. */
  configPath?: string | null
  overrides?: LocalOverrides
  /** Print the activity log to the terminal (npm start does; the browser test does not). */
  print?: boolean
  rootDir?: string
}

export type LocalRun = {
  config: LocalConfig
  /** The configuration the integration receives (fourbizUrl pointing at the 4biz fake). */
  integrationConfig: bp.Configuration
  urls: {
    home: string
    messenger: string
    fourbiz: string
    webchat: string
    webhook: string
    integration: string
    botpressApi: string
    graphApi: string
    fourbizApi: string
  }
  /** Undefined when register succeeded, else the integration's message. */
  registerError: string | undefined
  log: ActivityLog
  botpress: BotpressFake
  graph: GraphFake
  fourbiz: FourbizFake
  stop: () => Promise<void>
}

export async function startLocalRun(options: LocalRunOptions = {}): Promise<LocalRun> {
  const rootDir = options.rootDir ?? findRoot(__dirname)
  const configPath =
    options.configPath === undefined ? join(rootDir, 'local.config.json') : (options.configPath ?? undefined)
  const config = loadLocalConfig(configPath, options.overrides)
  const log = new ActivityLog(options.print ?? false)
  const stops: (() => Promise<void>)[] = []
  const stop = async () => {
    for (const s of stops.splice(0).reverse()) await s().catch(() => undefined)
  }

  try {
    const c = resolveConfig(config.integration) // the defaults the integration applies, for the fakes too
    const botpress = new BotpressFake({ botUserId: LOCAL_IDS.botUserId, integrationName: LOCAL_IDS.integrationAlias })
    await listening('botpressApi', config.ports.botpressApi, botpress.start(config.ports.botpressApi))
    stops.push(() => botpress.stop())

    const graph = new GraphFake({
      pageId: c.pageId,
      pageToken: c.pageAccessToken,
      appSecret: c.appSecret,
      pageName: 'Service Desk (local page)',
    })
    await listening('graph', config.ports.graph, graph.start(config.ports.graph))
    stops.push(() => graph.stop())

    const fourbiz = new FourbizFake(fourbizTenant(config))
    await listening('fourbiz', config.ports.fourbiz, fourbiz.start(config.ports.fourbiz))
    stops.push(() => fourbiz.stop())

    const integrationConfig: bp.Configuration = {
      ...config.integration,
      fourbizUrl: `${fourbiz.url}${config.fourbizContextPath}`,
    }
    const hosted = await listening(
      'integration',
      config.ports.integration,
      hostIntegration(join(rootDir, '.botpress/dist/index.cjs'), config.ports.integration, {
        BP_API_URL: botpress.url,
        BP_TOKEN: botpress.token,
        MESSENGER_GRAPH_URL: graph.url,
      })
    )
    stops.push(() => hosted.close())
    const integration = new IntegrationCaller(hosted.url, () => integrationConfig)

    let messenger: MessengerSimulator | undefined
    let desk: FourbizDesk | undefined
    let registerError: string | undefined
    const webchat = new LocalWebchat(botpress, log)
    const ui: UiServer = await listening(
      'ui',
      config.ports.ui,
      startUiServer(config.ports.ui, {
        publicDir: join(rootDir, 'local/public'),
        webhookId: LOCAL_IDS.webhookId,
        integration,
        messenger: () => messenger!,
        desk: () => desk!,
        webchat: () => webchat,
        botpress: () => botpress,
        overview: () => ({
          helperInterception: c.helperInterception,
          push: desk!.push,
          syncIntervalSeconds: config.bot.syncIntervalSeconds,
          language: c.language,
          registerError,
          urls,
          log: log.entries.slice(-150),
        }),
      })
    )
    stops.push(() => ui.close())

    const webhookUrl = `${ui.url}/webhook/${LOCAL_IDS.webhookId}`
    const urls: LocalRun['urls'] = {
      home: `${ui.url}/`,
      messenger: `${ui.url}/messenger`,
      fourbiz: `${ui.url}/4biz`,
      webchat: `${ui.url}/webchat`,
      webhook: webhookUrl,
      integration: hosted.url,
      botpressApi: botpress.url,
      graphApi: graph.url,
      fourbizApi: integrationConfig.fourbizUrl,
    }
    messenger = new MessengerSimulator({
      graph,
      users: config.messengerUsers,
      pageId: c.pageId,
      appSecret: c.appSecret,
      webhookUrl: () => webhookUrl,
      defaultPicture: (psid) => `${ui.url}/avatar/${psid}.svg`,
      log,
    })
    desk = new FourbizDesk(fourbiz, {
      push: config.fourbiz.push,
      analyst: config.fourbiz.analyst,
      secret: c.fourbizWebhookSecret,
      statuses: { resolved: c.statusResolved, closed: c.statusClosed, cancelled: c.statusCancelled },
      integrationUser: c.fourbizUser,
      pushUrl: () => `${webhookUrl}/4biz`,
      log,
      language: c.language,
    })

    const bot = createHelperBot({
      helperInterception: integrationConfig.helperInterception !== false,
      syncIntervalMs: config.bot.syncIntervalSeconds * 1000,
      ticketImageUrl: `${ui.url}/static/ticket-card.svg`,
      finishedStatuses: [c.statusResolved, c.statusClosed, c.statusCancelled],
    })
    // the bot has the HITL plugin with this integration as its hitl provider (hub.md, "HITL plugin")
    let runtime: EmulatedRuntime | undefined
    const plugin = new HitlPluginEmulator(
      botpress,
      {
        name: LOCAL_IDS.integrationAlias,
        action: (type, input) => runtime!.action(type, input),
        messageCreated: async (body) => {
          log.info(
            'runtime',
            `message_created ${body.type} → HITL session ${body.conversation.id}: ${brief(body.payload)}`
          )
          await integration.call('message_created', body)
        },
      },
      {
        botId: LOCAL_IDS.botId,
        botUserId: LOCAL_IDS.botUserId,
        agentAssignedTimeoutSeconds: config.bot.agentAssignedTimeoutSeconds,
        onContinueWorkflow: (conversationId, userId) => runtime!.continueWorkflow(conversationId, userId),
        log: (text) => log.info('hitl', text),
      }
    )
    runtime = new EmulatedRuntime(botpress, integration, bot, log, plugin)
    const started = runtime

    // Botpress Cloud calls register when the bot builder saves the configuration; when it fails the
    // integration is not enabled: the bot does not run and the webhook refuses (the pages say why).
    try {
      await integration.call('register', { webhookUrl })
      log.info('runtime', `register → ok (webhook ${webhookUrl})`)
      started.start()
      stops.push(() => started.stop())
    } catch (err) {
      registerError = describe(err)
      log.error(
        'runtime',
        `register failed: ${registerError}; the bot does not run and webhooks are refused until the configuration is fixed`
      )
    }

    return { config, integrationConfig, urls, registerError, log, botpress, graph, fourbiz, stop }
  } catch (err) {
    await stop()
    throw err
  }
}

/** A busy port says which one and how to change it, instead of a bare EADDRINUSE. */
async function listening<T>(name: keyof LocalConfig['ports'], port: number, started: Promise<T>): Promise<T> {
  try {
    return await started
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err
    const env = name === 'integration' ? ' or PORT=' : name === 'ui' ? ' or UI_PORT=' : ''
    throw new Error(
      `Port ${port} (ports.${name}) is already in use: stop whatever uses it (another npm start?) or change ports.${name} in local.config.json${env ? `${env}<port>` : ''}.`
    )
  }
}

/** The 4biz tenant the integration configuration describes, so that register's checks pass. */
function fourbizTenant(config: LocalConfig) {
  const c = resolveConfig(config.integration)
  const activities: Record<string, { name: string }> = {}
  for (const [code, name] of Object.entries(config.fourbiz.activities)) activities[code] = { name }
  activities[c.defaultActivity] ??= { name: `Atividade ${c.defaultActivity}` }
  const contracts = ['1', ...(c.defaultContract ? [c.defaultContract] : [])]
  return {
    contextPath: config.fourbizContextPath,
    users: { [c.fourbizUser]: { password: c.fourbizPassword, permissions: 'all' as const } },
    activities,
    contracts,
    defaultContract: c.defaultContract || '1',
    origin: c.contactOrigin,
    requesterGroup: c.defaultGroup,
    defaultUnit: c.defaultUnit,
  }
}

/** The repository root: where local/public is, from the sources (jest) or from .botpress/dist (bundle). */
function findRoot(from: string): string {
  let dir = from
  while (!existsSync(join(dir, 'local', 'public'))) {
    const up = dirname(dir)
    if (up === dir) throw new Error(`Cannot find the repository (local/public) above ${from}`)
    dir = up
  }
  return dir
}
