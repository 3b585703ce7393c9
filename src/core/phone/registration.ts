import { WIDGET_TOKEN_HEADER } from '../../shared/protocol.js';
import type { AgentEvents, SipAgent } from '../jssip-adapter.js';
import type { ErrorCode, RegistrationState } from '../types.js';
import { RegistrationStateMachine } from './registration-state.js';
import type { TokenDeath } from './token-keeper.js';

/** Retry delays after a REGISTER failure that is not about the credential. */
const REGISTER_RETRY_MS = [2_000, 4_000, 8_000, 16_000, 30_000];

export interface RegistrationHooks {
  changed(state: RegistrationState, previous: RegistrationState, cause: string | null): void;
  /** The credential cannot register: expired, revoked or refused. */
  tokenFailed(reason: TokenDeath): void;
  /** The server refused this page's origin for the token (`why`: the status line). */
  originRefused(why: string): void;
  error(code: ErrorCode, message: string): void;
}

/**
 * The registration client: one REGISTER in flight at a time, with the
 * current token in its header; a newer token queues another. Failures are
 * sorted into "the credential is dead" and "try again, less and less often".
 */
export class Registration {
  private readonly machine: RegistrationStateMachine;
  /** The token of the REGISTER in flight, and whether another must follow it. */
  private registering: string | null = null;
  private again = false;
  private retries = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly current: () => { agent: SipAgent | null; token: string; dead: boolean },
    private readonly hooks: RegistrationHooks,
  ) {
    this.machine = new RegistrationStateMachine((s, p, cause) => hooks.changed(s, p, cause));
  }

  get state(): RegistrationState {
    return this.machine.state;
  }

  moveTo(state: RegistrationState, cause: string | null): void {
    this.machine.moveTo(state, cause);
  }

  /** Sends REGISTER with the current token, or queues it behind the one in flight. */
  register(): void {
    const { agent, token, dead } = this.current();
    if (!agent || dead) return;
    clearTimeout(this.retryTimer);
    if (this.registering !== null) {
      this.again = true;
      return;
    }
    this.again = false;
    this.registering = token;
    agent.register([`${WIDGET_TOKEN_HEADER}: ${token}`]);
  }

  /** A new connection is up: a fresh start for the retries. */
  connected(): void {
    this.retries = 0;
    if (!this.current().dead) this.register();
  }

  /** The connection went (or the agent is gone): nothing is in flight any more. */
  reset(full: boolean): void {
    this.registering = null;
    clearTimeout(this.retryTimer);
    if (full) this.again = false;
  }

  registered(): void {
    // null: JsSIP's own refresh of the registration, made with the current credential.
    const stale = this.registering !== null && this.registering !== this.current().token;
    this.registering = null;
    this.retries = 0;
    this.machine.moveTo('registered', null);
    if (stale || this.again) this.register();
  }

  failed(e: AgentEvents['registrationFailed']): void {
    const stale = this.registering !== null && this.registering !== this.current().token;
    this.registering = null;
    // The answer to a REGISTER made with a token that has since been replaced says nothing about the new one.
    if (stale || this.again) return this.register();
    const { status, reasonPhrase: reason, cause } = e;
    if (status === 403 && /origin/i.test(reason)) {
      // Not the token's fault: this page may not use it. Stop until the host changes something.
      return this.hooks.originRefused(`${status} ${reason}`);
    }
    // The server's cap on one user's bindings (both our servers say so in the reason): the token is fine,
    // and a slot frees when another tab of this user closes, so retry as for a server error.
    const tooMany = status === 403 && /too many registrations/i.test(reason);
    if (status === 403 && /expired/i.test(reason)) return this.hooks.tokenFailed('expired');
    if (status === 403 && /revoked/i.test(reason)) return this.hooks.tokenFailed('revoked');
    if (!tooMany && (status === 401 || status === 403 || status === 407 || e.authenticationError)) return this.hooks.tokenFailed('rejected');
    // Anything else (a server error, a timeout) may pass: try again, less and less often.
    const why = status ? `${status} ${reason}` : cause;
    this.machine.moveTo('failed', why);
    if (this.retries === 0) this.hooks.error(tooMany ? 'too-many-registrations' : 'registration-failed', `registration failed: ${why}`);
    const delay = REGISTER_RETRY_MS[Math.min(this.retries, REGISTER_RETRY_MS.length - 1)];
    this.retries += 1;
    this.retryTimer = setTimeout(() => this.register(), delay);
  }
}
