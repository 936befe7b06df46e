import { IntegrationDefinition } from '@botpress/sdk'
import { actions, channels, configurationSchema, events, states, user } from './definitions'
import { entities, hitlChannelExtension, hitlEventTexts, hitlInterface } from './definitions/hitl'

export default new IntegrationDefinition({
  name: 'fourbiz-messenger',
  version: '0.1.0',
  title: '4biz Omnichannel for Messenger',
  description: 'Facebook Messenger channel with 4biz service desk tickets: requesters, tickets, handoff and analyst replies.',
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
}).extend(hitlInterface, ({ entities }) => ({
  // the HITL plugin's "Start HITL" card shows these fields as the session's extra configuration
  entities: { hitlSession: entities.hitlTicket },
  channels: { hitl: hitlChannelExtension },
  events: hitlEventTexts,
}))
