/// <reference lib="dom" />
/**
 * The script-tag build's chunk loader: a plain `<script>` for
 * voice-widget-<name>.js beside the main file (its URL captured while the main
 * file first runs, as the popup page's is), with the main script's nonce, and
 * under Trusted Types a script URL from the policy `voice-widget-chunks`, which
 * only makes URLs of known chunks beside the main file. No module script, so no
 * CORS: a CDN serves chunks as it serves the main file.
 */
import { registeredChunk } from './chunk-registry.js';

const main = document.currentScript as HTMLScriptElement | null;
const base = main?.src || document.baseURI;
const nonce = main?.nonce ?? '';

/** The chunk names this build has (set by build/lazy-chunks.mjs from src/shared/lazy-chunks.ts). */
declare const __VOICE_WIDGET_CHUNKS__: readonly string[];

export const chunkUrl = (name: string): string => new URL(`voice-widget-${name}.js`, base).href;

interface ScriptUrlPolicy {
  createScriptURL(url: string): unknown;
}
let policy: ScriptUrlPolicy | null | undefined;
function scriptUrl(url: string): string {
  const tt = (globalThis as { trustedTypes?: { createPolicy(name: string, rules: { createScriptURL(u: string): string }): ScriptUrlPolicy } }).trustedTypes;
  if (!tt) return url;
  policy ??= tt.createPolicy('voice-widget-chunks', {
    createScriptURL: (u) => {
      if (!__VOICE_WIDGET_CHUNKS__.some((n) => chunkUrl(n) === u)) throw new TypeError(`voice-widget: not a chunk URL: ${u}`);
      return u;
    },
  });
  return policy.createScriptURL(url) as string;
}

const loads = new Map<string, Promise<unknown>>();

export function loadClassicChunk(name: string): Promise<unknown> {
  let p = loads.get(name);
  if (!p) {
    p = new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.async = true;
      if (nonce) script.nonce = nonce;
      script.onload = () => {
        const exports = registeredChunk(name);
        if (exports) resolve(exports);
        else reject(new Error(`voice-widget: chunk ${name} did not register`));
      };
      script.onerror = () => {
        loads.delete(name); // a later use may try again
        reject(new Error(`voice-widget: chunk ${name} failed to load from ${chunkUrl(name)}`));
      };
      script.src = scriptUrl(chunkUrl(name));
      (document.head ?? document.documentElement).append(script);
    });
    loads.set(name, p);
  }
  return p;
}
