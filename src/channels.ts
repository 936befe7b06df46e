// PLACEHOLDER owned by the Messenger helper: replaced by the real channel handlers.
import { RuntimeError } from '@botpress/sdk'
import type * as bp from '.botpress'
const todo = async (): Promise<never> => {
  throw new RuntimeError('not built yet')
}
const types = ['text', 'image', 'audio', 'video', 'file', 'location', 'carousel', 'card', 'dropdown', 'choice', 'bloc'] as const
export const channels = {
  messenger: { messages: Object.fromEntries(types.map((t) => [t, todo])) },
} as unknown as bp.IntegrationProps['channels']
