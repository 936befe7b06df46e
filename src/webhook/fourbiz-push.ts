import { createHmac } from 'node:crypto'
import { z } from '@botpress/sdk'
import type * as bp from '../typings'
import { describeError, isOutage } from '../errors'
import type { RequestContext } from '../routing/context'
import { deadlineIn, WEBHOOK_BUDGET_MS } from '../routing/deadline'
import { relayTicketUpdates } from '../routing/relay'
import { describeIssues } from '../validate'
import { json, type WebhookResponse } from './response'
import { header, isSignedWith } from './signature'

/** A push older (or newer) than this is a replay, or a clock too wrong to trust. */
const MAX_SKEW_MS = 5 * 60_000

const id = z.union([z.string().trim().min(1), z.number()]).transform(String)
const pushSchema = z.object({
  ticketNumber: id,
  followUp: z
    .object({ number: id, text: z.string().min(1), author: z.string().optional(), category: z.string().optional() })
    .optional(),
  status: z.string().trim().min(1).optional(),
})

/**
 * `POST {webhookUrl}/4biz`: a 4biz automation tells the integration a ticket changed. Authenticated by
 * HMAC-SHA256 of "<timestamp>.<raw body>" (constant time) with a timestamp that blocks replays; the
 * relay deduplicates follow-ups against the pull, so a repeated push is harmless too.
 */
export async function handleFourbizPush(
  props: bp.HandlerProps,
  request: RequestContext,
  raw: string
): Promise<WebhookResponse> {
  const { req, logger } = props
  const { config } = request
  if (!config.fourbizWebhookSecret)
    return json(404, { error: 'The 4biz push endpoint is off: set fourbizWebhookSecret to enable it.' })
  if (req.method !== 'POST') return json(405, { error: 'Use POST.' })

  const timestamp = header(req.headers, 'x-4biz-timestamp') ?? ''
  const signature = header(req.headers, 'x-4biz-signature')
  if (
    !/^\d{9,11}$/.test(timestamp) ||
    Math.abs(Date.now() - Number(timestamp) * 1000) > MAX_SKEW_MS ||
    !isSignedWith(`${timestamp}.${raw}`, signature, config.fourbizWebhookSecret)
  ) {
    logger.forBot().warn('Refused a 4biz push with a missing, wrong or stale signature.')
    return json(401, { error: 'Unauthorized' })
  }

  let body: z.infer<typeof pushSchema>
  try {
    const parsed = pushSchema.safeParse(JSON.parse(raw))
    if (!parsed.success) return json(400, { error: describeIssues(parsed.error.issues, 'body') })
    body = parsed.data
  } catch {
    return json(400, { error: 'Invalid JSON' })
  }

  try {
    const followUp = body.followUp && {
      followUpNumber: body.followUp.number,
      text: body.followUp.text,
      author: body.followUp.author,
      category: body.followUp.category,
    }
    const result = await relayTicketUpdates(
      request,
      body.ticketNumber,
      { followUp, status: body.status },
      deadlineIn(WEBHOOK_BUDGET_MS)
    )
    // 503 asks the automation to push again: what Messenger did not take yet is sent then (or by the pull)
    if (result.retry)
      return json(503, {
        ticketNumber: body.ticketNumber,
        ...result,
        error: `Messenger is unavailable: ${result.retry}; try again.`,
      })
    return json(200, { ticketNumber: body.ticketNumber, ...result })
  } catch (err) {
    logger.forBot().error(`4biz push for ticket ${body.ticketNumber} failed: ${describeError(err)}`)
    // 503 asks the automation to try again; anything else would fail the same way again
    return isOutage(err)
      ? json(503, { error: 'Temporarily unavailable, try again.' })
      : json(422, { error: describeError(err) })
  }
}

/** How a 4biz automation signs a push (hub.md, Push endpoint); the tests sign theirs with it. */
export function pushSignature(timestamp: string, raw: string, secret: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${raw}`, 'utf8').digest('hex')
}
