import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { loadSecrets, type DevSecrets } from './secrets.js';
import { parseOriginList } from './sip/origin-policy.js';
import { SipServer, type SipServerOptions } from './sip/sip-server.js';
import { createStaticHandler, type RequestHandler } from './static-files.js';
import { TokenService, kamailioFromEnv } from './token-service/index.js';
import { storeLimitsFromEnv } from './token-service/store-limits.js';

export interface DevServerOptions {
  /** The repository or package root; only `static` prefixes below it are served. */
  root: string;
  /** URL prefixes served from root; default `/demo/`, `/dist/`, `/themes/`. */
  static?: string[];
  /** Where secrets.json and tokens.json live. */
  stateDir: string;
  /** HTTP port for pages and the token API; 0 picks a free one. */
  port?: number;
  /** SIP WebSocket port; 0 picks a free one. */
  sipPort?: number;
  /** SIP domain served. */
  domain?: string;
  /**
   * The host pages the popup of dialog mode obeys (`bridge-origins` syntax);
   * default `env.VOICE_WIDGET_POPUP_HOSTS`; unset, the popup obeys its own origin.
   */
  popupHosts?: string;
  /**
   * The embedded SIP server's allowed origins and limits (docs/production.md, "The embedded
   * server"). Origins default to `VOICE_WIDGET_SIP_ORIGINS`, else loopback pages.
   */
  sip?: Omit<SipServerOptions, 'secret' | 'domain' | 'host' | 'port' | 'checkToken' | 'log'>;
  /** Where `VOICE_WIDGET_*` settings (secrets, store limits, SIP origins, Kamailio nodes) are read; default process.env. */
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

export interface DevServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `ws://127.0.0.1:<sipPort>` */
  sipUrl: string;
  domain: string;
  secrets: DevSecrets;
  tokens: TokenService;
  sip: SipServer;
  /** Adds a request handler, tried before the static files. */
  use(handler: RequestHandler): void;
  stop(): Promise<void>;
}

/**
 * One process for development and single-machine use, bound to 127.0.0.1:
 * static files, the token REST API (/v1/tokens) and the embedded SIP server,
 * all with one secret. Revoking a token disconnects the widgets using it.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const log = options.log ?? (() => {});
  const domain = options.domain ?? 'voice.test';
  const env = options.env ?? process.env;
  // First: a mistyped host list stops the start before anything listens.
  const popupHosts = options.popupHosts ?? (env.VOICE_WIDGET_POPUP_HOSTS || undefined);
  const statics = createStaticHandler(options.root, options.static ?? ['/demo/', '/dist/', '/themes/'], { popupHosts });
  const secrets = await loadSecrets(options.stateDir, env);
  const origins = env.VOICE_WIDGET_SIP_ORIGINS ? parseOriginList(env.VOICE_WIDGET_SIP_ORIGINS) : undefined;
  const tokens = await TokenService.open({
    secret: secrets.secret,
    apiKeys: [secrets.apiKey],
    storePath: path.join(options.stateDir, 'tokens.json'),
    // Several token-service processes share one PostgreSQL; unset: the file store.
    databaseUrl: env.VOICE_WIDGET_DATABASE_URL || undefined,
    storeLimits: storeLimitsFromEnv(env),
    domain,
    log,
    kamailio: kamailioFromEnv(env),
  });
  let sip: SipServer;
  try {
    sip = await SipServer.start({
      allowedOrigins: origins,
      // A CRM's click-to-dial service connecting from one of these addresses may ask for auto-answer.
      autoAnswerSources: env.VOICE_WIDGET_AUTO_ANSWER_SOURCES?.split(/\s+/).filter(Boolean),
      ...options.sip,
      secret: secrets.secret,
      domain,
      port: options.sipPort ?? 0,
      checkToken: (t) => tokens.check(t),
      log,
    });
  } catch (e) {
    await tokens.close();
    throw e;
  }
  tokens.onRevoke((jti) => sip.disconnectToken(jti));

  const handlers: RequestHandler[] = [(req, res) => tokens.handle(req, res)];
  let port = 0;
  const server = http.createServer(async (req, res) => {
    try {
      // Only this machine's names: a DNS-rebinding page (evil.example → 127.0.0.1) gets nothing.
      if (!isLoopbackHost(req.headers.host, port)) {
        res.writeHead(421, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('Misdirected Request');
        return;
      }
      for (const handle of [...handlers, statics]) if (await handle(req, res)) return;
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Not Found');
    } catch (e) {
      log(`http: ${(e as Error).message}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }
  });
  server.keepAliveTimeout = 1000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
  } catch (e) {
    await sip.stop();
    await tokens.close();
    throw e;
  }
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    sipUrl: sip.url,
    domain,
    secrets,
    tokens,
    sip,
    use: (handler) => handlers.push(handler),
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await sip.stop();
      await tokens.close();
    },
  };
}

function isLoopbackHost(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}` || host === `[::1]:${port}`;
}
