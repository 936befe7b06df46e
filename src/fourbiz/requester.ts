import { RuntimeError } from '@botpress/sdk'
import type * as bp from '../typings'
import type { Config } from '../config'
import { isNotFound } from '../errors'
import type { SourceRequest } from './client'

/**
 * A Messenger user becomes a 4biz requester with their first ticket (request/create with
 * `synchronize`): login derived from the PSID, name from the Messenger profile, the contact e-mail and
 * phone 4biz requires for a new person (placeholders from requesterEmail / requesterPhone), unit
 * `defaultUnit` (a unit name, sent as contact.department). 4biz puts synchronized requesters in the group
 * of its parameter 45, which must be `defaultGroup`.
 *
 * Who owns the 4biz person decides whether contact data is ever sent, and it is known from the Botpress
 * user alone, so every instance decides the same: the `requesterLogin` tag is written only after 4biz
 * accepted a ticket for the login. No tag: the integration creates the person (synchronize with
 * contact). A tag: the person exists, and is never written again (no synchronize, no contact); if 4biz
 * no longer knows a login the integration derived itself, it is created again, but a login a bot
 * builder put on the tag (an existing employee) never is.
 */

export type Requester = {
  login: string
  name: string
  /** The Botpress user, when the requester comes from one. */
  userId?: string
  psid?: string
  /** Whether the Botpress user already carries the login (nothing to write back; 4biz knows the person). */
  loginKept: boolean
  /** The login is the one the integration derives (fb.<psid> / bp.<userId>): the person is the integration's own. */
  ownLogin: boolean
}

/** `fb.<psid>`: stable, readable by analysts, and within 4biz login lengths. */
const requesterLoginForPsid = (psid: string) => `fb.${psid}`
/** For a Botpress user that is not a Messenger user (e.g. the emulator). */
const requesterLoginForUser = (userId: string) => `bp.${userId}`

type BpUser = Awaited<ReturnType<bp.Client['getUser']>>['user']

export function requesterOf(user: BpUser): Requester {
  const psid = user.tags.psid || undefined
  const kept = user.tags.requesterLogin || undefined
  const login = kept ?? (psid ? requesterLoginForPsid(psid) : requesterLoginForUser(user.id))
  const name = user.name?.trim() || (psid ? `Messenger ${psid}` : `Botpress ${user.id}`)
  const derived = psid ? requesterLoginForPsid(psid) : requesterLoginForUser(user.id)
  return { login, name, userId: user.id, psid, loginKept: !!kept, ownLogin: login === derived }
}

export async function requesterFromUser(client: bp.Client, userId: string): Promise<Requester> {
  try {
    const { user } = await client.getUser({ id: userId })
    return requesterOf(user)
  } catch (err) {
    if (isNotFound(err))
      throw new RuntimeError(
        `Botpress user "${userId}" does not exist: pass the user id of the conversation, e.g. {{event.userId}}.`
      )
    throw err
  }
}

/** `{psid}`, `{login}` and `{userId}` of a contact placeholder (requesterEmail, requesterPhone). */
function fillContactTemplate(template: string, requester: Pick<Requester, 'login' | 'psid' | 'userId'>): string {
  const values: Record<string, string> = {
    psid: requester.psid ?? requester.userId ?? '',
    login: requester.login,
    userId: requester.userId ?? '',
  }
  return template.replace(/\{(psid|login|userId)\}/g, (_, k: string) => values[k] ?? '').trim()
}

/**
 * The requester data 4biz needs to create the person on the first ticket: name, e-mail and phone
 * (required for a new requester), unit name. Sent only when the integration creates the person.
 */
export function requesterContact(
  config: Pick<Config, 'defaultUnit' | 'requesterEmail' | 'requesterPhone'>,
  requester: Requester
): NonNullable<SourceRequest['contact']> {
  return {
    name: requester.name,
    email: fillContactTemplate(config.requesterEmail, requester),
    phoneNumber: fillContactTemplate(config.requesterPhone, requester),
    department: config.defaultUnit,
  }
}

/** Once 4biz knows the requester, remember the login on the Botpress user. */
export async function keepRequesterLogin(client: bp.Client, requester: Requester): Promise<void> {
  if (requester.loginKept || !requester.userId) return
  await client.updateUser({ id: requester.userId, tags: { requesterLogin: requester.login } })
  requester.loginKept = true
}
