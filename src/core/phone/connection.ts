import { cleanDisplayName } from '../../shared/display-name.js';
import { readStorage, writeStorage } from '../../shared/storage.js';
import type { TokenClaims } from '../../shared/token-claims.js';
import type { AgentEvents, AgentFactory, SipAgent } from '../jssip-adapter.js';
import { userInstanceId } from './instance-id.js';

const USER_AGENT = 'voice-widget/0.1';

/** A WebSocket that has not opened by then is given up and tried again (JsSIP waits forever). */
const CONNECT_TIMEOUT_MS = 5_000;
/** An idle connection is checked this often (a SIP OPTIONS to the server)… */
const KEEPALIVE_EVERY_MS = 20_000;
/** …and counts as dead when nothing answers within this: detection within 30 s of the server vanishing. */
const KEEPALIVE_TIMEOUT_MS = 6_000;
/** The SIP instance id of this tab: a reload re-registers the same binding instead of adding one. */
const INSTANCE_KEY = 'voice-widget:instance-id';

export interface ConnectionHooks {
  /** An attempt to `url` begins; `again`: after a lost connection or a failed attempt. */
  connecting(url: string, attempt: number, again: boolean): void;
  connected(): void;
  disconnected(e: AgentEvents['disconnected']): void;
  registered(): void;
  unregistered(cause: string | null): void;
  registrationFailed(e: AgentEvents['registrationFailed']): void;
  incoming(e: AgentEvents['incoming']): void;
}

/**
 * The user agent and its socket: started for one set of servers and one
 * identity (its key), given up after a connect timeout, checked by a
 * keepalive, dropped on `offline` and retried on `online`. Events of an
 * agent that has since been replaced are ignored.
 */
export class Connection {
  agent: SipAgent | null = null;
  /** Servers and identity the agent was made for. */
  key = '';
  /** The token the agent's credentials come from. */
  credentialsOf = '';
  /** Servers the page's Content-Security-Policy refused: not tried again. */
  readonly blocked = new Set<string>();
  /** Multi-tab: one instance id per user and browser (a new leader tab's REGISTER replaces the old one's binding). */
  sharedInstance = false;
  private everConnected = false;
  /** The connection failed at least once since the agent started; attempts now are retries. */
  private retrying = false;
  private connectTimer: ReturnType<typeof setTimeout> | undefined;
  private keepaliveTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly factory: AgentFactory,
    private readonly hooks: ConnectionHooks,
  ) {}

  /** What an agent is made for: its servers and the user it registers. */
  static keyOf(servers: readonly string[], claims: TokenClaims): string {
    return `${servers.join(' ')} ${claims.sub}@${claims.sip_domain}`;
  }

  /** Makes and starts an agent; throws what the SIP stack refused in the options. */
  open(servers: string[], claims: TokenClaims, token: string): void {
    const domain = claims.sip_domain;
    const agent = this.factory({
      servers,
      uri: `sip:${claims.sub}@${domain}`,
      authorizationUser: claims.sip_auth_user,
      password: claims.sip_auth_password,
      displayName: cleanDisplayName(claims.name),
      instanceId: this.sharedInstance ? userInstanceId(claims.sub, domain) : tabInstanceId(),
      userAgent: USER_AGENT,
    });
    this.agent = agent;
    this.key = Connection.keyOf(servers, claims);
    this.credentialsOf = token;
    this.retrying = false;
    this.everConnected = false;
    const mine = () => this.agent === agent;
    agent.on('connecting', (e) => {
      if (!mine()) return;
      this.hooks.connecting(e.url, e.attempts, this.everConnected || this.retrying);
      // A server that takes the TCP connection but never answers would hold JsSIP here forever.
      clearTimeout(this.connectTimer);
      this.connectTimer = setTimeout(() => mine() && !agent.isConnected() && agent.dropSocket('connect timeout'), CONNECT_TIMEOUT_MS);
    });
    agent.on('connected', () => {
      if (!mine()) return;
      clearTimeout(this.connectTimer);
      this.keepAlive(agent, domain);
      this.everConnected = true;
      this.retrying = false;
      this.hooks.connected();
    });
    agent.on('disconnected', (e) => {
      if (!mine()) return;
      clearTimeout(this.keepaliveTimer);
      // JsSIP tries again after its backoff: that is reconnecting, even if no attempt ever got through.
      this.retrying = true;
      this.hooks.disconnected(e);
    });
    agent.on('registered', () => mine() && this.hooks.registered());
    // A dropped socket already says `reconnecting`; JsSIP's late `unregistered` would contradict it.
    agent.on('unregistered', (e) => mine() && agent.isConnected() && this.hooks.unregistered(e.cause));
    agent.on('registrationFailed', (e) => mine() && this.hooks.registrationFailed(e));
    agent.on('incoming', (e) => mine() && this.hooks.incoming(e));
    agent.start();
  }

  /** A new token for the same user: new credentials for the next REGISTER. True when connected (register now). */
  refresh(claims: TokenClaims, token: string): boolean {
    const agent = this.agent!;
    agent.setCredentials(claims.sip_auth_user, claims.sip_auth_password, cleanDisplayName(claims.name));
    this.credentialsOf = token;
    return agent.isConnected();
  }

  /** `abandon`: drop the socket first, so JsSIP does not unregister (the binding is another tab's now). */
  close(abandon = false): void {
    const agent = this.agent;
    this.agent = null;
    this.key = '';
    this.credentialsOf = '';
    clearTimeout(this.connectTimer);
    clearTimeout(this.keepaliveTimer);
    try {
      if (abandon) agent?.dropSocket('another tab holds the phone');
      agent?.stop();
    } catch {
      // Already stopped.
    }
  }

  /**
   * The browser's `online`/`offline`: offline drops the connection at once
   * (`reconnecting`, calls keep their media while it lasts); online reconnects
   * now rather than at the next backoff step. `renew`: reconnect even if the
   * socket looks open (a call's new network: the old socket may be dead).
   */
  networkChanged(online: boolean, renew = false): void {
    const agent = this.agent;
    if (!agent) return;
    if (!online) agent.dropSocket('offline');
    // At once: JsSIP's backoff would add 1–4 s to a call's recovery.
    else if (renew || !agent.isConnected()) agent.reconnectNow('network back');
  }

  /** Best effort as the page goes away: unregister, so the server does not keep a dead binding. */
  unregisterNow(): void {
    try {
      if (this.agent?.isRegistered()) this.agent.unregister();
    } catch {
      // The page is leaving; nothing more to do.
    }
  }

  /**
   * Checks an idle connection with a SIP OPTIONS to the server: any answer,
   * even an error, proves it alive; none in time means a connection that died
   * without closing (a vanished server, a sleeping NAT), so it is dropped and
   * JsSIP reconnects (to the next server, when there are several).
   */
  private keepAlive(agent: SipAgent, domain: string): void {
    clearTimeout(this.keepaliveTimer);
    this.keepaliveTimer = setTimeout(() => {
      if (this.agent !== agent || !agent.isConnected()) return;
      let answered = false;
      const deadline = setTimeout(() => !answered && this.agent === agent && agent.dropSocket('no answer to keepalive'), KEEPALIVE_TIMEOUT_MS);
      const done = (alive: boolean) => {
        answered = true;
        clearTimeout(deadline);
        if (alive) this.keepAlive(agent, domain);
        else if (this.agent === agent) agent.dropSocket('keepalive failed');
      };
      try {
        agent.ping(domain, done);
      } catch {
        done(false);
      }
    }, KEEPALIVE_EVERY_MS);
  }
}

/** One SIP instance id per tab (sessionStorage survives reloads, not new tabs): one binding per tab. */
function tabInstanceId(): string | undefined {
  const saved = readStorage('session', INSTANCE_KEY);
  if (saved) return saved;
  const id = crypto.randomUUID();
  return writeStorage('session', INSTANCE_KEY, id) ? id : undefined; // No storage: JsSIP makes one per page.
}
