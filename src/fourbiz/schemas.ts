import { z } from '@botpress/sdk'

/**
 * 4biz answers are external input: validated here. Loose on purpose (4biz versions add fields, and
 * send ids as numbers or strings), strict on what the integration relies on (the ticket number).
 */

/** Built at its first use, not at load: most cold starts (a Messenger message) never read a 4biz answer. */
function atFirstUse<T extends z.ZodTypeAny>(build: () => T): z.ZodLazy<T> {
  let built: T | undefined
  return z.lazy(() => (built ??= build()))
}

/** An object that keeps the fields it does not name (4biz versions add some). */
const loose = <T extends z.ZodRawShape>(shape: T) => z.object(shape).passthrough()

/** An id or code that may come as a number or a string. */
const id = atFirstUse(() => z.union([z.string(), z.number()]).transform(String))
const optionalId = atFirstUse(() => id.nullish().transform((v) => v ?? undefined))
const optionalText = atFirstUse(() =>
  z
    .union([z.string(), z.number()])
    .nullish()
    .transform((v) => (v === null || v === undefined ? undefined : String(v)))
)
/** 4biz dates: "2020-05-19 14:56:00", epoch ms or ISO. */
const date = atFirstUse(() =>
  z
    .union([z.string(), z.number()])
    .nullish()
    .transform((v) => v ?? undefined)
)

/** `error{code, description}`; a bare string on some versions. */
const errorSchema = atFirstUse(() =>
  z.union([
    loose({ code: optionalText, description: optionalText }),
    z.string().transform((description) => ({ code: undefined, description })),
  ])
)

/** Every answer of surface A: `dateTime`, `operationID`, `error` (null on success). */
export const envelopeSchema = atFirstUse(() =>
  loose({
    error: errorSchema.nullish(),
    operationID: optionalText,
    dateTime: date,
  })
)

const statusSchema = atFirstUse(() => loose({ code: optionalText, name: optionalText }))

export const requestSchema = atFirstUse(() =>
  loose({
    number: id,
    numberOrigin: optionalText,
    type: optionalText,
    description: optionalText,
    startDateTime: date,
    startSLA: date,
    endSLA: date,
    deadline: date,
    urgency: optionalText,
    impact: optionalText,
    groupId: optionalText,
    userID: optionalText,
    contractID: optionalId,
    service: loose({ code: optionalId, name: optionalText }).nullish(),
    status: statusSchema.nullish(),
    currentTask: loose({ name: optionalText, groupId: optionalText }).nullish(),
  })
)
export type CtRequest = z.infer<typeof requestSchema>

export const occurrenceSchema = atFirstUse(() =>
  loose({
    number: id,
    numberOrigin: optionalText,
    description: optionalText,
    date: date,
    hour: optionalText,
    userID: optionalText,
    category: z.union([loose({ code: optionalText, name: optionalText }), z.string()]).nullish(),
  })
)
export type CtOccurrence = z.infer<typeof occurrenceSchema>

export const loginAnswerSchema = atFirstUse(() => loose({ sessionID: optionalText, SessionID: optionalText }))

/** request/create, getById and updateStatus answer `{request}`; some versions put the number at the top. */
export const requestAnswerSchema = atFirstUse(() => loose({ request: requestSchema.nullish(), number: optionalId }))

export const requestListAnswerSchema = atFirstUse(() =>
  loose({
    amount: z.union([z.string(), z.number()]).nullish(),
    requests: z.array(requestSchema).nullish(),
  })
)

export const occurrenceAnswerSchema = atFirstUse(() =>
  loose({ occurrence: occurrenceSchema.nullish(), number: optionalId })
)

export const occurrenceListAnswerSchema = atFirstUse(() =>
  loose({
    amount: z.union([z.string(), z.number()]).nullish(),
    logs: z.array(occurrenceSchema).nullish(),
    occurrences: z.array(occurrenceSchema).nullish(),
  })
)

export const emptyAnswerSchema = atFirstUse(() => loose({}))

/** v2/contracts and v2/units (mobile API): `{contracts|units: [{id, description}]}`. */
const lookupItem = atFirstUse(() => loose({ id, description: optionalText }))
export const lookupAnswerSchema = atFirstUse(() =>
  loose({
    contracts: z.array(lookupItem).nullish(),
    units: z.array(lookupItem).nullish(),
  })
)
