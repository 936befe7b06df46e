/**
 * The integration's typings, derived from the schemas in ../definitions (so they cannot drift), and
 * the one place src/ takes them from. Not `.botpress/`: that folder is what `bp gen` / `bp build`
 * write, and the generator of Botpress CLI 7 emits code for sdk 7 (it indexes `messageCreated`, which
 * sdk 5 lacks), so the project never imports it; see README "Building and deploying".
 */
import * as sdk from '@botpress/sdk'
import type { z } from '@botpress/sdk'
import type definition from '../integration.definition'
import type { actions } from '../definitions/actions'
import type { channels, user } from '../definitions/channels'
import type { configurationSchema } from '../definitions/configuration'
import type { entities } from '../definitions/entities'
import type { events } from '../definitions/events'
import type { states } from '../definitions/states'
import type { hitlChannelExtension, hitlInterfaceDefinition, hitlTicketEntity } from '../definitions/hitl'

type OwnActions = {
  [K in keyof typeof actions]: {
    input: z.infer<(typeof actions)[K]['input']['schema']>
    output: z.infer<(typeof actions)[K]['output']['schema']>
  }
}
type Hitl = typeof hitlInterfaceDefinition
/** The hitl interface's actions (integration.definition.ts extends it); hitlSession is this integration's hitlTicket entity. */
type HitlActions = {
  [K in keyof Hitl['actions']]: {
    input: K extends 'startHitl'
      ? Omit<z.infer<Hitl['actions'][K]['input']['schema']>, 'hitlSession'> & { hitlSession?: z.infer<typeof hitlTicketEntity> }
      : z.infer<Hitl['actions'][K]['input']['schema']>
    output: z.infer<Hitl['actions'][K]['output']['schema']>
  }
}
type Actions = OwnActions & HitlActions
type Events = { [K in keyof typeof events]: z.infer<(typeof events)[K]['schema']> } & { [K in keyof Hitl['events']]: z.infer<Hitl['events'][K]['schema']> }
type States = { [K in keyof typeof states]: { type: (typeof states)[K]['type']; payload: z.infer<(typeof states)[K]['schema']> } }
type MessageDefs = (typeof channels)['messenger']['messages']
type HitlMessageDefs = Hitl['channels']['hitl']['messages']
type Channels = {
  [C in keyof typeof channels]: {
    messages: { [M in keyof MessageDefs]: z.infer<MessageDefs[M]['schema']> }
    message: { tags: { [T in keyof (typeof channels)[C]['message']['tags']]: string } }
    conversation: { tags: { [T in keyof (typeof channels)[C]['conversation']['tags']]: string } }
  }
} & {
  hitl: {
    messages: { [M in keyof HitlMessageDefs]: z.infer<HitlMessageDefs[M]['schema']> }
    message: { tags: { [T in keyof (typeof hitlChannelExtension)['message']['tags']]: string } }
    conversation: { tags: { [T in keyof (typeof hitlChannelExtension)['conversation']['tags']]: string } }
  }
}

type Entities = { [K in keyof typeof entities]: z.infer<(typeof entities)[K]['schema']> }

export type TIntegration = sdk.DefaultIntegration<{
  name: (typeof definition)['name']
  version: (typeof definition)['version']
  /** z.input: Botpress passes the configuration raw, without defaults. */
  configuration: z.input<typeof configurationSchema>
  actions: Actions
  channels: Channels
  events: Events
  states: States
  user: { tags: { [T in keyof typeof user.tags]: string } }
  entities: Entities
}>

export type IntegrationProps = sdk.IntegrationProps<TIntegration>
export class Integration extends sdk.Integration<TIntegration> {}
export type Client = sdk.IntegrationSpecificClient<TIntegration>
export type Context = sdk.IntegrationContext<TIntegration>
export type Logger = sdk.IntegrationLogger
export type HandlerProps = Parameters<IntegrationProps['handler']>[0]
export type RegisterProps = Parameters<IntegrationProps['register']>[0]
export type ActionProps = { [K in keyof Actions]: Parameters<IntegrationProps['actions'][K]>[0] }
export type AnyActionProps = ActionProps[keyof ActionProps]
export type MessageProps = {
  [C in keyof Channels]: { [M in keyof Channels[C]['messages']]: Parameters<IntegrationProps['channels'][C]['messages'][M]>[0] }
}
export type CommonProps = { ctx: Context; client: Client; logger: Logger }

export namespace actionsTypes {
  export type Input<K extends keyof Actions> = Actions[K]['input']
  export type Output<K extends keyof Actions> = Actions[K]['output']
}
export namespace eventsTypes {
  export type Payload<K extends keyof Events> = Events[K]
}
export namespace statesTypes {
  export type Payload<K extends keyof States> = States[K]['payload']
}
export type Configuration = z.input<typeof configurationSchema>
