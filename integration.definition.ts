import { IntegrationDefinition } from '@botpress/sdk'
import { version } from './package.json'
import {
  actions,
  channels,
  configurationSchema,
  entities,
  events,
  proactiveConversation,
  proactiveUser,
  states,
  typingIndicator,
  user,
} from './definitions'
import { hitlChannelExtension, hitlEventTexts, hitlInterface } from './definitions/hitl'

export default new IntegrationDefinition({
  name: 'fourbiz-messenger',
  version, // written once, in package.json
  title: '4biz Omnichannel for Messenger',
  description:
    'Facebook Messenger channel with 4biz service desk tickets: requesters, tickets, handoff and analyst replies.',
  icon: 'icon.svg',
  readme: 'hub.md',
  attributes: { category: 'Customer Support' },
  configuration: { schema: configurationSchema },
  channels,
  actions,
  events,
  states,
  user,
  entities,
  // The schemas are made with sdk 5's zui 1; a Botpress CLI 7 (zui 2) converts them with its legacy transformer only.
  __advanced: { useLegacyZuiTransformer: true },
})
  .extend(typingIndicator, () => ({ entities: {} }))
  .extend(proactiveUser, ({ entities }) => ({ entities: { user: entities.user } }))
  .extend(proactiveConversation, ({ entities }) => ({ entities: { conversation: entities.conversation } }))
  .extend(hitlInterface, ({ entities }) => ({
    // the HITL plugin's "Start HITL" card shows these fields as the session's extra configuration
    entities: { hitlSession: entities.hitlTicket },
    channels: { hitl: hitlChannelExtension },
    events: hitlEventTexts,
  }))
