import { DEV_MODE } from './dev-mode.js';

/** Whether the table has the edge `from` → `to`. */
export function hasEdge<S extends string>(edges: Readonly<Record<S, readonly S[]>>, from: S, to: S): boolean {
  return edges[from]?.includes(to) ?? false;
}

/** An edge that is not in the table. */
export class TransitionError<S extends string> extends Error {
  constructor(
    what: string,
    readonly from: S,
    readonly to: S,
  ) {
    super(`illegal ${what} state transition ${from} → ${to}`);
  }
}

/**
 * A state that changes only along the edges of its table: an illegal edge
 * (or a state not in the table) throws in development and is ignored in
 * production builds, where it would otherwise throw inside a JsSIP handler.
 * Each legal edge notifies exactly once, with the state it left and `extra`.
 */
export class GuardedState<S extends string, Extra extends unknown[] = []> {
  private current: S;

  constructor(
    private readonly edges: Readonly<Record<S, readonly S[]>>,
    initial: S,
    private readonly illegal: (from: S, to: S) => Error,
    private readonly onChange: (state: S, previous: S, ...extra: Extra) => void,
  ) {
    this.current = initial;
  }

  get state(): S {
    return this.current;
  }

  /** Moves to `to`; returns false (or throws in development) on an illegal edge. */
  transition(to: S, ...extra: Extra): boolean {
    const from = this.current;
    if (!hasEdge(this.edges, from, to)) {
      if (DEV_MODE) throw this.illegal(from, to);
      return false;
    }
    this.current = to;
    this.onChange(to, from, ...extra);
    return true;
  }
}
