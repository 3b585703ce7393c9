/**
 * Replacing a file atomically: write a temp file beside it, fsync, rename,
 * fsync the directory. A crash leaves the old file or the new one, never half
 * of each.
 */
import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Writes `data` as `path` (mode 0600). Callers serialize writes to one path. */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  // One fixed temp name is enough: writes are serialized, and a leftover
  // from a crash is simply overwritten.
  const tmp = `${path}.tmp`;
  try {
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.chmod(0o600); // in case a leftover temp file had other permissions
      await fh.writeFile(data, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await syncDirectory(dirname(path));
}

// Makes the rename itself durable. Not every platform can fsync a directory;
// there the rename is still atomic, only possibly not yet on disk.
async function syncDirectory(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // best effort
  } finally {
    await fh?.close().catch(() => undefined);
  }
}
