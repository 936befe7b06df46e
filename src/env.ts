/**
 * The integration's only environment variables: seams for the tests, the benchmarks and the local run
 * (local/), which point the integration at loopback fakes or shorten its waits. Botpress Cloud sets
 * none of them, so in production each is its default. Read on every use (tests change them between
 * cases), except the two budgets, read once when src/routing/deadline.ts loads.
 * Imports nothing: any module may use it.
 */

/** A number of milliseconds from the environment, or undefined when unset or not a number ≥ 0. */
const millis = (name: string): number | undefined => {
  const raw = process.env[name]
  const v = Number(raw)
  return raw && Number.isFinite(v) && v >= 0 ? v : undefined
}

export const env = {
  /** The Graph API host: the tests' and local run's fake of Meta (test/fakes/graph.ts). */
  graphUrl: () => process.env.MESSENGER_GRAPH_URL || 'https://graph.facebook.com',
  /** Graph retries' backoff base and a call's budget: tests of rate limits and timeouts would wait seconds. */
  graphRetryBaseMs: () => millis('MESSENGER_GRAPH_RETRY_BASE_MS'),
  graphTimeoutMs: () => millis('MESSENGER_GRAPH_TIMEOUT_MS'),
  /** How long copying an attachment to Botpress may take: tests of a slow CDN. */
  mediaTimeoutMs: () => Number(process.env.MESSENGER_MEDIA_TIMEOUT_MS) || 10_000,
  /** One 4biz call's timeout: tests of slow 4biz answers. */
  fourbizHttpTimeoutMs: () => Number(process.env.FOURBIZ_HTTP_TIMEOUT_MS) || 10_000,
  /** The webhook's and an action's time budgets (src/routing/deadline.ts): tests and benchmarks of a slow 4biz. */
  webhookBudgetMs: () => Number(process.env.FOURBIZ_WEBHOOK_BUDGET_MS) || 2_500,
  actionBudgetMs: () => Number(process.env.FOURBIZ_ACTION_BUDGET_MS) || 40_000,
}
