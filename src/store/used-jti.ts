/**
 * One-time use of client assertions (SMART Backend Services: the `jti` must not be reused while
 * the assertion is valid). The primary key decides, so two gateway processes racing on the same
 * assertion cannot both accept it.
 */
import type { Queryable } from './database.js'

/** Records the jti; false when this client has used it before and it has not yet been pruned. */
export async function claimJti (db: Queryable, clientId: string, jti: string, expiresAt: Date): Promise<boolean> {
  const { rows } = await db.query(
    'INSERT INTO auth_used_jti (client_id, jti, expires_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1 AS claimed',
    [clientId, jti, expiresAt.toISOString()],
    { prepare: true }
  )
  return rows.length === 1
}

/** Forgets jtis whose assertions have expired: a replay of them fails on `exp` anyway. */
export async function pruneExpiredJtis (db: Queryable, now: Date): Promise<void> {
  await db.query('DELETE FROM auth_used_jti WHERE expires_at < $1', [now.toISOString()])
}
