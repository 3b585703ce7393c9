import type { AgentEvents, AgentFactory, AgentOptions, OutgoingCallOptions, SipAgent, SipSession } from '../../src/core/jssip-adapter.js';

/**
 * A user agent that does nothing on the network: a test plays the server by
 * firing its events, and reads what the phone asked of it.
 */
export class FakeAgent implements SipAgent {
  readonly handlers = new Map<string, Array<(e: unknown) => void>>();
  started = false;
  stopped = false;
  connected = false;
  registered = false;
  /** Extra headers of each REGISTER sent. */
  readonly registers: string[][] = [];
  readonly dropped: string[] = [];
  readonly pings: Array<(alive: boolean) => void> = [];
  readonly calls: Array<{ uri: string; options: OutgoingCallOptions }> = [];
  credentials: { user: string; password: string; displayName: string } | null = null;
  unregisters = 0;

  constructor(readonly options: AgentOptions) {}

  on<K extends keyof AgentEvents>(event: K, handler: (e: AgentEvents[K]) => void): void {
    const list = this.handlers.get(event) ?? [];
    list.push(handler as (e: unknown) => void);
    this.handlers.set(event, list);
  }

  fire<K extends keyof AgentEvents>(event: K, detail: AgentEvents[K]): void {
    if (event === 'connected') this.connected = true;
    if (event === 'disconnected') this.connected = this.registered = false;
    if (event === 'registered') this.registered = true;
    for (const h of this.handlers.get(event) ?? []) h(detail);
  }

  /** A later attempt (JsSIP's recovery): connecting to `url`, then connected. */
  reconnect(url: string, attempts: number): void {
    this.fire('connecting', { url, attempts });
    this.fire('connected', {});
  }

  connect(): void {
    this.fire('connected', {});
  }

  /** Like JsSIP's, the first attempt begins inside start(). */
  start(): void {
    this.started = true;
    this.fire('connecting', { url: this.options.servers[0], attempts: 0 });
  }
  stop(): void {
    this.stopped = true;
  }
  isConnected(): boolean {
    return this.connected;
  }
  isRegistered(): boolean {
    return this.registered;
  }
  register(extraHeaders: string[]): void {
    this.registers.push(extraHeaders);
  }
  unregister(): void {
    this.unregisters++;
  }
  setCredentials(user: string, password: string, displayName: string): void {
    this.credentials = { user, password, displayName };
  }
  call(uri: string, options: OutgoingCallOptions): SipSession {
    this.calls.push({ uri, options });
    return { isEnded: () => false, terminate: () => {}, connection: undefined, on: () => {} } as unknown as SipSession;
  }
  ping(_domain: string, done: (alive: boolean) => void): void {
    this.pings.push(done);
  }
  dropSocket(reason: string): void {
    this.dropped.push(reason);
  }

  reconnectNow(reason: string): void {
    this.dropped.push(reason);
  }
}

/** A factory that keeps every agent it made, newest last. */
export function fakeAgents(): { factory: AgentFactory; agents: FakeAgent[]; last(): FakeAgent } {
  const agents: FakeAgent[] = [];
  return {
    agents,
    factory: (options) => {
      const agent = new FakeAgent(options);
      agents.push(agent);
      return agent;
    },
    last: () => agents[agents.length - 1],
  };
}
