import type * as bp from '../typings'
import { startHandoffInput } from '../../definitions/actions'
import { fourbizScope } from '../fourbiz/scope'
import { startHandoff as handOff } from '../routing/handoff'
import { parseInput } from '../validate'

export const startHandoff: bp.IntegrationProps['actions']['startHandoff'] = async (props) =>
  handOff(fourbizScope(props), parseInput(startHandoffInput, props.input, 'startHandoff'))
