#!/usr/bin/env node
// `npm start`: two phones that call each other, with nothing else installed.
// One process on 127.0.0.1 serves the demo, the token API and an embedded SIP
// server. PORT (default 8080) and SIP_PORT (default 8088) choose the ports;
// secrets live in .voice-widget/ (git-ignored) unless VOICE_WIDGET_SECRET and
// VOICE_WIDGET_API_KEY are set. VOICE_WIDGET_SIP_ORIGINS lists the pages that
// may connect to the SIP server (default: pages on this machine).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createHostBackend } from './host-backend.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const STATE_DIR = process.env.VOICE_WIDGET_STATE_DIR ?? fileURLToPath(new URL('../.voice-widget/', import.meta.url));
const verbose = Boolean(process.env.VOICE_WIDGET_VERBOSE);

// The examples' bundles (demo/examples/build/) come from the same build as dist/.
const BUILT = ['../dist/voice-widget.min.js', '../dist/node/index.js', ...['react', 'vue', 'hubspot'].map((name) => `./examples/build/${name}.js`)];
if (!BUILT.every((file) => existsSync(new URL(file, import.meta.url)))) {
  console.log('voice-widget: building…');
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
}
const { startDevServer } = await import('../dist/node/index.js');

let server;
try {
  server = await startDevServer({
    root: ROOT,
    stateDir: STATE_DIR,
    port: Number(process.env.PORT ?? 8080),
    sipPort: Number(process.env.SIP_PORT ?? 8088),
    log: verbose ? (line) => console.log(`  ${line}`) : undefined,
  });
} catch (e) {
  console.error(`voice-widget: cannot start: ${e.message}`);
  if (e.code === 'EADDRINUSE') console.error('  Another program uses the port; set PORT and SIP_PORT to free ones.');
  process.exit(1);
}

server.use(
  createHostBackend({
    tokenServiceUrl: server.url,
    apiKey: server.secrets.apiKey,
    sipServerUrl: server.sipUrl,
    users: { alice: 'Alice', bob: 'Bob', carol: 'Carol', dave: 'Dave', erin: 'Erin' },
  }),
);

console.log(`voice-widget demo: open ${server.url}/demo/`);
console.log(`  SIP server (embedded): ${server.sipUrl}   domain: ${server.domain}`);
console.log(`  token API: ${server.url}/v1/tokens   (API key in .voice-widget/secrets.json)`);
console.log('  Ctrl+C to stop');

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  await server.stop().catch(() => {});
  process.exit(0);
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
