import { RuntimeError, type z } from '@botpress/sdk'

/** A schema issue (the SDK's `z`, a zod fork): where it is and what is wrong. */
type Issue = { readonly path: readonly PropertyKey[]; readonly message: string }

/** Where an issue is, `a.b.0`; `root` names the whole value (the issue has no path). */
export const issuePath = (issue: Issue, root: string) => issue.path.map(String).join('.') || root

/** The issues for a log or an HTTP answer: `where: message; …`, the first `max` of them. */
export const describeIssues = (issues: readonly Issue[], root: string, max = issues.length) =>
  issues
    .slice(0, max)
    .map((i) => `${issuePath(i, root)}: ${i.message}`)
    .join('; ')

/** The issues for a bot builder's RuntimeError: `"field" what is wrong; …`. */
export const describeFieldIssues = (issues: readonly Issue[], root: string) =>
  issues.map((i) => `"${issuePath(i, root)}" ${i.message.toLowerCase()}`).join('; ')

/** Botpress does not validate action inputs: parse them here so a bad field is a RuntimeError naming it. */
export function parseInput<S extends z.ZodTypeAny>(schema: S, input: unknown, action: string): z.infer<S> {
  const result = schema.safeParse(input ?? {})
  if (result.success) return result.data
  throw new RuntimeError(`Invalid input for ${action}: ${describeFieldIssues(result.error.issues, 'input')}`)
}
