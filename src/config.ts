import { RuntimeError, z } from '@botpress/sdk'
import { configurationSchema } from '../definitions/configuration'
import type * as bp from './typings'
import { describeIssues } from './validate'

type Shape = typeof configurationSchema.shape
type DefaultedKey = { [K in keyof Shape]: Shape[K] extends z.ZodDefault<z.ZodTypeAny> ? K : never }[keyof Shape]
type Defaults = { [K in DefaultedKey]: z.output<Shape[K]> }

/** The defaults the definition declares (its `.default()`s): written there once, shown by Studio, applied here. */
const DEFAULTS: Defaults = Object.fromEntries(
  Object.entries(configurationSchema.shape).flatMap(([key, field]) => {
    // by typeName, not instanceof: zui 2 (sdk 7) has no ZodDefault class to test against
    const def = field._def as { typeName?: string; defaultValue?: () => unknown }
    return def.typeName === 'ZodDefault' && def.defaultValue ? [[key, def.defaultValue()]] : []
  })
) as Defaults

/** The configuration with its defaults applied (Botpress passes it raw). */
export type Config = ReturnType<typeof resolveConfig>

/** A comma-separated list of the configuration (analystFollowUpCategories…), trimmed, without blanks. */
export const listOf = (v: string) =>
  v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)

const blankToUndefined = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim())
/** A key left empty in Studio comes as '' (strings) or is missing: both mean "the default". */
const given = (v: unknown) => (typeof v === 'string' ? blankToUndefined(v) : (v ?? undefined))

export function resolveConfig(raw: bp.Configuration) {
  const c = raw ?? ({} as bp.Configuration)
  const defaulted = Object.fromEntries(
    Object.entries(DEFAULTS).map(([key, value]) => [key, given(c[key as DefaultedKey]) ?? value])
  ) as Defaults
  return {
    ...c,
    ...defaulted,
    appId: blankToUndefined(c.appId),
    defaultContract: blankToUndefined(c.defaultContract),
    fourbizWebhookSecret: blankToUndefined(c.fourbizWebhookSecret),
    fourbizUrl: (c.fourbizUrl ?? '').replace(/\/+$/, ''),
  }
}

/** Checks the raw configuration against the definition; the error names every field to fix. */
export function validateConfig(raw: bp.Configuration): Config {
  const result = configurationSchema.safeParse(raw ?? {})
  if (!result.success) {
    throw new RuntimeError(
      `The integration configuration is incomplete or invalid. Fix: ${describeIssues(result.error.issues, 'configuration')}`
    )
  }
  return resolveConfig(raw)
}
