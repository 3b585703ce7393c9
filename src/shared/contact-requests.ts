import { CONTACT_TIMEOUT_MS, toContact, type ContactDirection, type ResolveContact } from './contact.js';

/** Lookups waiting for the host at once, at most: more are answered "unknown" (a ringing phone has one or two). */
const MAX_PENDING = 8;

/**
 * The `resolveContact` hook of a phone whose host is in another window (the dialog popup's opener, the bridge's
 * parent): each lookup is a request message, settled by the host's answer or, unanswered, by the timeout.
 */
export class ContactRequests {
  private readonly pending = new Map<string, (contact: unknown) => void>();
  private sequence = 0;

  /** `send` posts a request to the host; false when there is nobody to ask. */
  constructor(private readonly send: (id: string, number: string, direction: ContactDirection) => boolean) {}

  /** The hook to set on the element: resolves with the host's checked answer, or null. */
  readonly hook: ResolveContact = (number, direction) =>
    new Promise((resolve) => {
      const id = `c${++this.sequence}`;
      if (this.pending.size >= MAX_PENDING || !this.send(id, number, direction)) return resolve(null);
      // The lookup gives up at its own timeout (not remembered); this only frees the slot.
      const timer = setTimeout(() => this.answer(id, null), CONTACT_TIMEOUT_MS + 500);
      this.pending.set(id, (contact) => {
        clearTimeout(timer);
        resolve(toContact(contact));
      });
    });

  /** The host's answer to request `id` (an unknown id is ignored). */
  answer(id: string, contact: unknown): void {
    const settle = this.pending.get(id);
    this.pending.delete(id);
    settle?.(contact);
  }
}
