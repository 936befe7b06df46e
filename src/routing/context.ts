import type * as bp from '../typings'
import { type Config, resolveConfig } from '../config'
import { type FourbizScope, fourbizScope } from '../fourbiz/scope'
import { type GraphClient, graphClientFor } from '../messenger/graph-client'

/**
 * What one call (an action, a webhook, a hitl message) works with, built once and passed down: Botpress,
 * the configuration with its defaults, and the two clients, each built on first use (an action that never
 * calls Meta needs no Page token). It is a RoutingProps too, so the routing and hitl code take it as it is.
 */
export type RequestContext = bp.CommonProps & {
  config: Config
  /** The 4biz client with its session; throws the RuntimeError naming the keys when 4biz is not configured. */
  fourbiz(): FourbizScope
  /** The Graph API client of the Page; throws the RuntimeError naming the keys when Meta is not configured. */
  graph(): GraphClient
}

export function requestContext(
  props: bp.CommonProps,
  config: Config = resolveConfig(props.ctx.configuration)
): RequestContext {
  const { client, ctx, logger } = props
  let fourbiz: FourbizScope | undefined
  let graph: GraphClient | undefined
  return {
    client,
    ctx,
    logger,
    config,
    fourbiz: () => (fourbiz ??= fourbizScope(props, config)),
    graph: () => (graph ??= graphClientFor(config, { logger })),
  }
}
