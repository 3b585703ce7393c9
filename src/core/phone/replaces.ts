import type { Call } from '../call.js';

/**
 * The calls a transfer supersedes: once the new call connects, the old one
 * will end as `transferred`, whoever then hangs it up. At the transferee (B):
 * its call with the transferor, superseded by the call it placed to the
 * target. At the target (C): the call an INVITE with `Replaces` replaces.
 */
export class Supersedes {
  private readonly links = new Map<string, Call>();

  link(next: Call, previous: Call): void {
    this.links.set(next.id, previous);
  }

  /** `call` connected: the call it supersedes ends as transferred. */
  connected(call: Call): void {
    this.links.get(call.id)?.willEndAs('transferred');
    this.links.delete(call.id);
  }

  drop(id: string): void {
    this.links.delete(id);
  }
}
