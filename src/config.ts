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
  messengerProfile: true,
  profileOnUnregister: 'clear',
  rehostMedia: true,
  mediaMaxMegabytes: 25,
  mediaExpiryDays: 0,
} as const

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
    messengerProfile: c.messengerProfile ?? DEFAULTS.messengerProfile,
    profileOnUnregister: c.profileOnUnregister ?? DEFAULTS.profileOnUnregister,
    rehostMedia: c.rehostMedia ?? DEFAULTS.rehostMedia,
    mediaMaxMegabytes: c.mediaMaxMegabytes ?? DEFAULTS.mediaMaxMegabytes,
    mediaExpiryDays: c.mediaExpiryDays ?? DEFAULTS.mediaExpiryDays,
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
