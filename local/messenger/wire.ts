import { createHmac, randomBytes } from 'node:crypto'
import { metaSignature } from '../../test/fakes/meta-wire'

/** Meta's wire format (shared with the tests) and the headers it signs a webhook with. */
export { metaJson } from '../../test/fakes/meta-wire'

/** The headers Meta signs a webhook with: HMAC of the exact bytes with the app secret. */
export function metaSignatureHeaders(raw: string, appSecret: string): Record<string, string> {
  const bytes = Buffer.from(raw, 'utf8')
  return {
    'x-hub-signature-256': metaSignature(raw, appSecret),
    'x-hub-signature': 'sha1=' + createHmac('sha1', appSecret).update(bytes).digest('hex'),
  }
}

/** A message id in Meta's style (`m_` and base64url). */
export const newMid = () => `m_${randomBytes(24).toString('base64url')}`
