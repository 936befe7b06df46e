import type * as bp from '../typings'
import { checkFourbizSetup } from './check-fourbiz-setup'

type A = bp.IntegrationProps['actions']

export const setupActions: Pick<A, 'checkFourbizSetup'> = { checkFourbizSetup }
