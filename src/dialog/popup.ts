import type { VoiceWidget } from '../element/voice-widget.js';
import { PHONE_EVENTS } from '../event-names.js';
import { chooseHost, readHostList } from './popup-hosts.js';
import { takeHash } from './popup-hash.js';
import { envelope, parseHostMessage, type Command, type DialogConfig, type DialogSnapshot, type PopupMessage } from './protocol.js';
import { readStorage, writeStorage } from '../shared/storage.js';
import { popupRow, propertyOf } from '../element/attributes.js';
import { ContactRequests } from '../shared/contact-requests.js';

/** Where the popup remembers its opener's origin, so a reload can re-handshake. */
const ORIGIN_KEY = 'voice-widget:dialog-host-origin';
/** How long a call asked for at opening may wait for the first registration. */
const FIRST_CALL_WAIT_MS = 15_000;
/** While detached (the host page reloading or navigating), how often the popup says hello. */
const HELLO_EVERY_MS = 400;
/** How long a popup opened by an unlisted origin shows why before it closes. */
const REFUSED_CLOSE_MS = 3_000;
/** How often the popup mirrors its calls' quality samples to the host (the sampler's pace). */
const STATS_EVERY_MS = 1_000;

/** Events the popup relays to its host: the phone's, and the element's own. */
const RELAYED = [...PHONE_EVENTS, 'warning'] as const;

/**
 * The popup page's side of dialog mode (runs in `voice-widget-popup.html`).
 * Takes its one-time config token from the URL fragment and removes it from
 * the address bar at once. The opener's origin, also in the fragment, only
 * picks among the hosts the served page lists (its `voice-widget-host-origins`
 * meta tag; without one, the popup's own origin): an opener off the list gets
 * no message, its messages are never read, nothing registers, and the window
 * closes. A listed opener redeems the token (exact origin both ways), then the
 * popup runs the phone and relays every event to it. When the host page
 * reloads or navigates, the popup keeps the call and says hello, to that
 * origin only, until a page of it in the same tab takes it up again.
 */
export function runPopup(hash = takeHash()): void {
  // Refuse to run inside a frame: the phone is a top-level window or nothing.
  if (window.top !== window.self) {
    document.documentElement.textContent = '';
    return;
  }
  const params = new URLSearchParams(hash.slice(1));
  const configToken = params.get('vw');

  // A fresh opener's claim, else (a reload) the claim this window accepted before; the list decides either way.
  // No storage: a reload cannot re-handshake, the user reopens from the app.
  const claimed = params.get('origin') ?? readStorage('session', ORIGIN_KEY);
  const choice = chooseHost(claimed, readHostList(document), location.origin);

  const el = document.querySelector('voice-widget') as VoiceWidget | null;
  const notice = document.getElementById('notice');
  if (!el) return;
  if (choice.kind === 'refused') {
    refuse(el, choice.origin);
    return;
  }
  if (choice.kind === 'none' || !window.opener) {
    el.hidden = true;
    if (notice) notice.hidden = false;
    return;
  }
  const origin = choice.origin;
  writeStorage('session', ORIGIN_KEY, origin);
  el.setAttribute('data-popup', '');
  el.open = true;

  let attached = false;
  let helloTimer: ReturnType<typeof setInterval> | undefined;
  const send = (message: PopupMessage) => {
    try {
      window.opener?.postMessage(envelope(message), origin);
    } catch {
      // The opener is gone; nothing to tell.
    }
  };
  // Caller lookup: the host's hook, asked by message while the host is attached (`contact-lookup`).
  const contacts = new ContactRequests((id, number, direction) => attached && (send({ type: 'contact-request', id, number, direction }), true));
  const sayHello = () => {
    clearInterval(helloTimer);
    send({ type: 'hello' });
    helloTimer = setInterval(() => (window.opener ? send({ type: 'hello' }) : clearInterval(helloTimer)), HELLO_EVERY_MS);
  };

  window.addEventListener('message', (e) => {
    if (e.origin !== origin) return;
    const message = parseHostMessage(e.data);
    if (!message) return;
    // A page says 'detach' while it unloads, when its window may already read as gone (source null).
    // Trusting that costs at most a re-handshake with the opener; everything else must come from the opener.
    if (e.source !== window.opener && !(message.type === 'detach' && e.source === null)) return;
    switch (message.type) {
      case 'config':
        clearInterval(helloTimer);
        attached = true;
        apply(el, message.config, contacts);
        send({ type: 'attached', snapshot: snapshotOf(el) });
        return;
      case 'update':
        if (attached) apply(el, message.config, contacts);
        return;
      case 'contact':
        contacts.answer(message.id, message.contact);
        return;
      case 'command':
        if (!attached) return;
        // A call asked for as the popup opens waits until its phone has registered.
        if (message.name === 'call' && el.getState() === 'loading') {
          const args = message.args;
          const timer = setTimeout(() => el.removeEventListener('ready', dial), FIRST_CALL_WAIT_MS);
          const dial = () => {
            clearTimeout(timer);
            run(el, 'call', args);
          };
          el.addEventListener('ready', dial, { once: true });
          return;
        }
        run(el, message.name, message.args);
        // No event says a volume changed: the host's `volumes` reads the snapshot.
        if (message.name === 'setVolume') send({ type: 'snapshot', snapshot: snapshotOf(el) });
        return;
      case 'detach':
        attached = false;
        sayHello();
        return;
    }
  });

  for (const name of RELAYED) {
    el.addEventListener(name, (e) => {
      if (attached) send({ type: 'event', name, detail: (e as CustomEvent).detail ?? null, snapshot: snapshotOf(el) });
    });
  }

  // Quality samples come each second without an event, and so do the settings' volumes: the host's mirror follows them.
  let lastStats = '';
  setInterval(() => {
    if (!attached) return;
    const snapshot = snapshotOf(el);
    const stats = JSON.stringify([snapshot.callStats, snapshot.volumes]);
    if (stats === lastStats) return;
    lastStats = stats;
    send({ type: 'snapshot', snapshot });
  }, STATS_EVERY_MS);

  // The user closed the window: end the call properly (BYE), and tell the host.
  window.addEventListener('pagehide', () => {
    el.hangup();
    send({ type: 'bye' });
  });

  if (configToken) send({ type: 'redeem', token: configToken });
  else sayHello();
}

/**
 * An opener off the list: the phone is taken out before it can connect, the
 * page says why, and the window closes. Nothing is sent to anyone and no
 * message listener exists, so the opener learns nothing but that it closed.
 */
function refuse(el: VoiceWidget, origin: string): void {
  el.remove();
  writeStorage('session', ORIGIN_KEY, null);
  const refused = document.getElementById('refused');
  const who = document.getElementById('refused-origin');
  if (who) who.textContent = origin;
  if (refused) {
    refused.style.padding = '0 1.5em';
    refused.hidden = false;
  }
  console.error(`voice-widget: ${origin} is not among this popup's hosts (meta voice-widget-host-origins); the phone does not start`);
  // A window a script opened closes (even with noopener); one opened by hand stays, with the message.
  if (!window.opener) document.getElementById('refused-closing')?.remove();
  setTimeout(() => window.close(), REFUSED_CLOSE_MS);
}

function run(el: VoiceWidget, name: Command, args: unknown[]): void {
  try {
    (el[name] as (...a: unknown[]) => unknown).apply(el, args);
  } catch {
    // A bad argument is the element's to report (its `error` event reaches the host).
  }
}

/** Sets the configuration on the popup's element: attributes as attributes, the rest (and secrets) as properties. */
function apply(el: VoiceWidget, config: DialogConfig, contacts: ContactRequests): void {
  for (const [key, value] of Object.entries(config)) {
    const row = popupRow(key);
    if (key === 'number') {
      if (value) el.show(value as string);
    } else if (key === 'contact-lookup') el.resolveContact = value === true ? contacts.hook : null;
    else if (!row) continue;
    else if (row.secret || row.attribute === false) (el as unknown as Record<string, unknown>)[propertyOf(row.name)] = value ?? null;
    else if (row.type === 'boolean') el.toggleAttribute(key, value === true);
    else if (value === null || value === undefined) el.removeAttribute(key);
    else el.setAttribute(key, String(value));
    if (key === 'window-title') document.title = (value as string | null) || document.title;
  }
}

function snapshotOf(el: VoiceWidget): DialogSnapshot {
  const calls = el.calls;
  return {
    state: el.getState(),
    ready: el.isReady(),
    registrationState: el.registrationState,
    muted: el.isMuted(),
    onHold: el.isOnHold(),
    dnd: el.dnd,
    volumes: { ...el.volumes },
    calls,
    callStats: Object.fromEntries(
      calls.flatMap((c) => {
        const sample = el.getCallStats(c.id);
        return sample ? [[c.id, sample]] : [];
      }),
    ),
  };
}
