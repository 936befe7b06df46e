import { addFollowUp } from '../fourbiz/follow-ups'
import { numberOrigin } from '../fourbiz/number-origin'
import { action } from './wrap'

/** Adds a follow-up; with an idempotency key, repeated calls add it once. */
export const addTicketComment = action('addTicketComment', async (input, request) => {
  const ticketNumber = input.ticketNumber.trim()
  const key = input.idempotencyKey
    ? numberOrigin(request.ctx.integrationId, 'followUp', ticketNumber, input.idempotencyKey)
    : undefined
  const { followUpNumber } = await addFollowUp(request.fourbiz(), {
    ticketNumber,
    text: input.text,
    numberOrigin: key,
    readBack: !!key,
  })
  return { followUpNumber }
})
