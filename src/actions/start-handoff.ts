import type * as bp from '../typings'
import { actionInputs } from './inputs'
import { resolveConfig } from '../config'
import { startHandoff as handOff } from '../routing/handoff'
import { parseInput } from '../validate'

export const startHandoff: bp.IntegrationProps['actions']['startHandoff'] = async (props) =>
  handOff({ ...props, config: resolveConfig(props.ctx.configuration) }, parseInput((await actionInputs()).startHandoffInput, props.input, 'startHandoff'))
