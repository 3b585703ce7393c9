// Caller lookup end to end (issue 23 part 3), run by comfort.test.js on its
// servers and pages: the host's resolveContact hook in real Chromium, in the
// page, in dialog mode and through the iframe bridge. A hook that throws or
// hangs leaves the number on screen and the call going.
import assert from 'node:assert/strict';

import { audit, detailsSince, logLength, vw, waitFor, web } from './support.js';

/** How long the test CRM takes to answer for a number it knows. */
const CRM_DELAY_MS = 400;

/**
 * Sets the page's hook from `book` (number → a contact, `'throw'` or `'hang'`), answering after `delay` ms; each
 * question is kept in `window.lookups`. Also records when the incoming screen first shows, and with what name.
 */
export function setHook(page, book, delay = CRM_DELAY_MS) {
  return vw(
    page,
    (b, d) => {
      window.lookups = [];
      window.vw.el().resolveContact = async (number, direction) => {
        window.lookups.push({ number, direction });
        const entry = b[number];
        if (entry === 'throw') throw new Error('CRM down');
        if (entry === 'hang') return new Promise(() => {});
        await new Promise((r) => setTimeout(r, d));
        return entry ?? null;
      };
    },
    book,
    delay,
  );
}

/** The text of the element's part `name`, or null. */
const partText = (page, name) => vw(page, (n) => window.vw.part(n)?.textContent.replace(/\s+/g, ' ').trim() ?? null, name);

/** Notes when the incoming screen next appears (`window.incomingShown`: the log's clock, and its text then). */
const watchIncoming = (page) =>
  vw(page, () => {
    window.incomingShown = null;
    const root = window.vw.el().shadowRoot;
    const seen = new MutationObserver(() => {
      const screen = root.querySelector('[part~="incoming"]');
      if (window.incomingShown || !screen) return;
      window.incomingShown = { at: window.vw.now(), text: screen.textContent.replace(/\s+/g, ' ').trim() };
      seen.disconnect();
    });
    seen.observe(root, { subtree: true, childList: true });
  });

/** Once the incoming screen shows (watched from before the call): its text, the call's id, when it rang and when it showed (ms). */
async function incomingScreen(page, from) {
  const ringing = await waitFor(page, 'state-change', { from, match: { state: 'incoming' } });
  await page.waitForFunction(() => window.incomingShown);
  const at = await eventAt(page, 'state-change', ringing.id, from);
  const shown = await vw(page, () => window.incomingShown);
  return { text: shown.text, id: ringing.id, at, shownAt: shown.at };
}

/** The `at` (ms) of the page's first `type` event for call `id` since `from`. */
const eventAt = (page, type, id, from) => vw(page, (t, i, f) => window.vw.log.slice(f).find((e) => e.type === t && e.detail.id === i)?.at, type, id, from);

/**
 * `caller` (user `callerUser`) calls `callee` (user `calleeUser`), both with hooks: the callee's incoming screen
 * shows the number first and the contact when the CRM answers; call-received waits for it (the ringing does not);
 * the in-call screen has the avatar and the link; call-ended and history carry it. A second call: remembered.
 */
export async function lookupOnCall(caller, callee, callerUser, calleeUser) {
  const ALICE = { name: 'Alice Liddell', detail: 'Wonderland Ltd', avatarUrl: '/test/e2e/pages/avatar.png', url: 'https://crm.example/contacts/alice' };
  await Promise.all([
    setHook(callee, { [callerUser]: ALICE }),
    setHook(caller, { [calleeUser]: { name: 'Bob Builder', detail: 'Acme', url: 'javascript:alert(1)' } }),
  ]);
  try {
    const a = await logLength(caller);
    let b = await logLength(callee);
    await watchIncoming(callee);
    assert.equal(await vw(caller, (u) => window.vw.el().call(u), calleeUser), true);
    let screen = await incomingScreen(callee, b);
    assert.match(screen.text, new RegExp(callerUser, 'i'), 'the caller shows while the lookup runs');
    assert.doesNotMatch(screen.text, /Liddell/);
    const received = await waitFor(callee, 'call-received', { from: b });
    const absolute = `${web.url}${ALICE.avatarUrl}`;
    assert.deepEqual(received.contact, { ...ALICE, avatarUrl: absolute });
    await callee.waitForFunction(() => /Alice Liddell/.test(window.vw.part('incoming')?.textContent));
    assert.deepEqual(await vw(callee, () => window.lookups), [{ number: callerUser, direction: 'inbound' }]);
    const lag = (await eventAt(callee, 'call-received', screen.id, b)) - screen.at;
    assert.ok(lag >= CRM_DELAY_MS - 20 && lag < CRM_DELAY_MS + 1500, `call-received ${lag.toFixed(0)} ms after ringing`);
    console.log(
      `# lookup: the incoming screen (with the number) ${(screen.shownAt - screen.at).toFixed(1)} ms after the call rang; call-received and the name ${lag.toFixed(0)} ms after (the CRM took ${CRM_DELAY_MS} ms)`,
    );

    // The caller's side: an outbound lookup; its javascript: link is dropped.
    await caller.waitForFunction(() => /Bob Builder/.test((window.vw.part('outgoing') ?? window.vw.part('in-call'))?.textContent));
    await vw(callee, () => window.vw.el().answer());
    await waitFor(callee, 'state-change', { from: b, match: { state: 'in-progress' } });
    const inCall = await vw(callee, () => {
      const root = window.vw.el().shadowRoot;
      const img = root.querySelector('[part~="in-call"] img[part~="contact-avatar"]');
      const link = root.querySelector('[part~="in-call"] a[part~="contact-link"]');
      return { img: img?.src, alt: img?.alt, href: link?.href, target: link?.target, rel: link?.rel, text: window.vw.part('in-call').textContent };
    });
    assert.deepEqual(
      { ...inCall, text: /Alice Liddell/.test(inCall.text) && /Wonderland Ltd/.test(inCall.text) },
      { img: absolute, alt: '', href: ALICE.url, target: '_blank', rel: 'noopener noreferrer', text: true },
    );
    await callee.waitForFunction(() => window.vw.el().shadowRoot.querySelector('img[part~="contact-avatar"]')?.naturalWidth === 48);
    assert.deepEqual(await audit(callee), [], 'the in-call screen with a contact: axe finds nothing');
    assert.equal(await vw(caller, () => !!window.vw.el().shadowRoot.querySelector('[part~="contact-link"]')), false, 'a javascript: link is no link');

    await vw(caller, () => window.vw.el().hangup());
    const [ended] = await Promise.all([waitFor(callee, 'call-ended', { from: b }), waitFor(caller, 'call-ended', { from: a })]);
    assert.equal(ended.contact.name, 'Alice Liddell');
    assert.deepEqual((await detailsSince(caller, 'call-ended', a))[0].contact, { name: 'Bob Builder', detail: 'Acme' });

    // History: the contact's name and detail, and the number.
    await vw(callee, () => window.vw.part('history-button').click());
    await callee.waitForFunction(() => /Alice Liddell/.test(window.vw.part('history')?.textContent));
    assert.match(await partText(callee, 'history'), new RegExp(`Alice Liddell Wonderland Ltd ${callerUser}`));
    await vw(callee, () => window.vw.part('dialer-button').click());

    // The next call from the same number: the contact at once (remembered), the CRM not asked again.
    b = await logLength(callee);
    await watchIncoming(callee);
    assert.equal(await vw(caller, (u) => window.vw.el().call(u), calleeUser), true);
    screen = await incomingScreen(callee, b);
    assert.match(screen.text, /Alice Liddell/);
    assert.equal((await waitFor(callee, 'call-received', { from: b })).contact.name, 'Alice Liddell');
    assert.ok((await eventAt(callee, 'call-received', screen.id, b)) - screen.at < CRM_DELAY_MS / 2);
    assert.equal(await vw(callee, () => window.lookups.length), 1);
    await vw(callee, () => window.vw.el().reject());
    await waitFor(callee, 'call-ended', { from: b });
  } finally {
    for (const page of [caller, callee]) await vw(page, () => (window.vw.el().resolveContact = null));
  }
}

/** A hook that throws: the number, call-received at once with contact null. One that hangs: answered before its 2 s timeout, call-received (null) still first. */
export async function hookFailures(caller, callee, callerUser, calleeUser) {
  try {
    await setHook(callee, { [callerUser]: 'throw' });
    const c = await logLength(caller);
    let d = await logLength(callee);
    assert.equal(await vw(caller, (u) => window.vw.el().call(u), calleeUser), true);
    assert.equal((await waitFor(callee, 'call-received', { from: d })).contact, null);
    assert.match(await partText(callee, 'incoming'), new RegExp(callerUser, 'i'));
    await vw(callee, () => window.vw.el().answer());
    await waitFor(caller, 'state-change', { from: c, match: { state: 'in-progress' } });
    await vw(callee, () => window.vw.el().hangup());
    assert.equal((await waitFor(callee, 'call-ended', { from: d })).contact, null);

    await setHook(callee, { [callerUser]: 'hang' });
    d = await logLength(callee);
    assert.equal(await vw(caller, (u) => window.vw.el().call(u), calleeUser), true);
    await waitFor(callee, 'state-change', { from: d, match: { state: 'incoming' } });
    assert.equal(await vw(callee, () => window.vw.el().answer()), true, 'answered while the hook hangs');
    await waitFor(callee, 'call-started', { from: d });
    const order = await vw(
      callee,
      (f) =>
        window.vw.log
          .slice(f)
          .map((e) => e.type)
          .filter((t) => t === 'call-received' || t === 'call-started'),
      d,
    );
    assert.deepEqual(order, ['call-received', 'call-started']);
    assert.equal((await detailsSince(callee, 'call-received', d))[0].contact, null);
    await vw(callee, () => window.vw.el().hangup());
    await waitFor(callee, 'call-ended', { from: d });
  } finally {
    await vw(callee, () => (window.vw.el().resolveContact = null));
  }
}
