import { createHitlUser, startHitlSession, stopHitlSession } from '../hitl/lifecycle'
import { action } from './wrap'

/** The hitl interface's actions (src/hitl/lifecycle.ts); their inputs are parsed against the interface's schemas. */
export const createUser = action('createUser', async (input, request) => createHitlUser(request, input))
export const startHitl = action('startHitl', async (input, request) => startHitlSession(request, input))
export const stopHitl = action('stopHitl', async (input, request) => stopHitlSession(request, input))
