/**
 * A value the code relies on being there (the head of a queue it just found non-empty, the ticket of a conversation
 * with follow-ups queued): narrows it for the compiler and, should the reasoning ever be wrong, fails here naming
 * what was missing instead of passing `undefined` on.
 */
export function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`Internal error: ${what} is missing.`)
  return value
}
