import { ensureUser } from '../messenger/identity'
import { action } from './wrap'

/** proactive-user: the Botpress user of a PSID (the profile is fetched once, best effort). */
export const getOrCreateUser = action('getOrCreateUser', async ({ user: { psid } }, request) => {
  const user = await ensureUser(request, psid)
  return { userId: user.id }
})
