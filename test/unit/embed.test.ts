import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/define.js';
import type { VoiceWidget } from '../../src/element/voice-widget.js';
import { createVoiceWidget, VoiceWidgetConfigError, type VoiceWidgetHandle } from '../../src/embed/create.js';
import { installScriptTag } from '../../src/embed/script-tag.js';
import { fakeToken, recordEvents } from './helpers.js';

const part = (el: VoiceWidget, name: string) => el.shadowRoot!.querySelector(`[part~="${name}"]`) as HTMLElement | null;
const nextTask = () => new Promise((r) => setTimeout(r, 0));

describe('createVoiceWidget', () => {
  const made: VoiceWidgetHandle[] = [];
  afterEach(() => {
    for (const h of made.splice(0)) h.destroy();
  });
  const create = (...args: Parameters<typeof createVoiceWidget>) => {
    const h = createVoiceWidget(...args);
    made.push(h);
    return h;
  };

  it('without a container, places a floating phone in the body with the configured properties', async () => {
    const token = fakeToken();
    const h = create({ token, server: 'ws://127.0.0.1:1', theme: 'dark', windowTitle: 'Sales', clickToCall: true, hideLogo: true, referPolicy: 'reject' });
    const el = h.element;
    expect(el.referPolicy).to.equal('reject');
    expect(el.parentElement).to.equal(document.body);
    expect(el.hasAttribute('floating')).to.equal(true);
    expect(el.token).to.equal(token);
    expect(el.sipServer).to.equal('ws://127.0.0.1:1');
    expect(el.clickToCall).to.equal(true);
    await el.updateComplete;
    expect(getComputedStyle(el).position).to.equal('fixed');
    expect(el.getAttribute('theme')).to.equal('dark');
    // The launcher sits at the bottom right of the window.
    const box = part(el, 'launcher')!.getBoundingClientRect();
    expect(Math.round(window.innerWidth - box.right)).to.equal(20);
    expect(Math.round(window.innerHeight - box.bottom)).to.equal(20);
  });

  it('places the phone in a container given as an element or an id (with or without #), not floating', async () => {
    const box = await fixture<HTMLDivElement>(html`<div id="phone-box"></div>`);
    const a = create({ container: box });
    expect(a.element.parentElement).to.equal(box);
    expect(a.element.hasAttribute('floating')).to.equal(false);
    const b = create({ container: 'phone-box', sipServer: 'ws://127.0.0.1:2' });
    const c = create({ container: '#phone-box' });
    expect(b.element.parentElement).to.equal(box);
    expect(c.element.parentElement).to.equal(box);
    expect(b.element.sipServer).to.equal('ws://127.0.0.1:2');
  });

  it('refuses what it cannot use with VoiceWidgetConfigError, placing nothing', () => {
    const before = document.querySelectorAll('voice-widget').length;
    const bad: unknown[] = [
      null,
      'token',
      [],
      { tokn: 'x' },
      { token: 42 },
      { hideLogo: 'yes' },
      { iceServers: { urls: 'stun:x' } },
      { container: 'no-such-element' },
      { container: 42 },
      { delegate: 'onReady' },
      { __proto__: { token: 'x' }, constructor: 1 },
    ];
    for (const config of bad) {
      expect(() => createVoiceWidget(config as never), JSON.stringify(config)).to.throw(VoiceWidgetConfigError);
    }
    expect(document.querySelectorAll('voice-widget').length).to.equal(before);
    const e = (() => {
      try {
        createVoiceWidget({ tokn: 'x' } as never);
      } catch (err) {
        return err as Error;
      }
    })()!;
    expect(e).to.be.instanceOf(TypeError);
    expect(e.name).to.equal('VoiceWidgetConfigError');
    expect(e.message).to.contain('unknown option "tokn"');
    // Misspelt delegate methods and event names would never fire: refused at once.
    expect(() => createVoiceWidget({ delegate: { onCallRecieved() {} } as never })).to.throw(VoiceWidgetConfigError, /onCallRecieved/);
    expect(document.querySelectorAll('voice-widget').length).to.equal(before);
    const h = create({ delegate: { onReady() {}, state: 1 } as never });
    expect(() => h.on('call-start' as never, () => {})).to.throw(VoiceWidgetConfigError, /no such event/);
  });

  it('calls the delegate for its events, and a handle offers the element methods, on/off, token and destroy', async () => {
    const calls: Array<[string, unknown]> = [];
    const delegate = {
      onLoad: (d: unknown) => calls.push(['onLoad', d]),
      onOpen: (d: unknown) => calls.push(['onOpen', d]),
      onClose: (d: unknown) => calls.push(['onClose', d]),
      onError: (d: unknown) => calls.push(['onError', d]),
    };
    const h = create({ delegate });
    const el = h.element;
    await oneEvent(el, 'widget-load');
    const seen: unknown[] = [];
    const onOpen = (d: unknown) => seen.push(d);
    h.on('panel-open', onOpen);
    expect(h.show()).to.equal(true);
    expect(el.open).to.equal(true);
    h.toggle(false);
    h.off('panel-open', onOpen);
    h.show();
    expect(h.call('not a number!')).to.equal(false);
    expect(h.getState()).to.equal('loading');
    expect(h.isReady()).to.equal(false);
    expect(calls.map(([m]) => m)).to.deep.equal(['onLoad', 'onOpen', 'onClose', 'onOpen', 'onError']);
    expect((calls[4][1] as { code: string }).code).to.equal('invalid-number');
    expect(seen.length).to.equal(1);
    // The far end's transfer requests are answered from the handle too (none waits here).
    const requested: unknown[] = [];
    h.on('transfer-requested', (d) => requested.push(d));
    expect([h.acceptTransfer(), h.declineTransfer()]).to.deep.equal([false, false]);
    expect(calls.slice(5).map(([, d]) => (d as { code: string }).code)).to.deep.equal(['no-call', 'no-call']);
    calls.length = 5;
    const token = fakeToken();
    h.token = token;
    expect(el.token).to.equal(token);
    expect(h.token).to.equal(token);

    h.destroy();
    h.destroy();
    expect(el.isConnected).to.equal(false);
    el.dispatchEvent(new CustomEvent('panel-open', { detail: {} }));
    expect(calls.length).to.equal(5);
  });
});

describe('lifecycle events', () => {
  it('widget-load once after the first render; panel-open/close for the user and for show()/hide()/toggle(), not for the open attribute', async () => {
    const box = document.createElement('div');
    document.body.append(box);
    const el = document.createElement('voice-widget');
    const log = recordEvents(el, ['widget-load', 'panel-open', 'panel-close']);
    const t0 = Date.now();
    box.append(el);
    const load = await oneEvent(el, 'widget-load');
    expect(load.bubbles && load.composed).to.equal(true);
    expect(load.detail.createdAt).to.be.within(t0, Date.now());
    expect(load.detail.sessionId).to.match(/^[0-9a-f-]{32,36}$/);
    expect(part(el, 'launcher')).to.exist;

    part(el, 'launcher')!.click();
    await el.updateComplete;
    part(el, 'close-button')!.click();
    await el.updateComplete;
    el.setAttribute('open', '');
    await el.updateComplete;
    el.removeAttribute('open');
    await el.updateComplete;
    el.show('123');
    el.show('456');
    el.toggle();
    // Moving the element re-renders nothing new: no second widget-load.
    document.body.append(el);
    await el.updateComplete;
    expect(log.map((e) => e.type)).to.deep.equal(['widget-load', 'panel-open', 'panel-close', 'panel-open', 'panel-close']);
    const ids = new Set(log.map((e) => (e.detail as { sessionId: string }).sessionId));
    expect(ids.size).to.equal(1);
    el.remove();
    box.remove();
  });

  it('before-connect fires with the URL just before the WebSocket is made, and again for each reconnection', async () => {
    const made: number[] = [];
    const Native = window.WebSocket;
    const seen: Array<{ at: number; url: string; attempt: number; createdAt: number }> = [];
    window.WebSocket = class extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        made.push(performance.now());
        super(url, protocols);
      }
    };
    try {
      const el = document.createElement('voice-widget');
      el.addEventListener('before-connect', (e) => seen.push({ at: performance.now(), ...e.detail }));
      el.token = fakeToken();
      el.sipServer = 'ws://127.0.0.1:9';
      document.body.append(el);
      // Port 9 refuses at once; JsSIP comes back after 1–4 s.
      for (let i = 0; i < 100 && seen.length < 2; i++) await new Promise((r) => setTimeout(r, 100));
      el.remove();
      expect(seen.length).to.be.at.least(2);
      expect(seen[0].url).to.equal('ws://127.0.0.1:9');
      expect(seen[0].attempt).to.equal(0);
      expect(seen[1].attempt).to.be.at.least(1);
      expect(made.length).to.be.at.least(2);
      expect(seen[0].at).to.be.at.most(made[0]);
      expect(seen[1].at).to.be.at.most(made[1]);
      expect(made[0] - seen[0].at).to.be.below(50);
    } finally {
      window.WebSocket = Native;
    }
  });
});

/** Click-to-call is a lazy chunk (a dynamic import here): in use once it has loaded. */
const clickToCallLoaded = () => import('../../src/element/click-to-call.js').then(() => new Promise((r) => setTimeout(r, 0)));

describe('click-to-call', () => {
  it('tel: links and [data-phone] elements (also added later, also in open shadow roots) put the number in the phone; the link does not navigate', async () => {
    const page = await fixture<HTMLDivElement>(html`<div>
      <a id="tel" href="tel:+1%20(555)%20010-0100;ext=7">call</a>
      <span id="other"><a href="https://example.com/">not a phone</a></span>
    </div>`);
    const el = await fixture<VoiceWidget>(html`<voice-widget click-to-call></voice-widget>`);
    await clickToCallLoaded();
    let prevented: boolean | null = null;
    const watch = (e: Event) => {
      prevented = e.defaultPrevented;
      e.preventDefault(); // Never let a test navigate.
    };
    page.addEventListener('click', watch);
    const errors = recordEvents(el, ['error']);

    page.querySelector<HTMLAnchorElement>('#tel')!.click();
    await el.updateComplete;
    // Not registered: the number waits in the open dialler.
    expect(prevented).to.equal(true);
    expect(el.open).to.equal(true);
    expect((part(el, 'number') as HTMLInputElement).value).to.equal('+1 (555) 010-0100');
    expect(errors.map((e) => (e.detail as { code: string }).code)).to.deep.equal(['not-ready']);

    // Added after the widget, and a child of the marked element.
    const later = document.createElement('button');
    later.dataset.phone = 'bob';
    later.innerHTML = '<b>Bob</b>';
    page.append(later);
    later.querySelector('b')!.click();
    await el.updateComplete;
    expect((part(el, 'number') as HTMLInputElement).value).to.equal('bob');

    // Inside a component's open shadow root.
    const host = document.createElement('div');
    host.attachShadow({ mode: 'open' }).innerHTML = '<a href="tel:600">600</a>';
    page.append(host);
    host.shadowRoot!.querySelector('a')!.click();
    await el.updateComplete;
    expect((part(el, 'number') as HTMLInputElement).value).to.equal('600');

    // Not a phone link; a ctrl-click is left to the browser.
    prevented = null;
    page.querySelector<HTMLAnchorElement>('#other a')!.click();
    expect(prevented).to.equal(false);
    page.querySelector<HTMLAnchorElement>('#tel')!.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, ctrlKey: true }));
    expect(prevented).to.equal(false);
    page.removeEventListener('click', watch);
  });

  it('a control inside a [data-phone] row keeps its own click (a checkbox, an Edit button, a link); data-no-click-to-call opts out', async () => {
    const row = await fixture<HTMLDivElement>(html`<div>
      <div id="row" data-phone="bob">
        <span id="name">Bob</span>
        <input id="pick" type="checkbox" />
        <button id="edit" type="button">Edit</button>
        <a id="profile" href="#profile">profile</a>
      </div>
      <div data-no-click-to-call><a id="quiet" href="tel:300">300</a></div>
    </div>`);
    const el = await fixture<VoiceWidget>(html`<voice-widget click-to-call></voice-widget>`);
    await clickToCallLoaded();
    const box = row.querySelector<HTMLInputElement>('#pick')!;
    box.click();
    expect(box.checked, 'the checkbox toggled').to.equal(true);
    for (const id of ['#edit', '#profile', '#quiet']) {
      let prevented: boolean | null = null;
      const watch = (e: Event) => {
        prevented = e.defaultPrevented;
        e.preventDefault();
      };
      row.addEventListener('click', watch);
      row.querySelector<HTMLElement>(id)!.click();
      row.removeEventListener('click', watch);
      expect(prevented, id).to.equal(false);
    }
    expect(el.open).to.equal(false);
    // The row itself (not a control in it) still calls.
    row.querySelector<HTMLElement>('#name')!.click();
    await el.updateComplete;
    expect((part(el, 'number') as HTMLInputElement).value).to.equal('bob');
  });

  it('does nothing while off, and stops when the attribute goes or the widget leaves the page', async () => {
    const link = await fixture<HTMLAnchorElement>(html`<a href="tel:100">100</a>`);
    const el = await fixture<VoiceWidget>(html`<voice-widget></voice-widget>`);
    let prevented: boolean | null = null;
    const watch = (e: Event) => {
      prevented = e.defaultPrevented;
      e.preventDefault();
    };
    link.addEventListener('click', watch);
    link.click();
    expect(prevented).to.equal(false);
    el.clickToCall = true;
    await el.updateComplete;
    await clickToCallLoaded();
    link.click();
    expect(prevented).to.equal(true);
    el.clickToCall = false;
    await el.updateComplete;
    link.click();
    expect(prevented).to.equal(false);
    el.clickToCall = true;
    await el.updateComplete;
    el.remove();
    link.click();
    expect(prevented).to.equal(false);
  });

  it('an invalid number in a link gives invalid-number and is shown, not dialled', async () => {
    const link = await fixture<HTMLAnchorElement>(html`<a href="tel:%E0%A4%A">bad</a><span data-phone="call me!">x</span>`);
    const el = await fixture<VoiceWidget>(html`<voice-widget click-to-call></voice-widget>`);
    await clickToCallLoaded();
    const errors = recordEvents(el, ['error']);
    const watch = (e: Event) => e.preventDefault();
    document.addEventListener('click', watch);
    link.click(); // A malformed escape: not read as a number, left alone.
    expect(el.open).to.equal(false);
    (link.nextElementSibling as HTMLElement).click();
    await el.updateComplete;
    document.removeEventListener('click', watch);
    expect(errors.map((e) => (e.detail as { code: string }).code)).to.deep.equal(['invalid-number']);
    expect((part(el, 'number') as HTMLInputElement).value).to.equal('call me!');
  });
});

describe('script tag', () => {
  let saved: unknown;
  beforeEach(() => {
    saved = window.VoiceWidget;
    delete window.VoiceWidget;
  });
  afterEach(() => {
    for (const el of document.querySelectorAll('voice-widget[floating]')) el.remove();
    window.VoiceWidget = saved as never;
  });

  it('the loader snippet queues create() and the calls on its handle, replays them in order once loaded, then forwards', async () => {
    const source = await (await fetch('/src/embed/loader-snippet.js')).text();
    new Function(source)();
    const stub = (window.VoiceWidget as unknown as { create: typeof createVoiceWidget }).create({ windowTitle: 'Early' });
    const token = fakeToken();
    let closes = 0;
    stub.token = token;
    stub.show('555');
    stub.on('panel-close', () => closes++);
    expect(document.querySelector('voice-widget[floating]')).to.equal(null);

    installScriptTag(null);
    const el = document.querySelector<VoiceWidget>('voice-widget[floating]')!;
    expect(el).to.exist;
    expect(el.windowTitle).to.equal('Early');
    expect(el.token).to.equal(token);
    expect(el.open).to.equal(true);
    await el.updateComplete;
    expect((part(el, 'number') as HTMLInputElement).value).to.equal('555');
    // After loading, the stand-in is the handle.
    expect(stub.getState()).to.equal('loading');
    expect(stub.element).to.equal(el);
    stub.toggle(false);
    expect(closes).to.equal(1);
    expect(typeof (window.VoiceWidget as { create: unknown }).create).to.equal('function');
    stub.destroy();
  });

  it('an async script that runs while the page is still parsing waits for it before placing queued widgets', async () => {
    const source = await (await fetch('/src/embed/loader-snippet.js')).text();
    new Function(source)();
    const stub = (window.VoiceWidget as unknown as { create: typeof createVoiceWidget }).create({ container: 'later-slot' });
    // Symbols (console.log, template strings) are not queued as calls; methods chain as after loading.
    expect((stub as unknown as Record<symbol, unknown>)[Symbol.toPrimitive]).to.equal(undefined);
    expect(stub.on('ready', () => {})).to.equal(stub);
    const state = Object.getOwnPropertyDescriptor(Document.prototype, 'readyState')!;
    Object.defineProperty(document, 'readyState', { configurable: true, get: () => 'loading' });
    try {
      installScriptTag(null);
    } finally {
      delete (document as { readyState?: unknown }).readyState;
      expect(Object.getOwnPropertyDescriptor(Document.prototype, 'readyState')).to.deep.equal(state);
    }
    const slot = document.createElement('div');
    slot.id = 'later-slot';
    document.body.append(slot);
    expect(slot.querySelector('voice-widget'), 'nothing yet').to.equal(null);
    document.dispatchEvent(new Event('DOMContentLoaded'));
    expect(slot.querySelector('voice-widget')).to.exist;
    stub.destroy();
    slot.remove();
  });

  it('data-token and data-sip-server place a floating phone configured from the tag; without them nothing is placed', async () => {
    const plain = document.createElement('script');
    installScriptTag(plain);
    await nextTask();
    expect(document.querySelector('voice-widget[floating]')).to.equal(null);
    expect((window.VoiceWidget as { embedded: unknown }).embedded).to.equal(null);

    const token = fakeToken();
    const tag = document.createElement('script');
    tag.dataset.token = token;
    tag.dataset.sipServer = 'ws://127.0.0.1:1';
    tag.setAttribute('data-theme', 'dark');
    tag.setAttribute('data-click-to-call', '');
    tag.setAttribute('data-onload', 'alert(1)');
    installScriptTag(tag);
    const el = document.querySelector<VoiceWidget>('voice-widget[floating]')!;
    expect(el.getAttribute('token')).to.equal(token);
    expect(el.getAttribute('sip-server')).to.equal('ws://127.0.0.1:1');
    await el.updateComplete;
    expect(el.theme).to.equal('dark');
    expect(el.clickToCall).to.equal(true);
    expect(el.hasAttribute('onload')).to.equal(false);
    expect((window.VoiceWidget as { embedded: VoiceWidgetHandle }).embedded.element).to.equal(el);
  });
});
