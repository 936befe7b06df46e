import type { Config } from '../config'
import { fold } from './errors'

export type StatusClass = 'resolved' | 'closed' | 'cancelled' | 'open'

/** Spellings seen across 4biz / CITSmart locales and versions, besides the configured ones. */
const KNOWN: Record<Exclude<StatusClass, 'open'>, string[]> = {
  resolved: ['resolvida', 'resolvido', 'resolved', 'solved', 'resuelto', 'resuelta', 'solucionada', 'solucionado'],
  closed: ['fechada', 'fechado', 'closed', 'encerrada', 'encerrado', 'cerrada', 'cerrado', 'finalizada', 'finalizado'],
  cancelled: ['cancelada', 'cancelado', 'cancelled', 'canceled', 'anulada', 'anulado'],
}

const squash = (s: string) => fold(s).replace(/[\s_-]+/g, '')

/** Whether a 4biz status ends the ticket, by its code or name, in the tenant's configured spelling or a known one. */
export function classifyStatus(
  config: Pick<Config, 'statusResolved' | 'statusClosed' | 'statusCancelled'>,
  status: { code?: string; name?: string } | undefined
): StatusClass {
  if (!status) return 'open'
  const seen = [status.code, status.name].filter((s): s is string => !!s).map(squash)
  const matches = (configured: string, known: string[]) =>
    seen.some((s) => s === squash(configured) || known.includes(s))
  if (matches(config.statusCancelled, KNOWN.cancelled)) return 'cancelled'
  if (matches(config.statusClosed, KNOWN.closed)) return 'closed'
  if (matches(config.statusResolved, KNOWN.resolved)) return 'resolved'
  return 'open'
}

/** Same status, whatever the case, accents or spaces ("Em andamento" = "EmAndamento"). */
export const sameStatus = (a: string, b: string) => squash(a) === squash(b)
