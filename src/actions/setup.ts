import type * as bp from '.botpress'
import { checkFourbizSetup } from './check-fourbiz-setup'

type A = bp.IntegrationProps['actions']

export const setupActions: Pick<A, 'checkFourbizSetup'> = { checkFourbizSetup }
