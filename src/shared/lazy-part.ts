/**
 * A part of the element that lives in a lazy chunk (src/shared/lazy-chunks.ts):
 * made once, when first needed; `value` is null until then. `setUp` runs once
 * `value` is set, so what it sets off (an update of the element) finds the part there.
 */
export class LazyPart<T> {
  value: T | null = null;
  /** Set while loading or loaded. */
  loading: Promise<T> | null = null;

  constructor(
    private readonly make: () => Promise<T>,
    private readonly setUp: (value: T) => void,
  ) {}

  /** Starts loading (once; again after a failed load). A failure rejects with the chunk loader's error. */
  load(): Promise<T> {
    return (this.loading ??= this.make().then(
      (value) => {
        this.value = value;
        this.setUp(value);
        return value;
      },
      (err: unknown) => {
        this.loading = null;
        throw err;
      },
    ));
  }
}

/** A failed chunk load's message, for the element's `error` `chunk-failed`. */
export const loadFailure = (err: unknown): string => (err instanceof Error ? err.message : String(err));
