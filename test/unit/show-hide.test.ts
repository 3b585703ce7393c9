import { expect, fixture, html } from '@open-wc/testing';
import '../../src/define.js';
import type { VoiceWidget } from '../../src/element/voice-widget.js';
import { createVoiceWidget } from '../../src/embed/create.js';
import { connectWidgetFrame } from '../../src/bridge/host.js';
import { BRIDGE_PROTOCOL, BRIDGE_VERSION } from '../../src/bridge/protocol.js';

/** Records console.warn while `fn` runs. */
async function warnings(fn: () => unknown): Promise<string[]> {
  const seen: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => seen.push(args.map(String).join(' '));
  try {
    await fn();
  } finally {
    console.warn = original;
  }
  return seen;
}

/** A same-origin iframe running `script` as a module; resolves once it has loaded. */
async function frame(script: string): Promise<HTMLIFrameElement> {
  const iframe = document.createElement('iframe');
  iframe.srcdoc = `<!doctype html><body><script type="module">${script}</script></body>`;
  const loaded = new Promise((resolve) => iframe.addEventListener('load', resolve, { once: true }));
  document.body.append(iframe);
  await loaded;
  return iframe;
}

describe('open, show(), hide(), toggle()', () => {
  it('open is the reflected boolean; show(number), hide() and toggle() drive it', async () => {
    const el = await fixture<VoiceWidget>(html`<voice-widget></voice-widget>`);
    expect(el.show('123')).to.equal(true);
    await el.updateComplete;
    expect([el.open, el.hasAttribute('open')]).to.deep.equal([true, true]);
    expect((el.shadowRoot!.querySelector('[part~="number"]') as HTMLInputElement).value).to.equal('123');
    el.hide();
    await el.updateComplete;
    expect([el.open, el.hasAttribute('open')]).to.deep.equal([false, false]);
    el.toggle();
    expect(el.open).to.equal(true);
    el.toggle(true);
    expect(el.open).to.equal(true);
    el.toggle(false);
    expect(el.open).to.equal(false);
  });

  it('dialog mode: open set without a user gesture is blocked (popup-blocked) and turns back to false', async () => {
    const el = await fixture<VoiceWidget>(html`<voice-widget mode="dialog"></voice-widget>`);
    const errors: string[] = [];
    el.addEventListener('error', (e) => errors.push((e as CustomEvent<{ code: string }>).detail.code));
    // What a browser does with window.open outside a user gesture: returns null.
    const original = window.open;
    window.open = () => null;
    try {
      el.open = true;
      await el.updateComplete;
    } finally {
      window.open = original;
    }
    // Reported by the dialog chunk (a lazy import), once it has loaded.
    await import('../../src/element/backend/popup-backend.js');
    for (let i = 0; i < 50 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(errors).to.deep.equal(['popup-blocked']);
    expect([el.open, el.hasAttribute('open')]).to.deep.equal([false, false]);
  });

  it("the handle's open() and panelOpen still work, each with one console warning", async () => {
    const handle = createVoiceWidget({ container: document.body.appendChild(document.createElement('div')) });
    try {
      const seen = await warnings(() => {
        expect(handle.open('555')).to.equal(true);
        handle.open();
        expect(handle.panelOpen).to.equal(true);
        handle.panelOpen = false;
        expect(handle.element.open).to.equal(false);
        handle.element.panelOpen = true;
        expect(handle.element.open).to.equal(true);
      });
      expect(seen).to.have.length(2);
      expect(seen[0]).to.match(/open\(\) is deprecated.*show\(\)/);
      expect(seen[1]).to.match(/panelOpen is deprecated.*open/);
    } finally {
      handle.destroy();
    }
  });
});

describe('bridge protocol v1: show and hide with open and close as aliases', () => {
  it('a new host helper drives a frame that knows only open and close', async () => {
    // The frame of a version before show/hide: its command list had open and close, nothing else of these.
    const iframe = await frame(`
      const known = ['hello', 'open', 'close'];
      let open = false;
      addEventListener('message', (e) => {
        const m = e.data;
        if (e.source !== parent || m?.protocol !== '${BRIDGE_PROTOCOL}' || m.type !== 'command') return;
        const reply = (payload) => parent.postMessage({ protocol: m.protocol, version: m.version, type: 'response', requestId: m.requestId, name: m.name, payload }, e.origin);
        if (!known.includes(m.name)) return reply({ ok: false, error: { code: 'unknown-command', message: m.name } });
        if (m.name === 'hello') return reply({ ok: true, result: { version: 1, state: 'ready', registrationState: 'registered', ready: true, calls: [] } });
        open = m.name === 'open';
        reply({ ok: true, result: m.name === 'open' ? open : null });
      });`);
    const bridge = connectWidgetFrame(iframe, { origin: location.origin, timeout: 3000 });
    try {
      await bridge.ready;
      expect(await bridge.command('show')).to.equal(true);
      expect(await bridge.command('hide')).to.equal(null);
      expect(await bridge.command('open', '555')).to.equal(true);
      expect(await bridge.command('close')).to.equal(null);
    } finally {
      bridge.close();
      iframe.remove();
    }
  });

  it('a frame of this version takes open and close from an older host, and show and hide', async () => {
    const iframe = await frame(`
      import '/src/define.ts';
      const el = document.createElement('voice-widget');
      el.setAttribute('bridge-origins', parent.location.origin);
      document.body.append(el);
      window.el = el;`);
    const inner = iframe.contentWindow as Window & { el?: VoiceWidget };
    // The module may still be loading after the frame's load event.
    for (let i = 0; i < 100 && !inner.el?.hasUpdated; i++) await new Promise((r) => setTimeout(r, 20));
    const send = (name: string, args: unknown[] = []) =>
      new Promise<{ ok: boolean; result?: unknown }>((resolve) => {
        const requestId = `r-${name}-${Math.random().toString(36).slice(2)}`;
        const onMessage = (e: MessageEvent) => {
          if (e.source !== inner || e.data?.requestId !== requestId) return;
          removeEventListener('message', onMessage);
          resolve(e.data.payload);
        };
        addEventListener('message', onMessage);
        // Exactly what a host helper of the previous version sends.
        inner.postMessage({ protocol: BRIDGE_PROTOCOL, version: BRIDGE_VERSION, type: 'command', requestId, name, payload: { args } }, location.origin);
      });
    try {
      expect(await send('open', ['555'])).to.deep.equal({ ok: true, result: true });
      expect(inner.el!.open).to.equal(true);
      await inner.el!.updateComplete;
      expect((inner.el!.shadowRoot!.querySelector('[part~="number"]') as HTMLInputElement).value).to.equal('555');
      expect(await send('close')).to.deep.equal({ ok: true, result: null });
      expect(inner.el!.open).to.equal(false);
      expect(await send('show')).to.deep.equal({ ok: true, result: true });
      expect(inner.el!.open).to.equal(true);
      expect(await send('hide')).to.deep.equal({ ok: true, result: null });
      expect(inner.el!.open).to.equal(false);
    } finally {
      iframe.remove();
    }
  });
});
