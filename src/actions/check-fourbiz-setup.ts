import { checkFourbizSetup as runCheck } from '../fourbiz/setup-check'
import { action } from './wrap'

/** The 4biz setup check as an action: the list of what to fix, never an error for what it found. */
export const checkFourbizSetup = action('checkFourbizSetup', async (input, request) => {
  const { loginError: _loginError, ...result } = await runCheck(request.fourbiz(), { activity: input.activity })
  return result
})
