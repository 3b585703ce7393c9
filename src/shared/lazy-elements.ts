/// <reference lib="dom" />
import { loadChunk, type ChunkName } from './lazy-chunks.js';

/**
 * Custom elements that live in a lazy chunk (src/shared/lazy-chunks.ts): the
 * page may render their tags at any time (an undefined tag is an empty element,
 * and Lit keeps the properties set on it), and they upgrade when the chunk has
 * defined them. `tags` maps each tag to the chunk's export that defines it.
 */
export class LazyElements {
  private loading: Promise<void> | null = null;

  constructor(
    private readonly chunk: ChunkName,
    private readonly tags: Readonly<Record<string, string>>,
  ) {}

  /** Whether every tag is defined. */
  get defined(): boolean {
    return Object.keys(this.tags).every((tag) => customElements.get(tag));
  }

  /** Loads the chunk and defines its tags (once; again after a failed load, which rejects with the loader's error). */
  load(): Promise<void> {
    return (this.loading ??= loadChunk(this.chunk).then(
      (exports) => {
        const ctors = exports as unknown as Record<string, CustomElementConstructor>;
        for (const [tag, name] of Object.entries(this.tags)) if (!customElements.get(tag)) customElements.define(tag, ctors[name]!);
      },
      (err: unknown) => {
        this.loading = null;
        throw err;
      },
    ));
  }
}
