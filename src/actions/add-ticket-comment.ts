import type * as bp from '../typings'
import { actionInputs } from './inputs'
import { addFollowUp } from '../fourbiz/follow-ups'
import { numberOrigin } from '../fourbiz/number-origin'
import { fourbizScope } from '../fourbiz/scope'
import { parseInput } from '../validate'

/** Adds a follow-up; with an idempotency key, repeated calls add it once. */
export const addTicketComment: bp.IntegrationProps['actions']['addTicketComment'] = async (props) => {
  const input = parseInput((await actionInputs()).addTicketCommentInput, props.input, 'addTicketComment')
  const ticketNumber = input.ticketNumber.trim()
  const key = input.idempotencyKey ? numberOrigin(props.ctx.integrationId, 'followUp', ticketNumber, input.idempotencyKey) : undefined
  const { followUpNumber } = await addFollowUp(fourbizScope(props), { ticketNumber, text: input.text, numberOrigin: key, readBack: !!key })
  return { followUpNumber }
}
