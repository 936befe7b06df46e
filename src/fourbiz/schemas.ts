import { z } from 'zod'

/**
 * 4biz answers are external input: validated here. Loose on purpose (4biz versions add fields, and
 * send ids as numbers or strings), strict on what the integration relies on (the ticket number).
 */

/** An id or code that may come as a number or a string. */
const id = z.union([z.string(), z.number()]).transform(String)
const optionalId = id.nullish().transform((v) => v ?? undefined)
const optionalText = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined ? undefined : String(v)))
/** 4biz dates: "2020-05-19 14:56:00", epoch ms or ISO. */
const date = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => v ?? undefined)

/** `error{code, description}`; a bare string on some versions. */
export const errorSchema = z.union([
  z.looseObject({ code: optionalText, description: optionalText }),
  z.string().transform((description) => ({ code: undefined, description })),
])

/** Every answer of surface A: `dateTime`, `operationID`, `error` (null on success). */
export const envelopeSchema = z.looseObject({
  error: errorSchema.nullish(),
  operationID: optionalText,
  dateTime: date,
})

export const statusSchema = z.looseObject({ code: optionalText, name: optionalText })

export const requestSchema = z.looseObject({
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
  service: z.looseObject({ code: optionalId, name: optionalText }).nullish(),
  status: statusSchema.nullish(),
  currentTask: z.looseObject({ name: optionalText, groupId: optionalText }).nullish(),
})
export type CtRequest = z.infer<typeof requestSchema>

export const occurrenceSchema = z.looseObject({
  number: id,
  numberOrigin: optionalText,
  description: optionalText,
  date: date,
  hour: optionalText,
  userID: optionalText,
  category: z.union([z.looseObject({ code: optionalText, name: optionalText }), z.string()]).nullish(),
})
export type CtOccurrence = z.infer<typeof occurrenceSchema>

export const loginAnswerSchema = z.looseObject({ sessionID: optionalText, SessionID: optionalText })

/** request/create, getById and updateStatus answer `{request}`; some versions put the number at the top. */
export const requestAnswerSchema = z.looseObject({ request: requestSchema.nullish(), number: optionalId })

export const requestListAnswerSchema = z.looseObject({
  amount: z.union([z.string(), z.number()]).nullish(),
  requests: z.array(requestSchema).nullish(),
})

export const occurrenceAnswerSchema = z.looseObject({ occurrence: occurrenceSchema.nullish(), number: optionalId })

export const occurrenceListAnswerSchema = z.looseObject({
  amount: z.union([z.string(), z.number()]).nullish(),
  logs: z.array(occurrenceSchema).nullish(),
  occurrences: z.array(occurrenceSchema).nullish(),
})

export const emptyAnswerSchema = z.looseObject({})

/** v2/contracts and v2/units (mobile API): `{contracts|units: [{id, description}]}`. */
const lookupItem = z.looseObject({ id, description: optionalText })
export const lookupAnswerSchema = z.looseObject({
  contracts: z.array(lookupItem).nullish(),
  units: z.array(lookupItem).nullish(),
})
