import type { z } from '@botpress/sdk'
import type * as bp from '../typings'
import { resolveConfig } from '../config'
import { parseInput } from '../validate'
import { createHitlUser, startHitlSession, stopHitlSession } from './lifecycle'

/** The hitl interface's actions; inputs are parsed against the interface's own schemas. */
type A = bp.IntegrationProps['actions']
/** The interface's input schemas, built at the first hitl action instead of at load (a Messenger message never needs them). */
let loading: ReturnType<typeof loadInputs> | undefined
const inputs = () => (loading ??= loadInputs())
async function loadInputs() {
  const { hitlInterfaceDefinition, hitlTicketEntity } = await import('../../definitions/hitl')
  const schemas = hitlInterfaceDefinition.actions
  return {
    createUser: schemas.createUser.input.schema,
    // the interface leaves hitlSession to the implementation: here, the hitlTicket entity
    startHitl: schemas.startHitl.input.schema.dereference({ hitlSession: hitlTicketEntity }) as unknown as z.ZodType<bp.actionsTypes.Input<'startHitl'>>,
    stopHitl: schemas.stopHitl.input.schema,
  }
}
const routing = (props: bp.CommonProps) => ({ client: props.client, ctx: props.ctx, logger: props.logger, config: resolveConfig(props.ctx.configuration) })

export const hitlActions: Pick<A, 'createUser' | 'startHitl' | 'stopHitl'> = {
  createUser: async (props) => createHitlUser(routing(props), parseInput((await inputs()).createUser, props.input, 'createUser')),
  startHitl: async (props) => startHitlSession(routing(props), parseInput((await inputs()).startHitl, props.input, 'startHitl')),
  stopHitl: async (props) => stopHitlSession(routing(props), parseInput((await inputs()).stopHitl, props.input, 'stopHitl')),
}
