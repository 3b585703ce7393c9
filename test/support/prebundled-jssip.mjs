import { bundleJsSIP } from '../harness/bundle-jssip.js';

const URL_PATH = '/__prebundled__/jssip.js';

/**
 * Serves JsSIP to the test browser as one ES module, built with the same
 * rollup plugins (commonjs + json) as the production bundle. The dev server's
 * per-file `fromRollup(commonjs)` cannot serve JsSIP: @rollup/plugin-commonjs
 * after v18 wraps modules behind proxies the dev server does not resolve, and
 * unwrapped (`strictRequires: false`) JsSIP's circular requires fail.
 */
export function prebundledJssip() {
  let code;
  return {
    name: 'prebundled-jssip',
    async serverStart() {
      code = await bundleJsSIP({ format: 'es' });
    },
    resolveImport({ source }) {
      if (source === 'jssip') return URL_PATH;
    },
    serve(context) {
      if (context.path === URL_PATH) return { body: code, type: 'js' };
    },
  };
}
