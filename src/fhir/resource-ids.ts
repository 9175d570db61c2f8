/**
 * Server-assigned resource ids: UUIDv7 (RFC 9562), whose leading 48 bits are the creation time
 * in milliseconds. Ids made one after another sort one after another, so each new row and index
 * entry keyed by id lands beside the last one instead of on a random page of a btree far larger
 * than PostgreSQL's buffers; with random (v4) ids nearly every insert at scale touched a page
 * not in memory and wrote it in full to the WAL after each checkpoint. The remaining 74 bits are
 * random, so ids from several gateway processes do not collide. The time in an id says no more
 * than the resource's meta.lastUpdated of its first version already does.
 */
import { v7 as uuidv7 } from 'uuid'

export function newResourceId (): string {
  return uuidv7()
}
