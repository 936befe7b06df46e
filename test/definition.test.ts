import definition from '../integration.definition'

/**
 * Stand-in for `bp lint` (the CLI on this registry cannot read an sdk-5 project): every configuration
 * key, action, event and state field, channel, tag and message type carries a title and a description,
 * and the definition serialises to JSON Schema as `bp read` would.
 */

type JsonSchema = { type?: string; title?: string; description?: string; properties?: Record<string, JsonSchema>; items?: JsonSchema; 'x-zui'?: { title?: string } }

function undocumented(schema: JsonSchema, path: string, out: string[] = []): string[] {
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    const title = prop.title ?? prop['x-zui']?.title
    if (!title || !prop.description) out.push(`${path}.${key}`)
  }
  return out
}

const json = (s: { toJSONSchema: () => unknown }) => s.toJSONSchema() as JsonSchema

it('every configuration key has a title and a description', () => {
  expect(undocumented(json(definition.configuration!.schema), 'configuration')).toEqual([])
})

it('every action, event and state is documented, field by field', () => {
  const missing: string[] = []
  for (const [name, action] of Object.entries(definition.actions ?? {})) {
    if (!action.title || !action.description) missing.push(`actions.${name}`)
    undocumented(json(action.input.schema), `actions.${name}.input`, missing)
    undocumented(json(action.output.schema), `actions.${name}.output`, missing)
  }
  for (const [name, event] of Object.entries(definition.events ?? {})) {
    if (!event.title || !event.description) missing.push(`events.${name}`)
    undocumented(json(event.schema), `events.${name}`, missing)
  }
  for (const [name, state] of Object.entries(definition.states ?? {})) undocumented(json(state.schema), `states.${name}`, missing)
  expect(missing).toEqual([])
})

it('the messenger channel has every default message type and documented tags', () => {
  const channel = definition.channels!.messenger!
  expect(Object.keys(channel.messages).sort()).toEqual(['audio', 'bloc', 'card', 'carousel', 'choice', 'dropdown', 'file', 'image', 'location', 'text', 'video'])
  const tags = { ...channel.message?.tags, ...channel.conversation?.tags, ...definition.user?.tags }
  for (const [name, tag] of Object.entries(tags)) expect([name, !!tag.title && !!tag.description]).toEqual([name, true])
})

it('the public contract: configuration keys, actions and events keep their names', () => {
  expect(Object.keys(json(definition.configuration!.schema).properties ?? {})).toEqual(
    expect.arrayContaining([
      'pageAccessToken', 'appSecret', 'verifyToken', 'pageId', 'appId', 'fourbizUrl', 'fourbizUser', 'fourbizPassword', 'fourbizPlatform',
      'defaultUnit', 'defaultGroup', 'defaultActivity', 'contactOrigin', 'helperInterception', 'defaultContract', 'fourbizWebhookSecret',
      'humanAgentTag', 'language',
    ])
  )
  expect(Object.keys(definition.actions ?? {})).toEqual(
    expect.arrayContaining([
      'createTicket', 'getTicket', 'listTickets', 'addTicketComment', 'cancelTicket', 'startHandoff', 'endHandoff', 'syncTicketUpdates',
      'getOrCreateUser', 'getOrCreateConversation', 'startTypingIndicator', 'stopTypingIndicator',
    ])
  )
  expect(Object.keys(definition.events ?? {})).toEqual(
    expect.arrayContaining(['ticketCreated', 'ticketUpdated', 'agentReplied', 'handoffStarted', 'handoffEnded', 'deliveryFailed'])
  )
})
