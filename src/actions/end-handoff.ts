import type * as bp from '../typings'
import { actionInputs } from './inputs'
import { resolveConfig } from '../config'
import { endHandoff as handBack } from '../routing/handoff'
import { parseInput } from '../validate'

export const endHandoff: bp.IntegrationProps['actions']['endHandoff'] = async (props) =>
  handBack({ ...props, config: resolveConfig(props.ctx.configuration) }, parseInput((await actionInputs()).endHandoffInput, props.input, 'endHandoff'))
