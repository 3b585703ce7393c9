import { expect, fixture, html } from '@open-wc/testing';
import '../../src/define.js';
import type { VoiceWidget } from '../../src/element/voice-widget.js';
import { FIRST_RENDER_WAIT_MS } from '../../src/element/first-render.js';
import { fakeToken, recordEvents } from './helpers.js';

/**
 * The startup order (src/element/first-render.ts): the attributes are checked
 * before the phone goes on the network, and the first full render waits,
 * briefly, for the first registration instead of holding up the socket.
 */
const RealWebSocket = window.WebSocket;

/** A WebSocket that records its creation (and whether the launcher was rendered then) and never opens. */
function fakeSockets() {
  const made: Array<{ url: string; launcherThen: boolean }> = [];
  class SilentSocket extends EventTarget {
    readyState = 0;
    binaryType = 'blob';
    onopen = null;
    onclose = null;
    onmessage = null;
    onerror = null;
    constructor(readonly url: string) {
      super();
      const el = document.querySelector('voice-widget');
      made.push({ url, launcherThen: !!el?.shadowRoot?.querySelector('[part~="launcher"]') });
    }
    send(): void {}
    close(): void {
      this.readyState = 3;
    }
  }
  window.WebSocket = SilentSocket as unknown as typeof WebSocket;
  return made;
}

describe('startup order', () => {
  afterEach(() => {
    window.WebSocket = RealWebSocket;
  });

  it('a bad attribute never reaches the network: no WebSocket until it is fixed', async () => {
    const made = fakeSockets();
    const el = await fixture<VoiceWidget>(
      html`<voice-widget multi-tab="off" ice-servers="[1]" sip-server="ws://127.0.0.1:9/ws" .token=${fakeToken()}></voice-widget>`,
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(el.getState()).to.equal('error');
    expect(made).to.deep.equal([]);
    el.setAttribute('ice-servers', '[{"urls":"stun:127.0.0.1:3478"}]');
    await el.updateComplete;
    expect(made.map((m) => m.url)).to.deep.equal(['ws://127.0.0.1:9/ws']);
    el.remove();
  });

  it('a bad sip-server with a token set never reaches the network', async () => {
    const made = fakeSockets();
    const el = await fixture<VoiceWidget>(html`<voice-widget multi-tab="off" sip-server="wss://" .token=${fakeToken()}></voice-widget>`);
    await new Promise((r) => setTimeout(r, 50));
    expect(el.getState()).to.equal('error');
    expect(made).to.deep.equal([]);
    el.remove();
  });

  it('the socket comes first, the full render after the first registration (at most the wait), and updateComplete covers it', async () => {
    const made = fakeSockets();
    const el = document.createElement('voice-widget');
    const log = recordEvents(el, ['widget-load']);
    // A phone of this tab's own: a shared one (the default) first waits for the tabs' election.
    el.setAttribute('multi-tab', 'off');
    el.setAttribute('sip-server', 'ws://127.0.0.1:9/ws');
    el.token = fakeToken();
    const start = performance.now();
    document.body.append(el);
    try {
      await el.updateComplete;
      const waited = performance.now() - start;
      expect(made.length).to.equal(1);
      expect(made[0]!.launcherThen, 'no launcher rendered before the socket').to.equal(false);
      // The socket never opens here: the render waited for the cap, not longer.
      expect(el.registrationState).to.equal('connecting');
      expect(waited).to.be.at.least(FIRST_RENDER_WAIT_MS - 5);
      expect(el.shadowRoot!.querySelector('[part~="launcher"]')).to.exist;
      expect(log.map((e) => e.type)).to.deep.equal(['widget-load']);
    } finally {
      el.remove();
    }
  });

  it('without a token nothing waits: the launcher renders in the first update', async () => {
    const el = document.createElement('voice-widget');
    const log = recordEvents(el, ['widget-load']);
    document.body.append(el);
    try {
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('[part~="launcher"]')).to.exist;
      expect(log.length).to.equal(1);
    } finally {
      el.remove();
    }
  });
});
