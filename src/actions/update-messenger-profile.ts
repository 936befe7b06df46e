import type * as bp from '../typings'
import { actionInputs } from './inputs'
import { graphClientFor } from '../messenger/graph-client'
import { applyProfile, buildProfile } from '../messenger/profile'
import { parseInput } from '../validate'

/** A flow changes the Page's Messenger profile: only the fields given, and only when they differ. */
export const updateMessengerProfile: bp.IntegrationProps['actions']['updateMessengerProfile'] = async (props) => {
  const input = parseInput((await actionInputs()).updateMessengerProfileInput, props.input, props.type)
  const source = 'updateMessengerProfile input'
  const desired = buildProfile(input, source)
  const change = await applyProfile(graphClientFor(props.ctx.configuration, { logger: props.logger }), desired, source)
  props.logger.forBot().info(`updateMessengerProfile: set ${change.changed.join(', ') || 'nothing'}; removed ${change.removed.join(', ') || 'nothing'}.`)
  return change
}
