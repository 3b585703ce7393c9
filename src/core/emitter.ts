/** A minimal typed event emitter; listeners that throw do not stop the others. */
export class Emitter<Events extends object> {
  private listeners = new Map<keyof Events, Set<(detail: never) => void>>();
  /** Events emitted while listeners run wait their turn, so every listener sees events in order. */
  private queue: Array<() => void> | null = null;

  /** Subscribes; returns the unsubscribe function. */
  on<K extends keyof Events>(type: K, listener: (detail: Events[K]) => void): () => void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(listener as (detail: never) => void);
    return () => this.off(type, listener);
  }

  off<K extends keyof Events>(type: K, listener: (detail: Events[K]) => void): void {
    this.listeners.get(type)?.delete(listener as (detail: never) => void);
  }

  protected emit<K extends keyof Events>(type: K, detail: Events[K]): void {
    if (this.queue) {
      this.queue.push(() => this.dispatch(type, detail));
      return;
    }
    this.queue = [];
    try {
      this.dispatch(type, detail);
      for (let next = this.queue.shift(); next; next = this.queue.shift()) next();
    } finally {
      this.queue = null;
    }
  }

  private dispatch<K extends keyof Events>(type: K, detail: Events[K]): void {
    for (const listener of [...(this.listeners.get(type) ?? [])]) {
      try {
        (listener as (d: Events[K]) => void)(detail);
      } catch (e) {
        // A host's faulty listener must not corrupt call state; report it asynchronously.
        queueMicrotask(() => {
          throw e;
        });
      }
    }
  }
}
