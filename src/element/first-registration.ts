import type { Phone } from '../core/phone.js';

/** How long the first render may wait for the first registration (not a pause a person notices). */
export const FIRST_RENDER_WAIT_MS = 100;

/**
 * Settles once the phone's first registration does (registered, failed, …),
 * or after FIRST_RENDER_WAIT_MS. The element's first render waits for it: on a
 * fast network the WebSocket's handshake and the REGISTER exchange would
 * otherwise queue behind the render's main-thread work (docs/performance.md).
 */
export function firstRegistration(phone: Phone): Promise<void> {
  if (phone.registrationState !== 'connecting') return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      off();
      resolve();
    };
    const timer = setTimeout(done, FIRST_RENDER_WAIT_MS);
    const off = phone.on('registration-change', ({ state }) => void (state !== 'connecting' && done()));
  });
}
