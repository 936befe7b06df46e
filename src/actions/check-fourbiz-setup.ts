import type * as bp from '../typings'
import { actionInputs } from './inputs'
import { fourbizScope } from '../fourbiz/scope'
import { checkFourbizSetup as runCheck } from '../fourbiz/setup-check'
import { parseInput } from '../validate'

/** The 4biz setup check as an action: the list of what to fix, never an error for what it found. */
export const checkFourbizSetup: bp.IntegrationProps['actions']['checkFourbizSetup'] = async (props) => {
  const input = parseInput((await actionInputs()).checkFourbizSetupInput, props.input, 'checkFourbizSetup')
  const { loginError: _loginError, ...result } = await runCheck(fourbizScope(props), { activity: input.activity })
  return result
}
