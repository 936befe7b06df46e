import { RuntimeError, z } from '@botpress/sdk'

/** Botpress does not validate action inputs: parse them here so a bad field is a RuntimeError naming it. */
export function parseInput<S extends z.ZodTypeAny>(schema: S, input: unknown, action: string): z.infer<S> {
  const result = schema.safeParse(input ?? {})
  if (result.success) return result.data
  const problems = result.error.issues.map((i) => `"${i.path.join('.') || 'input'}" ${i.message.toLowerCase()}`)
  throw new RuntimeError(`Invalid input for ${action}: ${problems.join('; ')}`)
}
