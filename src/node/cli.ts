import { parseArgs } from 'node:util';
import { mintToken } from './token.js';

const USAGE = `usage: voice-widget token --secret <secret> --user <sip-user> --domain <sip-domain>
                          [--name <display name>] [--ttl <seconds>]
                          [--caller-id <number>]... [--ice-server <url>]...
                          [--allowed-domain <host>]...

Prints one widget token on stdout. The secret may also come from VOICE_WIDGET_SECRET.
--ttl is 1 to 2592000 seconds (30 days); default 3600.`;

/** Runs the CLI; returns the exit code. Output goes through the given streams. */
export function run(argv: string[], out: (s: string) => void, err: (s: string) => void, env: NodeJS.ProcessEnv = {}): number {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    err(USAGE + '\n');
    return 0;
  }
  if (command !== 'token') {
    err(`voice-widget: unknown command ${command === undefined ? '(none)' : JSON.stringify(command)}\n${USAGE}\n`);
    return 2;
  }
  let values;
  try {
    ({ values } = parseArgs({
      args: rest,
      strict: true,
      allowPositionals: false,
      options: {
        secret: { type: 'string' },
        user: { type: 'string' },
        domain: { type: 'string' },
        name: { type: 'string' },
        ttl: { type: 'string' },
        'caller-id': { type: 'string', multiple: true },
        'ice-server': { type: 'string', multiple: true },
        'allowed-domain': { type: 'string', multiple: true },
      },
    }));
  } catch (e) {
    err(`voice-widget: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const secret = values.secret ?? env.VOICE_WIDGET_SECRET;
  const missing = [!secret && '--secret', !values.user && '--user', !values.domain && '--domain'].filter(Boolean);
  if (missing.length > 0) {
    err(`voice-widget: missing ${missing.join(', ')}\n${USAGE}\n`);
    return 2;
  }
  let ttl: number | undefined;
  if (values.ttl !== undefined) {
    if (!/^[0-9]+$/.test(values.ttl)) {
      err(`voice-widget: --ttl must be a whole number of seconds\n${USAGE}\n`);
      return 2;
    }
    ttl = Number(values.ttl);
  }
  try {
    const token = mintToken({
      secret: secret as string,
      user: values.user as string,
      domain: values.domain as string,
      name: values.name,
      ttl,
      callerIds: values['caller-id'],
      iceServers: values['ice-server'],
      allowedDomains: values['allowed-domain'],
    });
    out(token + '\n');
    return 0;
  } catch (e) {
    err(`voice-widget: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
}
