import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Prepends a `/*! … *\/` notice naming every third-party package bundled into
 * a chunk, with its version, licence and copyright line. Runs after terser,
 * so the notice survives minification.
 */
export function thirdPartyNotices() {
  return {
    name: 'third-party-notices',
    renderChunk(code, chunk) {
      const packages = new Map();
      for (const id of Object.keys(chunk.modules)) {
        const dir = packageDir(id.replace(/^\0/, '').replace(/\?.*$/, ''));
        if (dir && !packages.has(dir)) packages.set(dir, describe(dir));
      }
      if (packages.size === 0) return null;
      const lines = [...packages.values()].sort().map((l) => ` * ${l}`);
      return { code: `/*! voice-widget | MIT. Bundled third-party software:\n${lines.join('\n')}\n */\n${code}`, map: null };
    },
  };
}

function packageDir(file) {
  const i = file.lastIndexOf(`${path.sep}node_modules${path.sep}`);
  if (i < 0) return null;
  const rest = file.slice(i + 14).split(path.sep);
  return file.slice(0, i + 14) + (rest[0].startsWith('@') ? `${rest[0]}${path.sep}${rest[1]}` : rest[0]);
}

function describe(dir) {
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const licenceFile = readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
  const text = licenceFile ? readFileSync(path.join(dir, licenceFile), 'utf8') : '';
  const copyright =
    text
      .split('\n')
      .find((l) => /copyright/i.test(l) && /\d{4}/.test(l))
      ?.trim() ?? '';
  return `${pkg.name}@${pkg.version} (${pkg.license ?? 'see package'})${copyright ? ` ${copyright.replace(/\*\//g, '')}` : ''}`;
}
