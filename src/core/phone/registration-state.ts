import { GuardedState, hasEdge, TransitionError } from '../guarded-state.js';
import type { RegistrationState } from '../types.js';

/**
 * The registration's state.
 *
 * ```
 *   unregistered ──► connecting ──► registered ◄──► reconnecting
 *         ▲              │              │                │
 *         └──────────────┴──── failed ◄─┴────────────────┘
 * ```
 * `connecting` is a new connection's first attempt (a new server or identity
 * starts one from any state); `reconnecting` follows a lost connection;
 * `failed` is a refused REGISTER, a dead token or a blocked server; `stop()`
 * and the server's own unregistration give `unregistered`. Staying in a state
 * is not a transition: callers say `moveTo`, which skips it.
 */
export const REGISTRATION_STATES: readonly RegistrationState[] = ['unregistered', 'connecting', 'reconnecting', 'registered', 'failed'];

const EDGES: Readonly<Record<RegistrationState, readonly RegistrationState[]>> = {
  // Stopped or unregistered by the server: a new connection, a drop, a re-REGISTER, a dead token.
  unregistered: ['connecting', 'reconnecting', 'registered', 'failed'],
  connecting: ['reconnecting', 'registered', 'failed', 'unregistered'],
  reconnecting: ['connecting', 'registered', 'failed', 'unregistered'],
  registered: ['connecting', 'reconnecting', 'failed', 'unregistered'],
  // A retry that succeeds, a new token or server, a drop while waiting to retry.
  failed: ['connecting', 'reconnecting', 'registered', 'unregistered'],
};

export const canMove = (from: RegistrationState, to: RegistrationState): boolean => hasEdge(EDGES, from, to);

export class InvalidRegistrationTransitionError extends TransitionError<RegistrationState> {
  override name = 'InvalidRegistrationTransitionError';
  constructor(from: RegistrationState, to: RegistrationState) {
    super('registration', from, to);
  }
}

/**
 * Guards the registration state: `transition` is the only way to change it;
 * an illegal edge (or a state that is none of the five) throws in development
 * and is ignored in production builds; each legal edge notifies exactly once.
 */
export class RegistrationStateMachine extends GuardedState<RegistrationState, [cause: string | null]> {
  constructor(onChange: (state: RegistrationState, previous: RegistrationState, cause: string | null) => void) {
    super(EDGES, 'unregistered', (from, to) => new InvalidRegistrationTransitionError(from, to), onChange);
  }

  /** Moves to `to` unless already there. */
  moveTo(to: RegistrationState, cause: string | null): void {
    if (to !== this.state) this.transition(to, cause);
  }
}
