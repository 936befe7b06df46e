import { RuntimeError } from '@botpress/sdk'
import type * as bp from '../typings'
import type { Config } from '../config'
import { FourbizOperation, webServiceOperationName } from './errors'
import { fourbizScope } from './scope'

/**
 * Bodies that identify nothing, so the operation cannot change anything: 4biz checks the session and the
 * permission first, then refuses the missing fields. Only a permission refusal counts.
 */
const PROBES: [Exclude<FourbizOperation, 'login'>, Record<string, unknown>][] = [
  ['request/create', { synchronize: false, sourceRequest: {} }],
  ['request/getById', { numberOrigin: 'bp-access-check' }],
  ['request/getByUser', { userID: 'bp-access-check' }],
  ['request/createOccurrence', {}],
  ['request/listOccurrences', {}],
  ['request/updateStatus', {}],
  ['request/addAttachments', {}],
]

/**
 * For register: logs in (bad URL, DNS, refused connection, non-4biz answer, wrong credentials each
 * give a RuntimeError saying what to fix), keeps the session, and checks the user may run every
 * web-service operation the integration uses.
 */
export async function verifyFourbizAccess(props: bp.CommonProps & { config?: Config }): Promise<void> {
  const scope = fourbizScope(props, props.config)
  const { fourbiz } = scope
  await fourbiz.sessions.adopt(await fourbiz.login())

  const refused: string[] = []
  const unregistered: string[] = []
  for (const [operation, body] of PROBES) {
    const verdict = await fourbiz.probe(operation, body)
    if (verdict === 'denied') refused.push(webServiceOperationName(operation))
    if (verdict === 'missing') unregistered.push(webServiceOperationName(operation))
  }
  const problems: string[] = []
  if (unregistered.length)
    problems.push(
      `the web-service operations ${unregistered.join(', ')} are not registered: load them in Sistema > Banco de Dados > Scripts > Carga de Scripts Webservice`
    )
  if (refused.length)
    problems.push(
      `user "${fourbiz.userName}" has no permission for ${refused.join(', ')}: in Sistema > Web Service > Operação de Web Service, add a group of this user to each of them`
    )
  if (problems.length) throw new RuntimeError(`4biz login works, but ${problems.join('; and ')}.`)
  scope.logger.forBot().info(`4biz: logged in as "${fourbiz.userName}"; all ${PROBES.length} web-service operations are allowed.`)
}
