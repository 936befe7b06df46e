import { startHandoff as handOff } from '../routing/handoff'
import { action } from './wrap'

export const startHandoff = action('startHandoff', async (input, request) => handOff(request, input))
