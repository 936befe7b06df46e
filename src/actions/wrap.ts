import { isApiError, RuntimeError, type z } from '@botpress/sdk'
import type * as bp from '../typings'
import { describeError } from '../errors'
import { GraphError } from '../messenger/graph-errors'
import { parseInput } from '../validate'
import { type RequestContext, requestContext } from '../routing/context'

type Name = keyof bp.ActionProps
type Input<K extends Name> = bp.actionsTypes.Input<K>
type Output<K extends Name> = bp.actionsTypes.Output<K>
type Schemas = { [K in Name]: z.ZodType<Input<K>> }

/**
 * Each action's input schema, by the action's name: the definition's own, or the hitl interface's. Built
 * at the first action call, not at load: a cold start that handles a Messenger message never needs them.
 */
let loading: Promise<Schemas> | undefined
const inputSchemas = () => (loading ??= loadInputSchemas())
async function loadInputSchemas(): Promise<Schemas> {
  const [{ actions: definitions }, { hitlInterfaceDefinition, hitlTicketEntity }] = await Promise.all([
    import('../../definitions/actions'),
    import('../../definitions/hitl'),
  ])
  const hitl = hitlInterfaceDefinition.actions
  // the typing indicators' interface allows an empty conversationId: refused here, naming the field
  const typing = <S extends z.AnyZodObject>(declared: S) =>
    declared.extend({ conversationId: declared.shape.conversationId.min(1) })
  return {
    ...Object.fromEntries(Object.entries(definitions).map(([name, a]) => [name, a.input.schema])),
    startTypingIndicator: typing(definitions.startTypingIndicator.input.schema),
    stopTypingIndicator: typing(definitions.stopTypingIndicator.input.schema),
    createUser: hitl.createUser.input.schema,
    // the interface leaves hitlSession to the implementation: here, the hitlTicket entity
    startHitl: hitl.startHitl.input.schema.dereference({ hitlSession: hitlTicketEntity }),
    stopHitl: hitl.stopHitl.input.schema,
  } as unknown as Schemas
}

/**
 * One action: the input parsed against its schema (Botpress does not validate it), the request context
 * built once, and every error leaving it a RuntimeError the bot builder can act on.
 */
export function action<K extends Name>(
  name: K,
  run: (input: Input<K>, request: RequestContext, props: bp.ActionProps[K]) => Promise<Output<K>>
): (props: bp.ActionProps[K]) => Promise<Output<K>> {
  return async (props) => {
    try {
      const input = parseInput((await inputSchemas())[name], props.input, name)
      return await run(input, requestContext(props), props)
    } catch (error) {
      throw forBotBuilder(error)
    }
  }
}

/**
 * 4biz errors already are RuntimeErrors; Meta's say what to do
 * (GraphError.toRuntimeError); the rest keep their message.
 */
function forBotBuilder(error: unknown): RuntimeError {
  if (error instanceof RuntimeError) return error
  if (error instanceof GraphError) return error.toRuntimeError()
  if (isApiError(error)) return new RuntimeError(error.message, error)
  return new RuntimeError(describeError(error))
}
