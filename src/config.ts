import { RuntimeError } from '@botpress/sdk'
import { configurationSchema } from '../definitions/configuration'
import type * as bp from '.botpress'

/** The configuration with its defaults applied (Botpress passes it raw). */
export type Config = ReturnType<typeof resolveConfig>

export const DEFAULTS = {
  fourbizPlatform: 'BOTPRESS',
  contactOrigin: 'Facebook',
  helperInterception: true,
  humanAgentTag: false,
  language: 'pt-BR',
  statusResolved: 'Resolvida',
  statusClosed: 'Fechada',
  statusCancelled: 'Cancelada',
  followUpCategory: 'Acompanhamento',
  analystFollowUpCategories: 'Acompanhamento',
  systemFollowUpAuthors: 'Automático, Sistema, System',
  requesterEmail: '{login}@messenger.invalid',
  requesterPhone: '{psid}',
} as const

/** A comma-separated list of the configuration, trimmed, without blanks. */
const list = (v: string) =>
  v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)

const blankToUndefined = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim())

export function resolveConfig(raw: bp.Configuration) {
  const c = raw ?? ({} as bp.Configuration)
  return {
    ...c,
    appId: blankToUndefined(c.appId),
    defaultContract: blankToUndefined(c.defaultContract),
    fourbizWebhookSecret: blankToUndefined(c.fourbizWebhookSecret),
    fourbizUrl: (c.fourbizUrl ?? '').replace(/\/+$/, ''),
    fourbizPlatform: blankToUndefined(c.fourbizPlatform) ?? DEFAULTS.fourbizPlatform,
    contactOrigin: blankToUndefined(c.contactOrigin) ?? DEFAULTS.contactOrigin,
    helperInterception: c.helperInterception ?? DEFAULTS.helperInterception,
    humanAgentTag: c.humanAgentTag ?? DEFAULTS.humanAgentTag,
    language: c.language ?? DEFAULTS.language,
    statusResolved: blankToUndefined(c.statusResolved) ?? DEFAULTS.statusResolved,
    statusClosed: blankToUndefined(c.statusClosed) ?? DEFAULTS.statusClosed,
    statusCancelled: blankToUndefined(c.statusCancelled) ?? DEFAULTS.statusCancelled,
    followUpCategory: blankToUndefined(c.followUpCategory) ?? DEFAULTS.followUpCategory,
    analystFollowUpCategories: list(blankToUndefined(c.analystFollowUpCategories) ?? DEFAULTS.analystFollowUpCategories),
    systemFollowUpAuthors: list(blankToUndefined(c.systemFollowUpAuthors) ?? DEFAULTS.systemFollowUpAuthors),
    requesterEmail: blankToUndefined(c.requesterEmail) ?? DEFAULTS.requesterEmail,
    requesterPhone: blankToUndefined(c.requesterPhone) ?? DEFAULTS.requesterPhone,
  }
}

/** Checks the raw configuration against the definition; the error names every field to fix. */
export function validateConfig(raw: bp.Configuration): Config {
  const result = configurationSchema.safeParse(raw ?? {})
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || 'configuration'}: ${i.message}`)
    throw new RuntimeError(`The integration configuration is incomplete or invalid. Fix: ${problems.join('; ')}`)
  }
  return resolveConfig(raw)
}
