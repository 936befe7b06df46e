/**
 * Folder src/webhook: the integration's HTTP endpoint. Meta's webhook (verification, signature, the
 * events dispatched to the bot or to routing) and the 4biz push (/4biz). Imports everything below it:
 * the src/ utilities, fourbiz, messenger, routing, hitl; never actions.
 */
import type * as bp from '../typings'
import { describeError, isOutage } from '../errors'
import { parseWebhookBody } from '../messenger/webhook-events'
import { requestContext } from '../routing/context'
import { deadlineIn, WEBHOOK_BUDGET_MS } from '../routing/deadline'
import { runPerSender, uniqueByKey } from './batch'
import { dispatchEvent } from './dispatch'
import { handleFourbizPush } from './fourbiz-push'
import { parseJsonKeepingIds } from './json'
import { text } from './response'
import { header, isValidSignature } from './signature'
import { answerVerification } from './verification'

/** Meta's bodies are small; 1 MiB leaves room for a big batch (Courier saw 300 KB) and stops abuse. */
const MAX_BODY_BYTES = 1024 * 1024

/** Past this, a sender's events only wait for another copy's lease; Meta's 5 s include Botpress's writes. */
const LOCK_WAIT_MS = 3_500

/**
 * The webhook, one linear pipeline: route, size, verify (GET), signature, parse, dispatch.
 * `/4biz` is the push endpoint for ticket updates (src/webhook/fourbiz-push.ts).
 * It answers 5xx only when an event could not be recorded because Botpress was down (or a conversation
 * stayed busy on another copy), so that Meta redelivers; redeliveries are deduplicated downstream. 4biz
 * being down or slow never fails it: that work is kept and finished later (src/routing/work.ts).
 */
export const handler: bp.IntegrationProps['handler'] = async (props) => {
  const { req, logger } = props
  const deadlines = { work: deadlineIn(WEBHOOK_BUDGET_MS), lock: deadlineIn(LOCK_WAIT_MS) }
  // built once, passed down: the configuration with its defaults, the clients on first use
  const request = requestContext(props)
  const { config } = request
  const path = (req.path || '/').replace(/\/+$/, '') || '/'

  if (path !== '/' && path !== '/4biz') return text(404, 'Not found')
  const raw = req.body ?? ''
  if (Buffer.byteLength(raw, 'utf8') > MAX_BODY_BYTES) return text(413, 'Payload too large')
  if (path === '/4biz') return handleFourbizPush(props, request, raw)

  if (req.method === 'GET') return answerVerification(req.query ?? '', config.verifyToken)
  if (req.method !== 'POST') return text(405, 'Method not allowed')
  if (!config.appSecret) {
    logger.forBot().error('appSecret is not configured: every Messenger webhook is refused. Set the Meta app secret.')
    return text(401, 'Unauthorized')
  }
  if (!isValidSignature(raw, header(req.headers, 'x-hub-signature-256'), config.appSecret)) {
    logger.forBot().warn('Refused a Messenger webhook with a missing or wrong X-Hub-Signature-256.')
    return text(401, 'Unauthorized')
  }

  let body: unknown
  try {
    body = parseJsonKeepingIds(raw)
  } catch {
    return text(400, 'Invalid JSON')
  }

  const parsed = parseWebhookBody(body, config.pageId)
  if (parsed.kind === 'ignored') {
    logger.debug(`Ignored a webhook body: ${parsed.reason}`)
    return text(200, 'OK')
  }
  if (parsed.ignoredEntries > 0) logger.debug(`Ignored ${parsed.ignoredEntries} entr(ies) for other pages`)
  for (const bad of parsed.items)
    if (!bad.ok) logger.forBot().warn(`Skipped a malformed Messenger event at ${bad.where}: ${bad.error}`)

  const events = uniqueByKey(parsed.items.flatMap((i) => (i.ok ? [i.event] : [])))
  let lost = 0
  await runPerSender(
    events,
    (event) => dispatchEvent({ ...request, deadlines }, event),
    (event, err) => {
      if (isOutage(err)) {
        lost += 1
        logger
          .forBot()
          .error(
            `Could not record a Messenger ${event.kind} (${event.key}); Meta will redeliver it: ${describeError(err)}`
          )
        return 'stop'
      }
      logger
        .forBot()
        .error(`Skipped a Messenger ${event.kind} (${event.key}) that cannot be handled: ${describeError(err)}`)
      return 'continue'
    }
  )
  return lost > 0 ? text(503, 'Try again later') : text(200, 'OK')
}
