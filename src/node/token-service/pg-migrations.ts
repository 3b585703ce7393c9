/**
 * The PostgreSQL store's schema, as numbered migrations applied in order at
 * start (under an advisory lock, so processes starting together apply each
 * once). Never edit a released migration: add the next one.
 */
import type { PoolClient } from 'pg';

/** Advisory lock keys: one for migrations, one that serialises writes checked against the caps. */
export const MIGRATION_LOCK = 7_406_183_001;
export const WRITE_LOCK = 7_406_183_002;

const MIGRATIONS: readonly string[] = [
  // 1: one row per token; `record` is the stored record as compact JSON (the
  // token's SHA-256, never the token), `bytes` its length, counted by the byte cap.
  `CREATE TABLE voice_widget_tokens (
     seq bigserial NOT NULL,
     uuid text PRIMARY KEY,
     expires_at timestamptz NOT NULL,
     revoked_at timestamptz,
     bytes integer NOT NULL,
     record text NOT NULL
   );
   CREATE INDEX voice_widget_tokens_expires_at ON voice_widget_tokens (expires_at);
   CREATE INDEX voice_widget_tokens_revoked ON voice_widget_tokens (expires_at) WHERE revoked_at IS NOT NULL;`,
];

/** Applies the migrations this database has not seen; returns the schema version. */
export async function migrate(client: PoolClient): Promise<number> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    await client.query('CREATE TABLE IF NOT EXISTS voice_widget_schema (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const { rows } = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM voice_widget_schema');
    const current = rows[0]?.v ?? 0;
    if (current > MIGRATIONS.length) {
      throw new Error(`the database schema is version ${current}, newer than this voice-widget (${MIGRATIONS.length}); upgrade voice-widget`);
    }
    for (let v = current + 1; v <= MIGRATIONS.length; v++) {
      await client.query('BEGIN');
      try {
        await client.query(MIGRATIONS[v - 1]);
        await client.query('INSERT INTO voice_widget_schema (version) VALUES ($1)', [v]);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK');
        throw e;
      }
    }
    return MIGRATIONS.length;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  }
}
