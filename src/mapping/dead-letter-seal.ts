/**
 * Sealing of dead-letter payloads at rest: AES-256-GCM (node:crypto) with a random 96-bit IV per
 * letter. A sealed letter is text `v1.<key id>.<iv>.<tag>.<ciphertext>` (base64url), so a letter
 * sealed under another key is recognised as such rather than failing to authenticate.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'

export interface Sealer {
  /** First 16 hex digits of the key's SHA-256: names the key without revealing it. */
  readonly keyId: string
  seal(plain: string): string
  /** The plain text, or undefined when the letter was sealed under another key. Throws if tampered. */
  open(sealed: string): string | undefined
}

export function createSealer (key: Buffer): Sealer {
  if (key.length !== 32) throw new Error('The dead-letter key must be 32 bytes (AES-256)')
  const keyId = createHash('sha256').update(key).digest('hex').slice(0, 16)
  return {
    keyId,
    seal (plain) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return ['v1', keyId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.')
    },
    open (sealed) {
      const [version, id, iv, tag, body] = sealed.split('.')
      if (version !== 'v1' || iv === undefined || tag === undefined || body === undefined) throw new Error('Not a sealed dead letter')
      if (id !== keyId) return undefined
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
      decipher.setAuthTag(Buffer.from(tag, 'base64url'))
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8')
    }
  }
}
