import { overridesFromEnvironment } from './config'
import { startLocalRun } from './start'

/** `npm start`: the local run, its ports and the one URL to open; Ctrl-C stops everything. */
export async function main() {
  const run = await startLocalRun({
    configPath: process.env.LOCAL_CONFIG || undefined,
    overrides: overridesFromEnvironment(process.env, process.argv.slice(2)),
    print: true,
  })
  const { urls, config, integrationConfig } = run
  const helper = integrationConfig.helperInterception !== false
  console.log(
    [
      '',
      '4biz Omnichannel for Messenger — local run (127.0.0.1 only)',
      `  Open ${urls.home}   (Messenger and 4biz side by side)`,
      `  Messenger page     ${urls.messenger}`,
      `  4biz page          ${urls.fourbiz}`,
      `  Webchat page       ${urls.webchat}   (another channel: handoffs through the HITL plugin)`,
      `  Webhook (Botpress) ${urls.webhook}   and ${urls.webhook}/4biz`,
      `  Integration        ${urls.integration}   (the built .botpress/dist/index.cjs)`,
      `  Botpress API       ${urls.botpressApi}   (emulated runtime)`,
      `  Graph API fake     ${urls.graphApi}`,
      `  4biz fake          ${urls.fourbizApi}`,
      `  Helper interception ${helper ? 'on' : 'off'} · analyst updates by ${run.config.fourbiz.push ? 'push and ' : ''}syncTicketUpdates every ${config.bot.syncIntervalSeconds} s`,
      run.registerError ? `  REGISTER FAILED: ${run.registerError}` : '  register: ok',
      '  Ctrl-C stops everything.',
      '',
    ].join('\n')
  )
  let stopping = false
  const shutdown = (signal: string) => {
    if (stopping) return
    stopping = true
    console.log(`\n${signal}: stopping…`)
    run.stop().then(
      () => process.exit(0),
      () => process.exit(1)
    )
  }
  process.on('SIGINT', () => shutdown('SIGINT'))
  process.on('SIGTERM', () => shutdown('SIGTERM'))
}
