import { endHandoff as handBack } from '../routing/handoff'
import { action } from './wrap'

export const endHandoff = action('endHandoff', async (input, request) => handBack(request, input))
