import type * as bp from '../typings'
import type { Config } from '../config'
import { type GraphClient, graphClientFor } from './graph-client'
import { applyProfile, buildProfile, clearProfile, type ProfileChange, profileFromConfig } from './profile'

/** register/unregister's part of the Messenger profile: returns the sentence for the setup log. */

export async function setUpProfile(graph: GraphClient, config: Config): Promise<string> {
  if (!config.messengerProfile) return 'The Messenger profile is left as it is (messengerProfile is off).'
  const desired = buildProfile(profileFromConfig(config), 'configuration key')
  const change = await applyProfile(graph, desired, 'configuration key')
  return describeChange(change)
}

export async function tearDownProfile(config: Config, logger: bp.Logger): Promise<string> {
  if (!config.messengerProfile || config.profileOnUnregister === 'leave')
    return 'The Messenger profile of the Page is left as it is.'
  try {
    const removed = await clearProfile(graphClientFor(config, { logger }))
    return removed.length
      ? `Removed from the Messenger profile: ${removed.join(', ')}.`
      : 'The Messenger profile had nothing to remove.'
  } catch (error) {
    // unregistering must not fail because Meta is down or the token was revoked: say what is left
    logger
      .forBot()
      .warn(
        `The Messenger profile could not be cleared (${(error as Error).message}); remove the Get Started button and menu in Meta if needed.`
      )
    return 'The Messenger profile could not be cleared.'
  }
}

function describeChange({ changed, removed }: ProfileChange): string {
  if (!changed.length && !removed.length) return 'The Messenger profile is already up to date.'
  return [
    changed.length && `Messenger profile set: ${changed.join(', ')}.`,
    removed.length && `Removed: ${removed.join(', ')}.`,
  ]
    .filter(Boolean)
    .join(' ')
}
