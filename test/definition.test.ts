import { transforms } from '@botpress/sdk'
import definition from '../integration.definition'
import { resolveConfig } from '../src/config'
import { baseConfig } from './harness'

/**
 * What `bp lint` / `bp deploy` of Botpress CLI 7.1.2 check, done here with the project's own sdk 5.4.3
 * (packages/cli: api/integration-body.ts and project-command.ts convert the schemas,
 * linter/rulesets/integration.ruleset.ts lints the result, sdk/validate-integration.ts checks names).
 * Written over whatever the definition holds, so keys, actions and events added later are covered.
 */

type Json = {
  type?: string
  enum?: unknown[]
  default?: unknown
  title?: string
  description?: string
  properties?: Record<string, Json>
  anyOf?: Json[]
  allOf?: Json[]
  'x-zui'?: { title?: string }
}
type Schema = Parameters<typeof transforms.toJSONSchemaLegacy>[0]

/** The transformer the CLI picks: the legacy one when the definition asks for it (it must, on zui 1). */
const convert = (schema: Schema): Json =>
  definition.__advanced?.useLegacyZuiTransformer
    ? (transforms.toJSONSchemaLegacy(schema, { target: 'jsonSchema7' }) as Json)
    : transforms.toJSONSchema(schema)

/** Every schema the CLI converts, by the path it reports. */
function everySchema(): [string, Schema][] {
  const d = definition
  const out: [string, Schema][] = []
  if (d.configuration) out.push(['configuration', d.configuration.schema])
  for (const [n, c] of Object.entries(d.configurations ?? {})) out.push([`configurations.${n}`, c.schema])
  for (const [n, a] of Object.entries(d.actions ?? {}))
    out.push([`actions.${n}.input`, a.input.schema], [`actions.${n}.output`, a.output.schema])
  for (const [n, e] of Object.entries(d.events ?? {})) out.push([`events.${n}`, e.schema])
  for (const [n, s] of Object.entries(d.states ?? {})) out.push([`states.${n}`, s.schema])
  for (const [n, e] of Object.entries(d.entities ?? {})) out.push([`entities.${n}`, e.schema])
  for (const [c, ch] of Object.entries(d.channels ?? {}))
    for (const [m, msg] of Object.entries(ch.messages)) out.push([`channels.${c}.messages.${m}`, msg.schema])
  return out
}

// The lint rules read `.title()` from x-zui.title, and look into anyOf/allOf members when absent there.
const members = (p: Json) => [p, ...(p.anyOf ?? []), ...(p.allOf ?? [])]
const titleOf = (p: Json) =>
  members(p)
    .map((m) => m['x-zui']?.title ?? m.title)
    .find(Boolean)
const descriptionOf = (p: Json) =>
  members(p)
    .map((m) => m.description)
    .find(Boolean)

/** The fields `bp lint` requires a title and a description on (its rules cover the top-level properties). */
function undocumentedFields(path: string, schema: Json): string[] {
  return Object.entries(schema.properties ?? {}).flatMap(([key, p]) =>
    titleOf(p) && descriptionOf(p) ? [] : [`${path}.${key}`]
  )
}

/** The CLI's camelCase test (utils/case-utils.ts): the name is unchanged by its camelCase conversion. */
function isCamelCase(name: string): boolean {
  const tokens = name
    .split(/[^a-zA-Z0-9_-]/g)
    .flatMap((t) => t.split('-'))
    .flatMap((t) => t.split('_'))
    .flatMap((t) => t.split(/(?<=[a-z])(?=[A-Z])/))
    .filter((t) => t.length > 0)
  if (tokens.length === 0) return false
  const [first, ...others] = tokens
  const camel = [first!.toLowerCase(), ...others.map((t) => t.charAt(0).toUpperCase() + t.slice(1).toLowerCase())].join(
    ''
  )
  return camel === name
}

it('every schema converts with the transformer the definition selects (the legacy one, as zui 2 needs for zui-1 schemas)', () => {
  expect(definition.__advanced?.useLegacyZuiTransformer).toBe(true)
  const failures: string[] = []
  for (const [path, schema] of everySchema()) {
    try {
      expect(convert(schema).type).toBe('object')
    } catch (error) {
      failures.push(`${path}: ${(error as Error).message}`)
    }
  }
  expect(failures).toEqual([])
  expect(everySchema().length).toBeGreaterThan(40)
})

it('the integration, every action, event, channel, entity and state, and every field of theirs, has a title and a description', () => {
  const d = definition
  const missing: string[] = []
  for (const key of ['title', 'description', 'icon', 'readme'] as const) if (!d[key]) missing.push(key)
  const need = (path: string, item: { title?: string; description?: string }) =>
    item.title && item.description ? [] : [path]
  for (const [n, a] of Object.entries(d.actions ?? {})) missing.push(...need(`actions.${n}`, a))
  for (const [n, e] of Object.entries(d.events ?? {})) missing.push(...need(`events.${n}`, e))
  for (const [n, c] of Object.entries(d.channels ?? {})) missing.push(...need(`channels.${n}`, c))
  for (const [n, e] of Object.entries(d.entities ?? {})) missing.push(...need(`entities.${n}`, e))
  for (const [n, s] of Object.entries(d.secrets ?? {})) if (!s.description) missing.push(`secrets.${n}`)
  for (const [path, schema] of everySchema())
    if (!path.startsWith('channels.')) missing.push(...undocumentedFields(path, convert(schema)))
  expect(missing).toEqual([])
})

it('every tag (user, conversation, message) has a title and a description', () => {
  const missing: string[] = []
  const check = (path: string, tags: Record<string, { title?: string; description?: string }> = {}) => {
    for (const [n, t] of Object.entries(tags)) if (!t.title || !t.description) missing.push(`${path}.${n}`)
  }
  check('user.tags', definition.user?.tags)
  for (const [n, c] of Object.entries(definition.channels ?? {})) {
    check(`channels.${n}.message.tags`, c.message?.tags)
    check(`channels.${n}.conversation.tags`, c.conversation?.tags)
  }
  expect(missing).toEqual([])
})

it('names follow the CLI rules: actions, channels, messages, events and states in camelCase', () => {
  const d = definition
  const names = [
    ...Object.keys(d.actions ?? {}).map((n) => `actions.${n}`),
    ...Object.keys(d.channels ?? {}).map((n) => `channels.${n}`),
    ...Object.entries(d.channels ?? {}).flatMap(([c, ch]) =>
      Object.keys(ch.messages).map((m) => `channels.${c}.messages.${m}`)
    ),
    ...Object.keys(d.events ?? {}).map((n) => `events.${n}`),
    ...Object.keys(d.states ?? {}).map((n) => `states.${n}`),
  ]
  expect(names.filter((n) => !isCamelCase(n.split('.').pop()!))).toEqual([])
  // the rule itself, on names it must refuse
  expect(['createTicket', 'getOrCreateUser', 'messenger'].every(isCamelCase)).toBe(true)
  expect(['CreateTicket', 'create_ticket', 'create-ticket', 'syncHTTP'].some(isCamelCase)).toBe(false)
})

it('every boolean and enum of the configuration declares its default, so Studio shows the value that applies', () => {
  const props = convert(definition.configuration!.schema).properties ?? {}
  const choices = Object.entries(props).filter(([, p]) => members(p).some((m) => m.type === 'boolean' || m.enum))
  expect(choices.length).toBeGreaterThan(2)
  expect(choices.filter(([, p]) => p.default === undefined).map(([k]) => k)).toEqual([])
  expect(props.helperInterception?.default).toBe(true)
  expect(props.humanAgentTag?.default).toBe(false)
  expect(props.language?.default).toBe('pt-BR')
})

it('what Studio shows as a default is what applies: a key left out, or left blank, takes the declared default', () => {
  const props = convert(definition.configuration!.schema).properties ?? {}
  const declared = Object.entries(props).filter(([, p]) => p.default !== undefined)
  expect(declared.length).toBeGreaterThan(5)
  const left = (blank: boolean) => {
    const raw: Record<string, unknown> = { ...baseConfig() }
    for (const [key, p] of declared)
      if (blank && typeof p.default === 'string') raw[key] = '  '
      else delete raw[key]
    return resolveConfig(raw as ReturnType<typeof baseConfig>) as Record<string, unknown>
  }
  for (const blank of [false, true]) {
    const applied = left(blank)
    expect(declared.map(([key]) => [key, applied[key]])).toEqual(declared.map(([key, p]) => [key, p.default]))
  }
  // a value given is kept
  expect(resolveConfig(baseConfig({ helperInterception: false, language: 'es' }))).toMatchObject({
    helperInterception: false,
    language: 'es',
  })
})

it('the version is the one of package.json (written once)', () => {
  expect(definition.version).toBe(require('../package.json').version)
})

it('the standard interfaces are declared with the action names and shapes Botpress publishes', () => {
  const ifaces = Object.values(definition.interfaces ?? {}).map(
    (i) => `${i.name}@${i.version}: ${Object.keys(i.actions).join(', ')}`
  )
  expect(ifaces.sort()).toEqual([
    'hitl@2.1.0: createUser, startHitl, stopHitl',
    'proactive-conversation@0.0.4: getOrCreateConversation',
    'proactive-user@0.0.3: getOrCreateUser',
    'typing-indicator@0.0.4: startTypingIndicator, stopTypingIndicator',
  ])
  // field names, JSON types and required fields, as in botpress/botpress interfaces/*/interface.definition.ts
  const shape = (name: keyof NonNullable<typeof definition.actions>, io: 'input' | 'output') => {
    const s = convert(definition.actions![name][io].schema) as Json & { required?: string[] }
    const types = Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, p]) => [k, p.type]))
    return { types, required: (s.required ?? []).sort() }
  }
  expect(shape('startTypingIndicator', 'input')).toEqual({
    types: { conversationId: 'string', messageId: 'string', timeout: 'number' },
    required: ['conversationId', 'messageId'],
  })
  expect(shape('stopTypingIndicator', 'input')).toEqual({
    types: { conversationId: 'string', messageId: 'string' },
    required: ['conversationId', 'messageId'],
  })
  for (const name of ['startTypingIndicator', 'stopTypingIndicator'] as const) {
    expect(shape(name, 'output')).toEqual({ types: {}, required: [] })
    expect(definition.actions![name].attributes).toEqual({ bpActionHiddenInStudio: 'true' })
  }
  expect(shape('getOrCreateUser', 'input')).toEqual({
    types: { name: 'string', pictureUrl: 'string', email: 'string', user: 'object' },
    required: ['user'],
  })
  expect(shape('getOrCreateUser', 'output')).toEqual({ types: { userId: 'string' }, required: ['userId'] })
  expect(shape('getOrCreateConversation', 'input')).toEqual({
    types: { conversation: 'object' },
    required: ['conversation'],
  })
  expect(shape('getOrCreateConversation', 'output')).toEqual({
    types: { conversationId: 'string' },
    required: ['conversationId'],
  })
  // the entities the interfaces are extended with are the integration's
  expect(Object.keys(definition.entities ?? {}).sort()).toEqual(['conversation', 'hitlTicket', 'user'])
})

it('the messenger channel has every default message type', () => {
  expect(Object.keys(definition.channels!.messenger.messages).sort()).toEqual([
    'audio',
    'bloc',
    'card',
    'carousel',
    'choice',
    'dropdown',
    'file',
    'image',
    'location',
    'text',
    'video',
  ])
})

it('the public contract: configuration keys, actions and events keep their names', () => {
  expect(Object.keys(convert(definition.configuration!.schema).properties ?? {})).toEqual(
    expect.arrayContaining([
      'pageAccessToken',
      'appSecret',
      'verifyToken',
      'pageId',
      'appId',
      'fourbizUrl',
      'fourbizUser',
      'fourbizPassword',
      'fourbizPlatform',
      'defaultUnit',
      'defaultGroup',
      'defaultActivity',
      'contactOrigin',
      'helperInterception',
      'defaultContract',
      'fourbizWebhookSecret',
      'humanAgentTag',
      'language',
    ])
  )
  expect(Object.keys(definition.actions ?? {})).toEqual(
    expect.arrayContaining([
      'createTicket',
      'getTicket',
      'listTickets',
      'addTicketComment',
      'cancelTicket',
      'startHandoff',
      'endHandoff',
      'syncTicketUpdates',
      'getOrCreateUser',
      'getOrCreateConversation',
      'startTypingIndicator',
      'stopTypingIndicator',
    ])
  )
  expect(Object.keys(definition.events ?? {})).toEqual(
    expect.arrayContaining([
      'ticketCreated',
      'ticketUpdated',
      'agentReplied',
      'handoffStarted',
      'handoffEnded',
      'deliveryFailed',
    ])
  )
})
