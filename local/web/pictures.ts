/**
 * Pictures the pages show with no internet: the users' profile pictures (initials on a colour) and the
 * image of the example bot's ticket cards.
 */

const COLOURS = ['#1877f2', '#e4405f', '#2e7d32', '#f57c00', '#6a1b9a', '#00838f', '#5d4037']

export function avatarSvg(name: string, seed: string): string {
  const initials = name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join('')
  const colour = COLOURS[[...seed].reduce((n, c) => n + c.charCodeAt(0), 0) % COLOURS.length]
  return `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96"><rect width="96" height="96" rx="48" fill="${colour}"/><text x="48" y="60" font-family="Helvetica, Arial, sans-serif" font-size="38" font-weight="600" text-anchor="middle" fill="#fff">${escapeXml(initials || '?')}</text></svg>`
}

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`)
