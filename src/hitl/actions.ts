import type { z } from '@botpress/sdk'
import type * as bp from '../typings'
import { resolveConfig } from '../config'
import { parseInput } from '../validate'
import { hitlInterfaceDefinition, hitlTicketEntity } from '../../definitions/hitl'
import { createHitlUser, startHitlSession, stopHitlSession } from './lifecycle'

/** The hitl interface's actions; inputs are parsed against the interface's own schemas. */
type A = bp.IntegrationProps['actions']
const schemas = hitlInterfaceDefinition.actions
// the interface leaves hitlSession to the implementation: here, the hitlTicket entity
const startHitlInput = schemas.startHitl.input.schema.dereference({ hitlSession: hitlTicketEntity }) as unknown as z.ZodType<bp.actionsTypes.Input<'startHitl'>>
const routing = (props: bp.CommonProps) => ({ client: props.client, ctx: props.ctx, logger: props.logger, config: resolveConfig(props.ctx.configuration) })

export const hitlActions: Pick<A, 'createUser' | 'startHitl' | 'stopHitl'> = {
  createUser: async (props) => createHitlUser(routing(props), parseInput(schemas.createUser.input.schema, props.input, 'createUser')),
  startHitl: async (props) => startHitlSession(routing(props), parseInput(startHitlInput, props.input, 'startHitl')),
  stopHitl: async (props) => stopHitlSession(routing(props), parseInput(schemas.stopHitl.input.schema, props.input, 'stopHitl')),
}
