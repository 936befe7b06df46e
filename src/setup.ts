import { RuntimeError } from '@botpress/sdk'
import type * as bp from './typings'
import { requestContext } from './routing/context'
import { resolveConfig, validateConfig } from './config'
import { checkFourbizSetup } from './fourbiz/setup-check'
import { GraphError } from './messenger/graph-errors'
import { setUpProfile, tearDownProfile } from './messenger/profile-setup'

/** The webhook fields a service desk needs (Botpress's own integration subscribes only three). */
const WEBHOOK_FIELDS = [
  'messages',
  'message_echoes',
  'messaging_postbacks',
  'message_reads',
  'message_deliveries',
  'message_reactions',
  'message_edits',
  'messaging_referrals',
  'messaging_optins',
  'messaging_account_linking',
  'messaging_handovers',
  'messaging_policy_enforcement',
  'standby',
]

/** Validates everything the bot builder typed, so mistakes show at install time, not on a user's first message. */
export const register: bp.IntegrationProps['register'] = async (props) => {
  const { ctx, logger, webhookUrl } = props
  const request = requestContext(props, validateConfig(ctx.configuration))
  const { config } = request

  const page = await request
    .graph()
    .getMe()
    .catch((err: unknown) => {
      throw err instanceof GraphError
        ? err.toRuntimeError()
        : new RuntimeError(`Could not reach Meta to check the Page access token: ${(err as Error).message}`)
    })
  if (page.id !== config.pageId) {
    throw new RuntimeError(
      `The Page access token belongs to the page "${page.name}" (${page.id}), not to pageId ${config.pageId}. Generate the token for the right page or fix pageId.`
    )
  }
  // A bad login fails register; anything else the setup check finds is logged for the 4biz administrator.
  const check = await checkFourbizSetup(request.fourbiz())
  if (check.loginError) throw check.loginError
  if (check.ok) logger.forBot().info(check.report)
  else logger.forBot().warn(check.report)
  const profile = await setUpProfile(request.graph(), config)

  logger
    .forBot()
    .info(
      [
        `Connected to the Facebook Page "${page.name}" (${page.id}) and to 4biz at ${config.fourbizUrl}.`,
        `In the Meta app (Messenger > Settings > Webhooks) set the callback URL to ${webhookUrl} with your verify token,`,
        `and subscribe the page to: ${WEBHOOK_FIELDS.join(', ')}.`,
        config.fourbizWebhookSecret
          ? `4biz automations can push ticket updates to ${webhookUrl.replace(/\/+$/, '')}/4biz (see the integration's documentation).`
          : 'Analyst replies reach users when a flow runs syncTicketUpdates; set fourbizWebhookSecret to also accept pushes from 4biz.',
        `Helper interception is ${config.helperInterception ? 'on: the bot talks first' : 'off: every conversation goes straight to a 4biz ticket'}.`,
        profile,
      ].join(' ')
    )
}

/** Undoes the Messenger profile when so configured; nothing else is created on Meta's or 4biz's side. */
export const unregister: bp.IntegrationProps['unregister'] = async ({ ctx, logger, webhookUrl }) => {
  const profile = await tearDownProfile(resolveConfig(ctx.configuration), logger)
  logger
    .forBot()
    .info(
      `Unregistered. ${profile} Remove the webhook ${webhookUrl} from the Meta app if the page should stop sending events.`
    )
}
