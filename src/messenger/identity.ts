import { RuntimeError } from '@botpress/sdk'
import type * as bp from '../typings'
import type { Config } from '../config'
import { isNotFound } from '../errors'
import { graphClientFor } from './graph-client'
import { GraphError } from './graph-errors'

/**
 * Messenger identities in Botpress: one user per PSID (with the profile name and picture, fetched once)
 * and one conversation per (PSID, page). Inbound messages call both, so they cost the fewest API calls:
 * one each once the profile is known.
 */

type IdentityProps = Pick<bp.CommonProps, 'client' | 'logger'> & { config: Config }
export type MessengerUser = Awaited<ReturnType<bp.Client['getOrCreateUser']>>['user']
export type MessengerConversation = Awaited<ReturnType<bp.Client['getOrCreateConversation']>>['conversation']

/** The Botpress user of a PSID, with the Messenger profile asked for once (best effort). */
export async function ensureUser(props: IdentityProps, psid: string): Promise<MessengerUser> {
  const { user, profiled } = await userOf(props, psid)
  return (await profiled) ?? user
}

/**
 * The user at once, and the profile (fetched once, then written on the user) as a promise: a message
 * for the bot needs only the user id, so it need not wait for Meta and the update.
 */
async function userOf(
  props: IdentityProps,
  psid: string
): Promise<{ user: MessengerUser; profiled: Promise<MessengerUser | undefined> }> {
  const { client } = props
  const { user } = await client.getOrCreateUser({ tags: { psid }, discriminateByTags: ['psid'] })
  if (user.tags.profileFetched) return { user, profiled: Promise.resolve(undefined) }
  const profiled = fetchProfile(props, psid).then(async (profile) => {
    if (!profile) return undefined
    const { user: updated } = await client.updateUser({
      id: user.id,
      ...(profile.name ? { name: profile.name } : {}),
      ...(profile.pictureUrl ? { pictureUrl: profile.pictureUrl } : {}),
      tags: { profileFetched: 'true' },
    })
    return updated
  })
  return { user, profiled }
}

/** The Botpress conversation of a PSID on this page (the page is part of the key: a PSID is page-scoped). */
export async function ensureConversation(props: IdentityProps, psid: string): Promise<MessengerConversation> {
  const { conversation } = await props.client.getOrCreateConversation({
    channel: 'messenger',
    tags: { psid, pageId: props.config.pageId },
    discriminateByTags: ['psid', 'pageId'],
  })
  return conversation
}

/** The profile is best effort: it never takes much of Meta's 5-second webhook budget. */
const PROFILE_TIMEOUT_MS = 1_500

/**
 * The conversation and the user of a PSID, asked for together (neither depends on the other), and the
 * first-time profile as a promise the caller awaits once its own work is under way (`ensureUser` waits).
 */
export async function ensureConversationAndUser(props: IdentityProps, psid: string) {
  const [conversation, { user, profiled }] = await Promise.all([ensureConversation(props, psid), userOf(props, psid)])
  return { conversation, user, profiled }
}

/**
 * The profile, `{}` when Meta has none to give (phone-number accounts: 2018218; no permission), or
 * undefined after a temporary failure so the next message asks again. Never throws: a profile must
 * never block a message.
 */
async function fetchProfile({ config, logger }: IdentityProps, psid: string) {
  try {
    return await graphClientFor(config, { logger, retry: { timeoutMs: PROFILE_TIMEOUT_MS } }).getProfile(psid)
  } catch (error) {
    if (error instanceof GraphError) {
      logger.warn(
        `No Messenger profile for PSID ${psid} (${error.kind}${error.code === undefined ? '' : `, Meta error ${error.code}${error.subcode ? `/${error.subcode}` : ''}`}); the user keeps no name.`
      )
      return error.retryable ? undefined : {}
    }
    logger.warn(`No Messenger profile for PSID ${psid}: ${(error as Error).message}`)
    return undefined
  }
}

/**
 * The Messenger conversation behind a conversationId given to an action, or a RuntimeError the bot
 * builder can act on (`hint` says what to pass instead).
 */
export async function messengerConversation(
  client: bp.Client,
  conversationId: string,
  opts: { action: string; hint?: string }
): Promise<MessengerConversation & { tags: { psid: string } }> {
  let conversation: MessengerConversation
  try {
    conversation = (await client.getConversation({ id: conversationId })).conversation
  } catch (err) {
    if (isNotFound(err))
      throw new RuntimeError(
        `Invalid input for ${opts.action}: "conversationId" ${conversationId} is not a conversation of this bot (it does not exist): pass {{event.conversationId}}.`
      )
    throw err
  }
  if (!('psid' in conversation.tags) || !conversation.tags.psid)
    throw new RuntimeError(
      `Conversation "${conversationId}" is not a Messenger conversation of this integration (it has no psid tag)${opts.hint ? `: ${opts.hint}` : ''}.`
    )
  return conversation as MessengerConversation & { tags: { psid: string } }
}
