import type * as bp from '../typings'
import { actionInputs } from './inputs'
import { ensureUser } from '../messenger/identity'
import { parseInput } from '../validate'

/** proactive-user: the Botpress user of a PSID (the profile is fetched once, best effort). */
export const getOrCreateUser: bp.IntegrationProps['actions']['getOrCreateUser'] = async (props) => {
  const { user: { psid } } = parseInput((await actionInputs()).getOrCreateUserInput, props.input, 'getOrCreateUser')
  const user = await ensureUser(props, psid)
  return { userId: user.id }
}
