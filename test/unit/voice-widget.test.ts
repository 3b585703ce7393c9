import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../src/define.js';
import type { VoiceWidget } from '../../src/element/voice-widget.js';
import { fakeToken, recordEvents } from './helpers.js';

/** multi-tab="shared" (the default): the phone connects once this tab leads (the `tabs` chunk loaded, the lock held). */
const connecting = (el: VoiceWidget) => waitUntil(() => el.registrationState !== 'unregistered', 'the phone connects once this tab leads', { timeout: 5000 });

const part = (el: VoiceWidget, name: string) => el.shadowRoot!.querySelector(`[part~="${name}"]`) as HTMLElement | null;

describe('<voice-widget>', () => {
  it('renders a launcher and, when open, a panel with number field, dial pad, call button and status', async () => {
    const el = await fixture<VoiceWidget>(html`<voice-widget></voice-widget>`);
    expect(part(el, 'launcher')).to.exist;
    expect(part(el, 'panel')!.hidden).to.equal(true);
    part(el, 'launcher')!.click();
    await el.updateComplete;
    expect(el.open).to.equal(true);
    expect(el.hasAttribute('open')).to.equal(true);
    expect(part(el, 'panel')!.hidden).to.equal(false);
    for (const name of ['header', 'logo', 'status', 'number', 'dialpad', 'call-button']) expect(part(el, name), name).to.exist;
    expect((part(el, 'call-button') as HTMLButtonElement).disabled).to.equal(true);
  });

  it('starts in loading, not ready, and reflects state for styling', async () => {
    const el = await fixture<VoiceWidget>(html`<voice-widget open></voice-widget>`);
    expect(el.getState()).to.equal('loading');
    expect(el.isReady()).to.equal(false);
    expect(el.registrationState).to.equal('unregistered');
    expect(el.getAttribute('state')).to.equal('loading');
  });

  it('dial pad keys type into the number field', async () => {
    const el = await fixture<VoiceWidget>(html`<voice-widget open></voice-widget>`);
    const pad = part(el, 'dialpad')!;
    await (pad as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    const keys = pad.shadowRoot!.querySelectorAll('button');
    (keys[0] as HTMLButtonElement).click();
    (keys[11] as HTMLButtonElement).click();
    await el.updateComplete;
    expect((part(el, 'number') as HTMLInputElement).value).to.equal('1#');
  });

  it('call() refuses an invalid number with invalid-number, puts nothing on the wire, and the error does not bubble', async () => {
    const el = await fixture<VoiceWidget>(html`<voice-widget></voice-widget>`);
    let bubbled = 0;
    const onDoc = () => bubbled++;
    document.addEventListener('error', onDoc);
    try {
      setTimeout(() => expect(el.call('not a number!')).to.equal(false));
      const ev = await oneEvent(el, 'error');
      expect(ev.detail.code).to.equal('invalid-number');
      expect(ev.bubbles).to.equal(false);
      expect(bubbled).to.equal(0);
      expect(el.getState()).to.equal('loading');
    } finally {
      document.removeEventListener('error', onDoc);
    }
  });

  it('call() returns false with not-ready before registration', async () => {
    const el = await fixture<VoiceWidget>(html`<voice-widget></voice-widget>`);
    const log = recordEvents(el, ['error', 'state-change', 'call-started']);
    expect(el.call('+15550100')).to.equal(false);
    expect(log).to.deep.equal([{ type: 'error', detail: { code: 'not-ready', message: 'the phone is not ready (loading)' } }]);
  });

  it('a bad sip-server attribute gives invalid-server and the error state', async () => {
    const el = await fixture<VoiceWidget>(html`<voice-widget></voice-widget>`);
    const log = recordEvents(el, ['error', 'state-change']);
    el.setAttribute('token', fakeToken());
    el.setAttribute('sip-server', 'http://example.test/ws');
    await el.updateComplete;
    expect(log.find((e) => e.type === 'error')!.detail).to.include({ code: 'invalid-server' });
    expect(el.getState()).to.equal('error');
    expect(log.filter((e) => e.type === 'state-change').map((e) => e.detail)).to.deep.include({ id: null, state: 'error', previous: 'loading' });
  });

  it('a malformed token gives invalid-token', async () => {
    const el = await fixture<VoiceWidget>(html`<voice-widget sip-server="ws://127.0.0.1:9/ws"></voice-widget>`);
    const log = recordEvents(el, ['error']);
    el.token = 'not-a-token';
    await el.updateComplete;
    expect(log[0].detail).to.include({ code: 'invalid-token' });
    expect(el.getState()).to.equal('error');
  });

  it('bad ice-servers JSON gives invalid-attribute', async () => {
    const el = await fixture<VoiceWidget>(html`<voice-widget></voice-widget>`);
    const log = recordEvents(el, ['error']);
    el.setAttribute('ice-servers', '{not json');
    await el.updateComplete;
    expect(log[0].detail).to.include({ code: 'invalid-attribute' });
  });

  it('after a bad attribute, good ones clear the error and it starts connecting', async () => {
    const el = await fixture<VoiceWidget>(html`<voice-widget sip-server="bad"></voice-widget>`);
    expect(el.getState()).to.equal('error');
    const log = recordEvents(el, ['registration-change']);
    el.token = fakeToken();
    el.sipServer = 'ws://127.0.0.1:9/ws';
    await el.updateComplete;
    expect(el.getState()).to.equal('loading');
    await connecting(el);
    // The refused socket (port 9) may already have moved it on to reconnecting.
    expect(log[0].detail).to.deep.equal({ state: 'connecting', previous: 'unregistered', cause: null });
    expect(el.registrationState).to.be.oneOf(['connecting', 'reconnecting']);
    el.remove();
  });

  it('a bad attribute does not lose the good ones set with it', async () => {
    const el = await fixture<VoiceWidget>(html`<voice-widget sip-server="not a url" .token=${fakeToken()}></voice-widget>`);
    expect(el.getState()).to.equal('error');
    expect(el.registrationState).to.equal('unregistered');
    el.sipServer = 'ws://127.0.0.1:9/ws';
    await el.updateComplete;
    expect(el.getState()).to.equal('loading');
    await connecting(el);
    el.remove();
  });

  it('a bad ice-servers value keeps the phone in error until it is fixed, without losing the token', async () => {
    const el = await fixture<VoiceWidget>(html`<voice-widget ice-servers="[1]" sip-server="ws://127.0.0.1:9/ws" .token=${fakeToken()}></voice-widget>`);
    expect(el.getState()).to.equal('error');
    el.setAttribute('ice-servers', '[{"urls":"stun:127.0.0.1:3478"}]');
    await el.updateComplete;
    expect(el.getState()).to.equal('loading');
    await connecting(el);
    el.remove();
  });

  it('a widget out of the page stays off the network, even when given a token', async () => {
    const el = await fixture<VoiceWidget>(html`<voice-widget sip-server="ws://127.0.0.1:9/ws"></voice-widget>`);
    const parent = el.parentElement!;
    el.remove();
    await new Promise((r) => setTimeout(r, 20));
    el.token = fakeToken();
    await el.updateComplete;
    expect(el.registrationState).to.equal('unregistered');
    parent.append(el);
    await el.updateComplete;
    await connecting(el);
    el.remove();
  });

  it('removing the token cancels its expiry: no token-expired for a token no longer set', async () => {
    const now = Math.floor(Date.now() / 1000);
    const el = await fixture<VoiceWidget>(html`<voice-widget sip-server="ws://127.0.0.1:9/ws" .token=${fakeToken({ iat: now, exp: now + 1 })}></voice-widget>`);
    const log = recordEvents(el, ['token-expired']);
    el.token = null;
    await el.updateComplete;
    await new Promise((r) => setTimeout(r, 1300));
    expect(log).to.deep.equal([]);
    el.remove();
  });

  it('sendDtmf/answer/hangup without a call say no-call; bad digits say invalid-dtmf', async () => {
    const el = await fixture<VoiceWidget>(html`<voice-widget></voice-widget>`);
    const log = recordEvents(el, ['error']);
    expect(el.answer()).to.equal(false);
    expect(el.hangup()).to.equal(false);
    expect(el.sendDtmf('x')).to.equal(false);
    expect(el.sendDtmf('1')).to.equal(false);
    expect(el.mute()).to.equal(false);
    expect(el.isMuted()).to.equal(false);
    expect(log.map((e) => (e.detail as { code: string }).code)).to.deep.equal(['no-call', 'no-call', 'invalid-dtmf', 'no-call', 'no-call']);
  });

  it('voice processing attributes other than on/off give invalid-attribute and fall back to on', async () => {
    const el = await fixture<VoiceWidget>(html`<voice-widget></voice-widget>`);
    const log = recordEvents(el, ['error']);
    el.setAttribute('noise-suppression', 'loud');
    el.setAttribute('echo-cancellation', 'off');
    await el.updateComplete;
    expect(log.map((e) => (e.detail as { code: string }).code)).to.deep.equal(['invalid-attribute']);
    expect([el.noiseSuppression, el.echoCancellation, el.autoGainControl]).to.deep.equal(['on', 'off', 'on']);
  });

  it('unknown mode and dtmf-mode values give invalid-attribute and fall back to the defaults', async () => {
    const el = await fixture<VoiceWidget>(html`<voice-widget></voice-widget>`);
    const log = recordEvents(el, ['error']);
    el.setAttribute('mode', 'fullscreen');
    el.setAttribute('dtmf-mode', 'inband');
    await el.updateComplete;
    expect(log.map((e) => (e.detail as { code: string }).code)).to.deep.equal(['invalid-attribute', 'invalid-attribute']);
    expect(el.mode).to.equal('spa');
    expect(el.dtmfMode).to.equal('info');
    el.setAttribute('mode', 'dialog');
    el.setAttribute('busy-policy', 'reject');
    await el.updateComplete;
    expect(el.mode).to.equal('dialog');
    expect(el.busyPolicy).to.equal('reject');
    el.removeAttribute('busy-policy');
    el.removeAttribute('dtmf-mode');
    await el.updateComplete;
    expect(el.busyPolicy).to.equal('wait');
    expect(el.dtmfMode).to.equal('info');
    expect(log.length).to.equal(2);
  });

  it('removed from the page it stops; put back, it starts again with the same attributes', async () => {
    const el = await fixture<VoiceWidget>(html`<voice-widget sip-server="ws://127.0.0.1:9/ws" .token=${fakeToken()}></voice-widget>`);
    await connecting(el);
    const parent = el.parentElement!;
    el.remove();
    await new Promise((r) => setTimeout(r, 20));
    expect(el.registrationState).to.equal('unregistered');
    parent.append(el);
    await el.updateComplete;
    await connecting(el);
    el.remove();
  });

  it('a synchronous move in the DOM does not restart the phone', async () => {
    const el = await fixture<VoiceWidget>(html`<voice-widget sip-server="ws://127.0.0.1:9/ws" .token=${fakeToken()}></voice-widget>`);
    await connecting(el);
    const log = recordEvents(el, ['registration-change']);
    const other = document.createElement('div');
    document.body.append(other);
    other.append(el);
    await new Promise((r) => setTimeout(r, 20));
    // A restart would go through unregistered and connecting again (the refused port's retry says reconnecting).
    const states = log.map((e) => (e.detail as { state: string }).state);
    expect(states.filter((s) => s !== 'reconnecting')).to.deep.equal([]);
    other.remove();
  });

  it('toggle() opens and closes the panel', async () => {
    const el = await fixture<VoiceWidget>(html`<voice-widget></voice-widget>`);
    el.toggle();
    await el.updateComplete;
    expect(el.open).to.equal(true);
    el.toggle();
    await el.updateComplete;
    expect(el.open).to.equal(false);
  });

  it('speaks Spanish with lang="es", takes the page language otherwise, and any word can be replaced', async () => {
    const el = await fixture<VoiceWidget>(html`<voice-widget open lang="es"></voice-widget>`);
    expect(part(el, 'call-button')!.getAttribute('aria-label')).to.equal('Llamar');
    expect(part(el, 'header')!.textContent).to.contain('Teléfono');
    expect(part(el, 'status')!.textContent).to.contain('Desconectado');
    expect((part(el, 'number') as HTMLInputElement).placeholder).to.equal('Escriba un número');
    el.strings = { call: 'Marcar', registration: { connecting: '…', registered: 'Listo', reconnecting: '…', unregistered: 'Apagado', failed: '×' } };
    await el.updateComplete;
    expect(part(el, 'call-button')!.getAttribute('aria-label')).to.equal('Marcar');
    expect(part(el, 'status')!.textContent).to.contain('Apagado');
    await expect(el).to.be.accessible();
    document.documentElement.lang = 'es-MX';
    try {
      const page = await fixture<VoiceWidget>(html`<voice-widget open></voice-widget>`);
      expect(part(page, 'call-button')!.getAttribute('aria-label')).to.equal('Llamar');
    } finally {
      document.documentElement.lang = '';
    }
  });

  it('lays out right to left with dir="rtl" and stays accessible', async () => {
    const el = await fixture<VoiceWidget>(html`<div dir="rtl"><voice-widget open lang="es"></voice-widget></div>`);
    const widget = el.querySelector('voice-widget')!;
    await widget.updateComplete;
    const header = widget.shadowRoot!.querySelector('[part~="header"]')!;
    const title = header.querySelector('.title')!.getBoundingClientRect();
    const close = header.querySelector('[aria-label="Cerrar teléfono"]')!.getBoundingClientRect();
    expect(close.right).to.be.lessThan(title.left + 1, 'the close button sits at the left in RTL');
    await expect(widget).to.be.accessible();
  });

  it('passes an accessibility audit, closed, open, and showing recent calls', async () => {
    const el = await fixture<VoiceWidget>(html`<voice-widget></voice-widget>`);
    await expect(el).to.be.accessible();
    el.open = true;
    await el.updateComplete;
    await expect(el).to.be.accessible();
    // Recent calls belong to a user: the tab waits for a token that says who.
    expect((part(el, 'history-button') as HTMLButtonElement).disabled).to.equal(true);
    // A user of its own: other test files (same origin, same storage) keep calls for alice.
    el.token = fakeToken({ sub: 'history-audit' });
    await el.updateComplete;
    part(el, 'history-button')!.click();
    await el.updateComplete;
    expect(part(el, 'history')!.textContent).to.contain('No recent calls');
    await expect(el).to.be.accessible();
  });

  it('registration is guarded: defining again, or loading the script-tag build too, does not throw', async () => {
    await import('../../src/define.js?again' as string).catch(() => import('../../src/define.js'));
    const script = document.createElement('script');
    script.src = new URL('../../dist/voice-widget.min.js', import.meta.url).href;
    const errors: string[] = [];
    const onError = (e: ErrorEvent) => errors.push(e.message);
    window.addEventListener('error', onError);
    const loaded = new Promise((resolve, reject) => {
      script.onload = resolve;
      script.onerror = reject;
    });
    document.head.append(script);
    await loaded;
    window.removeEventListener('error', onError);
    expect(errors).to.deep.equal([]);
    expect(customElements.get('voice-widget')).to.exist;
  });
});
