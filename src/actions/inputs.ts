/**
 * The action input schemas (definitions/actions.ts), loaded at the first action call instead of with the
 * bundle: a cold start that handles a Messenger message never builds them. Pure data, so one copy serves
 * every instance in the process.
 */
export const actionInputs = () => import('../../definitions/actions')
