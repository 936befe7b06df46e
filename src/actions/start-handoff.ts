import type * as bp from '../typings'
import { startHandoffInput } from '../../definitions/actions'
import { resolveConfig } from '../config'
import { startHandoff as handOff } from '../routing/handoff'
import { parseInput } from '../validate'

export const startHandoff: bp.IntegrationProps['actions']['startHandoff'] = async (props) =>
  handOff({ ...props, config: resolveConfig(props.ctx.configuration) }, parseInput(startHandoffInput, props.input, 'startHandoff'))
