/**
 * JSON.parse, except that integers too long for a double (16+ digits: PSIDs, page and app ids when
 * Meta sends them unquoted) become strings, so an id is never silently rounded.
 * Scans the text once, outside string literals only.
 */
export function parseJsonKeepingIds(text: string): unknown {
  return JSON.parse(quoteLongIntegers(text))
}

const LONG_INTEGER = 16

function quoteLongIntegers(text: string): string {
  let out: string[] | undefined
  let last = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    if (inString) {
      if (ch === 0x5c /* \ */) i++
      else if (ch === 0x22 /* " */) inString = false
      continue
    }
    if (ch === 0x22) {
      inString = true
      continue
    }
    const isDigit = ch >= 0x30 && ch <= 0x39
    if (!isDigit && ch !== 0x2d /* - */) continue
    // a number token: find its end
    let j = i + 1
    while (j < text.length && /[0-9eE.+-]/.test(text.charAt(j))) j++
    const token = text.slice(i, j)
    if (/^-?\d+$/.test(token) && token.replace('-', '').length >= LONG_INTEGER) {
      out ??= []
      out.push(text.slice(last, i), '"', token, '"')
      last = j
    }
    i = j - 1
  }
  if (!out) return text
  out.push(text.slice(last))
  return out.join('')
}
