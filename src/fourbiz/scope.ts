import { RuntimeError } from '@botpress/sdk'
import type * as bp from '../typings'
import type { Config } from '../config'
import { FourbizClient, FourbizClientOptions } from './client'
import { integrationSessionStore } from './session'

/** What every 4biz use needs: the client (with its session), the configuration with defaults, Botpress. */
export type FourbizScope = {
  fourbiz: FourbizClient
  config: Config
  client: bp.Client
  ctx: bp.Context
  logger: bp.Logger
}

/** How long the caller lets 4biz take (see FourbizClientOptions): the webhook passes its own deadline. */
export type FourbizLimits = Pick<FourbizClientOptions, 'deadline' | 'signal' | 'budgetMs'>

/** Builds the client from the configuration with its defaults (src/config.ts): the one way to get one. */
export function fourbizScope(props: bp.CommonProps, config: Config, limits: FourbizLimits = {}): FourbizScope {
  const missing = (['fourbizUrl', 'fourbizUser', 'fourbizPassword'] as const).filter((k) => !config[k])
  if (missing.length) throw new RuntimeError(`The 4biz connection is not configured: set ${missing.join(', ')}.`)
  if (!/^https?:\/\/[^/]+/i.test(config.fourbizUrl))
    throw new RuntimeError(
      `fourbizUrl must be an http(s) URL including the context path, e.g. https://empresa.4biz.one/4biz.`
    )
  const fourbiz = new FourbizClient({
    baseUrl: config.fourbizUrl,
    userName: config.fourbizUser,
    password: config.fourbizPassword,
    platform: config.fourbizPlatform,
    store: integrationSessionStore(props.client, props.ctx.integrationId),
    ...limits,
  })
  return { fourbiz, config, client: props.client, ctx: props.ctx, logger: props.logger }
}
