import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface DevSecrets {
  /** Signs tokens and derives SIP credentials; Kamailio's auth_ephemeral must hold the same. */
  secret: string;
  /** Authenticates calls to the token REST API. */
  apiKey: string;
  /** Where each came from, for the start-up message (never the values). */
  sources: { secret: 'env' | 'file' | 'new'; apiKey: 'env' | 'file' | 'new' };
}

/**
 * The development server's secrets: from `VOICE_WIDGET_SECRET` and
 * `VOICE_WIDGET_API_KEY` when set, otherwise from `<stateDir>/secrets.json`,
 * created (mode 0600) on first start so tokens survive restarts.
 */
export async function loadSecrets(stateDir: string, env: NodeJS.ProcessEnv = process.env): Promise<DevSecrets> {
  const file = path.join(stateDir, 'secrets.json');
  let stored: { secret?: string; apiKey?: string } = {};
  try {
    stored = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read ${file}: ${(e as Error).message}`);
  }
  const pick = (envValue: string | undefined, storedValue: string | undefined) =>
    envValue
      ? { value: envValue, source: 'env' as const }
      : storedValue
        ? { value: storedValue, source: 'file' as const }
        : { value: randomBytes(32).toString('base64url'), source: 'new' as const };
  const secret = pick(env.VOICE_WIDGET_SECRET, stored.secret);
  const apiKey = pick(env.VOICE_WIDGET_API_KEY, stored.apiKey);
  if (secret.value.length < 16) throw new Error('VOICE_WIDGET_SECRET must be at least 16 characters');
  if (secret.source === 'new' || apiKey.source === 'new') {
    await mkdir(stateDir, { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(
      tmp,
      JSON.stringify(
        { secret: secret.source === 'env' ? stored.secret : secret.value, apiKey: apiKey.source === 'env' ? stored.apiKey : apiKey.value },
        null,
        2,
      ) + '\n',
      { mode: 0o600 },
    );
    await rename(tmp, file);
    await chmod(file, 0o600);
  }
  return { secret: secret.value, apiKey: apiKey.value, sources: { secret: secret.source, apiKey: apiKey.source } };
}
