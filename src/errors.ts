import { isApiError } from '@botpress/sdk'

/**
 * Whether a failure while handling an inbound event means data would be lost unless Meta redelivers:
 * the Botpress API or 4biz was down or timed out. Refusals (4xx, bad data) would fail again.
 */
export function isOutage(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false
  // 4biz's errors, Meta's (GraphError), a call out of time say so themselves
  if ((err as { outage?: unknown }).outage === true) return true
  if (isApiError(err)) return err.code >= 500 || err.code === 429 || err.type === 'Unknown'
  const code = (err as { code?: unknown }).code
  return (
    typeof code === 'string' &&
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'EAI_AGAIN', 'ENOTFOUND', 'EPIPE'].includes(code)
  )
}

/**
 * This delivery is left with Meta, which redelivers it (the webhook answers 503): the work could not be
 * taken in now without risking a loss (another copy holds it, or too much already waits).
 */
export class LeftWithMeta extends Error {
  readonly outage = true
}

/** A message for logs: never the request config (which may hold tokens). */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message
  return String(err)
}

/** A Botpress API "not found" (state never set, unknown user or conversation). */
export const isNotFound = (err: unknown): boolean => isApiError(err) && err.type === 'ResourceNotFound'
