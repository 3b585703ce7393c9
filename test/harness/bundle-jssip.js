// JsSIP 3.x ships CommonJS only; the bare-JsSIP test page needs a browser
// build. Built here with rollup's JS API into the git-ignored test/e2e/pages/generated/ at test
// start (reused while the JsSIP version is unchanged), never committed.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { rollup } from 'rollup';
import commonjs from '@rollup/plugin-commonjs';
import json from '@rollup/plugin-json';
import { nodeResolve } from '@rollup/plugin-node-resolve';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Where the page expects it (relative to the repo root the server serves). */
export const JSSIP_BUNDLE_URL_PATH = '/test/e2e/pages/generated/jssip.iife.js';

const require = createRequire(import.meta.url);

/**
 * Builds (or reuses) an IIFE bundle exposing `window.JsSIP`.
 * @param {{ force?: boolean }} [opts]
 * @returns {Promise<{ file: string, urlPath: string, version: string, built: boolean }>}
 */
export async function buildJsSIPBundle({ force = false } = {}) {
  const pkgPath = require.resolve('jssip/package.json');
  const { version } = JSON.parse(await readFile(pkgPath, 'utf8'));
  const file = path.join(REPO_ROOT, JSSIP_BUNDLE_URL_PATH);
  const banner = `/* JsSIP ${version} browser bundle for voice-widget e2e tests (generated) */`;

  if (!force) {
    try {
      const head = (await readFile(file, 'utf8')).slice(0, banner.length);
      if (head === banner) return { file, urlPath: JSSIP_BUNDLE_URL_PATH, version, built: false };
    } catch {
      // not built yet
    }
  }

  const code = await bundleJsSIP({ format: 'iife', name: 'JsSIP', banner, exports: 'auto' });
  await mkdir(path.dirname(file), { recursive: true });
  // Atomic replace: several test files may build concurrently.
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, code);
  await rename(tmp, file);
  return { file, urlPath: JSSIP_BUNDLE_URL_PATH, version, built: true };
}

/**
 * JsSIP as one browser file, with the rollup plugins the production build
 * uses (it is CommonJS and reads its own package.json).
 * @param {import('rollup').OutputOptions} output e.g. `{ format: 'es' }`
 * @returns {Promise<string>} the code
 */
export async function bundleJsSIP(output) {
  const bundle = await rollup({
    input: require.resolve('jssip'),
    plugins: [
      // browser: pick browser builds of debug etc.; preferBuiltins:false so
      // require('events') resolves to the npm "events" polyfill.
      nodeResolve({ browser: true, preferBuiltins: false }),
      commonjs(),
      json(),
    ],
    onwarn(warning, warn) {
      if (warning.code === 'CIRCULAR_DEPENDENCY' || warning.code === 'THIS_IS_UNDEFINED') return;
      warn(warning);
    },
  });
  try {
    const { output: chunks } = await bundle.generate(output);
    return chunks[0].code;
  } finally {
    await bundle.close();
  }
}
