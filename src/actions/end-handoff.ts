import type * as bp from '../typings'
import { endHandoffInput } from '../../definitions/actions'
import { fourbizScope } from '../fourbiz/scope'
import { endHandoff as handBack } from '../routing/handoff'
import { parseInput } from '../validate'

export const endHandoff: bp.IntegrationProps['actions']['endHandoff'] = async (props) =>
  handBack(fourbizScope(props), parseInput(endHandoffInput, props.input, 'endHandoff'))
