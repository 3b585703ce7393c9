import { GuardedState, hasEdge, TransitionError } from './guarded-state.js';

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

export const canTransition = (from: CallState, to: CallState): boolean => hasEdge(EDGES, from, to);

export class InvalidStateTransitionError extends TransitionError<CallState> {
  override name = 'InvalidStateTransitionError';
  constructor(from: CallState, to: CallState) {
    super('call', from, to);
  }
}

/**
 * Guards one call's state. `transition` is the only way to change it: an
 * illegal edge throws in development (and is ignored in production builds),
 * each legal edge notifies exactly once.
 */
export class CallStateMachine extends GuardedState<CallState> {
  constructor(initial: 'dialing' | 'incoming', onChange: (state: CallState, previous: CallState) => void) {
    super(EDGES, initial, (from, to) => new InvalidStateTransitionError(from, to), onChange);
  }

  get terminal(): boolean {
    return isTerminal(this.state);
  }
}
