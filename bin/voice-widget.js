#!/usr/bin/env node
// The CLI is built from src/node/cli.ts into dist/node by `npm run build`, which `npm install` runs (prepare).
import { run } from '../dist/node/cli.js';

process.exitCode = run(
  process.argv.slice(2),
  (s) => process.stdout.write(s),
  (s) => process.stderr.write(s),
  process.env,
);
