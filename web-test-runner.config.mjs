import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { prebundledJssip } from './test/support/prebundled-jssip.mjs';

export default {
  files: ['test/unit/**/*.test.ts'],
  nodeResolve: { browser: true, preferBuiltins: false },
  middleware: [
    // A stylesheet server that hangs (answers only after 12 s), for the custom-styles timeout.
    async function hangingStylesheet(ctx, next) {
      if (!ctx.path.startsWith('/__hang/')) return next();
      await new Promise((resolve) => setTimeout(resolve, 12_000));
      ctx.type = 'text/css';
      ctx.body = ':host { --bg-background: red; }';
    },
  ],
  plugins: [
    esbuildPlugin({ ts: true, target: 'es2021', tsconfig: './tsconfig.json' }),
    // JsSIP is CommonJS and reads its own package.json: bundled once with rollup's commonjs + json.
    prebundledJssip(),
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--use-fake-device-for-media-stream',
          '--use-fake-ui-for-media-stream',
          '--allow-loopback-in-peer-connection',
        ],
      },
    }),
  ],
  testFramework: { config: { timeout: 10000 } },
  concurrency: 1,
  // Keep output to the summary; a test that logs is a test that fails to say what it checks.
  filterBrowserLogs: ({ type }) => type === 'error',
};
