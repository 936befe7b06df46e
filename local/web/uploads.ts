import { randomBytes } from 'node:crypto'

/**
 * Files a Messenger user sends. Meta hosts them on its CDN and puts the URL in the webhook; here the
 * UI server hosts them (in memory), so the integration downloads them as it would from Meta.
 */

export const MAX_UPLOAD_BYTES = 8 * 1024 * 1024
const KEEP = 100

export type Upload = { id: string; name: string; type: string; data: Buffer }

export class UploadStore {
  private readonly files = new Map<string, Upload>()

  add(name: string, type: string, data: Buffer): Upload {
    if (data.length > MAX_UPLOAD_BYTES)
      throw new Error(`Files are limited to ${MAX_UPLOAD_BYTES / 1024 / 1024} MB here (Meta: 25 MB)`)
    const upload = {
      id: randomBytes(8).toString('hex'),
      name: safeName(name),
      type: type || 'application/octet-stream',
      data,
    }
    this.files.set(upload.id, upload)
    if (this.files.size > KEEP) this.files.delete(this.files.keys().next().value!)
    return upload
  }

  get(id: string): Upload | undefined {
    return this.files.get(id)
  }
}

/** The attachment type Meta gives a file of this MIME type. */
export function attachmentType(mime: string): 'image' | 'audio' | 'video' | 'file' {
  if (mime.startsWith('image/')) return 'image'
  if (mime.startsWith('audio/')) return 'audio'
  if (mime.startsWith('video/')) return 'video'
  return 'file'
}

const safeName = (name: string) => (name || 'file').replace(/[^\w.-]+/g, '_').slice(0, 100)
