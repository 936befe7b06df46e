/**
 * 4biz dates come as "2020-05-19 14:56:00" (tenant local time, no zone), epoch ms, or ISO. Output is
 * ISO 8601: with Z when 4biz gave an instant, without a zone when it gave a local time (never invent one).
 */
export function toIsoDate(value: string | number | undefined): string | undefined {
  if (value === undefined || value === '') return undefined
  if (typeof value === 'number' || /^\d{10,13}$/.test(value)) {
    const n = Number(value)
    const ms = n < 1e11 ? n * 1000 : n
    return new Date(ms).toISOString()
  }
  const local = value.match(/^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2})?(\.\d+)?$/)
  if (local) return `${local[1]}T${local[2]}${local[3] ?? ':00'}`
  const br = value.match(/^(\d{2})\/(\d{2})\/(\d{4})(?:[ T](\d{2}:\d{2})(:\d{2})?)?$/)
  if (br) return br[4] ? `${br[3]}-${br[2]}-${br[1]}T${br[4]}${br[5] ?? ':00'}` : `${br[3]}-${br[2]}-${br[1]}`
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value
  const parsed = Date.parse(value)
  return Number.isNaN(parsed) ? value : new Date(parsed).toISOString()
}

/**
 * Follow-ups carry a date and an "HH:MM" hour in the tenant's local time. 4biz tenants are in Brazil;
 * Brasília time has had no daylight saving since 2019.
 */
const FOURBIZ_TIME_ZONE = 'America/Sao_Paulo'

export function fourbizDateAndHour(at: Date, timeZone = FOURBIZ_TIME_ZONE): { date: string; hour: string } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at)
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00'
  return { date: `${get('year')}-${get('month')}-${get('day')}`, hour: `${get('hour')}:${get('minute')}` }
}
