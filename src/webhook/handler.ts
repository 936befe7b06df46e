import type * as bp from '.botpress'
export const handler: bp.IntegrationProps['handler'] = async () => ({ status: 200, body: '' })
