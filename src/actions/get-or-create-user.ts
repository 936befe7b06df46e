import type * as bp from '.botpress'
import { getOrCreateUserInput } from '../../definitions/actions'
import { ensureUser } from '../messenger/identity'
import { parseInput } from '../validate'

/** Proactive: the Botpress user of a PSID (the profile is fetched once, best effort). */
export const getOrCreateUser: bp.IntegrationProps['actions']['getOrCreateUser'] = async (props) => {
  const { psid } = parseInput(getOrCreateUserInput, props.input, 'getOrCreateUser')
  const user = await ensureUser(props, psid)
  return { userId: user.id }
}
