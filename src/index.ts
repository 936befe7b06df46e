/**
 * The integration's entry: what Botpress Cloud calls. src/ is in layers, lowest first; a module imports
 * its own folder or lower layers only (checked by `node scripts/imports.js`, which also finds circles):
 *   src/*.ts utilities: typings, config, env, errors, events, validate (they import no folder)
 *   fourbiz ← messenger ← routing ← hitl ← actions, webhook (these two not each other)
 *   and this entry with setup.ts and channels.ts, which may import anything.
 */
import * as bp from './typings'
import { actions } from './actions'
import { channels } from './channels'
import { register, unregister } from './setup'
import { handler } from './webhook/handler'

export default new bp.Integration({ register, unregister, actions, channels, handler })
