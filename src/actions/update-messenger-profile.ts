import { applyProfile, buildProfile } from '../messenger/profile'
import { action } from './wrap'

/** A flow changes the Page's Messenger profile: only the fields given, and only when they differ. */
export const updateMessengerProfile = action('updateMessengerProfile', async (input, request) => {
  const source = 'updateMessengerProfile input'
  const desired = buildProfile(input, source)
  const change = await applyProfile(request.graph(), desired, source)
  request.logger
    .forBot()
    .info(
      `updateMessengerProfile: set ${change.changed.join(', ') || 'nothing'}; removed ${change.removed.join(', ') || 'nothing'}.`
    )
  return change
})
