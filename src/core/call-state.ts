import { DEV_MODE } from './dev-mode.js';

/**
 * The state of one call.
 *
 * ```
 *  outbound:  dialing ──► ringing ──► in-progress ──► completed
 *                │           │             │
 *                └───────────┴─────────────┴────────► failed
 *  inbound:   incoming ─────────────► in-progress ──► completed
 *                │                         │
 *                └─────────────────────────┴────────► failed
 * ```
 * `dialing` may go straight to `in-progress` (no provisional response) and any
 * live state may end as `completed` or `failed`; the two terminal states are
 * final. Which terminal state a call reaches follows from its end cause
 * (see `terminalStateFor`).
 */
export type CallState = 'dialing' | 'ringing' | 'incoming' | 'in-progress' | 'completed' | 'failed';

export const CALL_STATES: readonly CallState[] = ['dialing', 'ringing', 'incoming', 'in-progress', 'completed', 'failed'];

const EDGES: Readonly<Record<CallState, readonly CallState[]>> = {
  dialing: ['ringing', 'in-progress', 'completed', 'failed'],
  ringing: ['in-progress', 'completed', 'failed'],
  incoming: ['in-progress', 'completed', 'failed'],
  'in-progress': ['completed', 'failed'],
  completed: [],
  failed: [],
};

export function isTerminal(state: CallState): boolean {
  return state === 'completed' || state === 'failed';
}

export function canTransition(from: CallState, to: CallState): boolean {
  return EDGES[from].includes(to);
}

export class InvalidStateTransitionError extends Error {
  override name = 'InvalidStateTransitionError';
  constructor(
    readonly from: CallState,
    readonly to: CallState,
  ) {
    super(`illegal call state transition ${from} → ${to}`);
  }
}

/**
 * Guards one call's state. `transition` is the only way to change it: an
 * illegal edge throws in development (and is ignored in production builds),
 * each legal edge notifies exactly once.
 */
export class CallStateMachine {
  private current: CallState;

  constructor(
    initial: 'dialing' | 'incoming',
    private readonly onChange: (state: CallState, previous: CallState) => void,
  ) {
    this.current = initial;
  }

  get state(): CallState {
    return this.current;
  }

  get terminal(): boolean {
    return isTerminal(this.current);
  }

  /** Moves to `to`; returns false (or throws in development) on an illegal edge. */
  transition(to: CallState): boolean {
    const from = this.current;
    if (!canTransition(from, to)) {
      if (DEV_MODE) throw new InvalidStateTransitionError(from, to);
      return false;
    }
    this.current = to;
    this.onChange(to, from);
    return true;
  }
}
