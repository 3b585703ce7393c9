import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import '../../src/define.js';
import { dark, light } from '../../src/element/palettes.js';
import type { VoiceWidget } from '../../src/element/voice-widget.js';
import { fakeToken, recordEvents } from './helpers.js';

const part = (el: VoiceWidget, name: string) => el.shadowRoot!.querySelector(`[part~="${name}"]`) as HTMLElement | null;
const bg = (node: Element) => getComputedStyle(node).backgroundColor;

/** A CSS colour as the browser computes it. */
function rgb(color: string): string {
  const probe = document.createElement('i');
  probe.style.color = color;
  document.body.append(probe);
  const value = getComputedStyle(probe).color;
  probe.remove();
  return value;
}

describe('theme attribute', () => {
  afterEach(() => emulateMedia({ colorScheme: 'light' }));

  it('light by default, dark on request, auto following the system; a wrong value is refused with the default kept', async () => {
    const el = await fixture<VoiceWidget>(html`<voice-widget open></voice-widget>`);
    expect(bg(part(el, 'panel')!)).to.equal(rgb(light['bg-background']));
    el.theme = 'dark';
    await el.updateComplete;
    expect(el.getAttribute('theme')).to.equal('dark');
    expect(bg(part(el, 'panel')!)).to.equal(rgb(dark['bg-background']));

    el.setAttribute('theme', 'auto');
    await el.updateComplete;
    expect(bg(part(el, 'panel')!)).to.equal(rgb(light['bg-background']));
    await emulateMedia({ colorScheme: 'dark' });
    expect(bg(part(el, 'panel')!)).to.equal(rgb(dark['bg-background']));

    const log = recordEvents(el, ['error']);
    el.setAttribute('theme', 'purple');
    await el.updateComplete;
    expect(log.map((e) => (e.detail as { code: string }).code)).to.deep.equal(['invalid-attribute']);
    expect(el.theme).to.equal('light');
    expect(bg(part(el, 'panel')!)).to.equal(rgb(light['bg-background']));
  });

  it('variables set by the host page on the element win over the theme', async () => {
    const wrapper = await fixture(html`<div>
      <style>
        voice-widget.branded {
          --bg-background: rgb(1, 2, 3);
          --widget-width: 300px;
        }
      </style>
      <voice-widget class="branded" theme="dark" open></voice-widget>
    </div>`);
    const el = wrapper.querySelector('voice-widget')!;
    await el.updateComplete;
    expect(bg(part(el, 'panel')!)).to.equal('rgb(1, 2, 3)');
    expect(part(el, 'panel')!.getBoundingClientRect().width).to.equal(300);
    // Unset variables still come from the theme.
    expect(bg(part(el, 'header')!)).to.equal(rgb(dark['bg-header']));
  });
});

describe('custom-styles', () => {
  it('loads a stylesheet into the shadow root: variables and parts', async () => {
    const el = await fixture<VoiceWidget>(html`<voice-widget open custom-styles="/test/unit/fixtures/parts.css"></voice-widget>`);
    await oneEvent(el.shadowRoot!.querySelector('link')!, 'load');
    expect(bg(part(el, 'launcher')!)).to.equal('rgb(11, 92, 255)');
    expect(getComputedStyle(part(el, 'panel')!).borderTopLeftRadius).to.equal('3px');
  });

  it('a Wavix theme file (variables under #webrtc-widget) works unchanged', async () => {
    const el = await fixture<VoiceWidget>(html`<voice-widget open custom-styles="/test/e2e/pages/wavix-dark.css"></voice-widget>`);
    // A relative URL resolves against the page.
    expect(el.shadowRoot!.querySelector('link')!.href).to.equal(new URL('/test/e2e/pages/wavix-dark.css', document.baseURI).href);
    await oneEvent(el.shadowRoot!.querySelector('link')!, 'load');
    expect(bg(part(el, 'panel')!)).to.equal(rgb('#292d33'));
    expect(bg(part(el, 'status')!)).to.equal(rgb('#333842'));
    expect(getComputedStyle(part(el, 'logo')!).color).to.equal(rgb('#fff'));
  });

  it('a stylesheet that fails to load leaves the widget as it was and fires warning styles-failed', async () => {
    const el = await fixture<VoiceWidget>(html`<voice-widget open></voice-widget>`);
    const before = bg(part(el, 'panel')!);
    const warned = oneEvent(el, 'warning');
    el.setAttribute('custom-styles', '/test/unit/fixtures/missing.css');
    const { detail, bubbles, composed } = await warned;
    expect(detail.code).to.equal('styles-failed');
    expect(detail.message).to.contain('missing.css');
    expect([bubbles, composed]).to.deep.equal([true, true]);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('link')).to.equal(null);
    expect(bg(part(el, 'panel')!)).to.equal(before);
    expect(el.getState()).to.equal('loading');
  });
});

describe('custom-styles that hang', () => {
  it('a stylesheet that does not arrive within 10 s is given up with warning styles-failed; the phone meanwhile works', async function () {
    this.timeout(16_000);
    const el = await fixture<VoiceWidget>(html`<voice-widget open custom-styles="/__hang/theme.css"></voice-widget>`);
    const started = performance.now();
    // The phone does not wait for its looks: it takes its configuration and goes on the network.
    el.token = fakeToken();
    el.sipServer = 'ws://127.0.0.1:9';
    await el.updateComplete;
    // Multi-tab (the default) connects once this tab leads, a task or two later.
    await waitUntil(() => el.registrationState !== 'unregistered', 'the phone connects', { timeout: 5000 });
    const { detail } = await oneEvent(el, 'warning');
    expect(detail.code).to.equal('styles-failed');
    expect(detail.message).to.contain('10 s');
    expect(performance.now() - started).to.be.within(9_500, 11_500);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('link')).to.equal(null);
    expect(bg(part(el, 'panel')!)).to.equal(rgb(light['bg-background']));
  });
});

describe('URLs the element accepts', () => {
  const cases: Array<[string, boolean]> = [
    ['https://cdn.example.com/logo.svg', true],
    ['/brand/logo.svg', true],
    ['logo.svg', true],
    ['http://localhost:8080/logo.svg', true],
    ['http://127.0.0.1/logo.svg', true],
    ['http://[::1]/logo.svg', true],
    ['http://example.com/logo.svg', false],
    ['http://localhost.example.com/logo.svg', false],
    ['javascript:alert(1)', false],
    [' JaVaScRiPt:alert(1)', false],
    ["data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E", false],
    ['blob:https://example.com/1', false],
    ['file:///etc/passwd', false],
    ['ftp://example.com/x.css', false],
  ];
  for (const [url, ok] of cases) {
    it(`custom-logo and custom-styles ${ok ? 'take' : 'refuse'} ${url}`, async () => {
      const el = await fixture<VoiceWidget>(html`<voice-widget open></voice-widget>`);
      const log = recordEvents(el, ['error', 'warning']);
      el.setAttribute('custom-logo', url);
      el.setAttribute('custom-styles', url);
      await el.updateComplete;
      const img = part(el, 'logo')!.querySelector('img');
      const link = el.shadowRoot!.querySelector('link');
      if (ok) {
        expect(img!.src).to.equal(new URL(url.trim(), document.baseURI).href);
        expect(img!.getAttribute('referrerpolicy')).to.equal('no-referrer');
        expect(link!.href).to.equal(img!.src);
        expect(log.filter((e) => e.type === 'error')).to.deep.equal([]);
      } else {
        expect(img, 'the default logo stays').to.equal(null);
        expect(part(el, 'logo')!.querySelector('svg')).to.exist;
        expect(link).to.equal(null);
        expect(log.map((e) => (e.detail as { code: string }).code)).to.deep.equal(['invalid-url', 'invalid-url']);
      }
    });
  }

  it('custom-link opens in a new tab without opener or referrer; a javascript: link is refused', async () => {
    const el = await fixture<VoiceWidget>(html`<voice-widget open custom-link="https://example.com/support"></voice-widget>`);
    const a = part(el, 'logo') as HTMLAnchorElement;
    expect(a.tagName).to.equal('A');
    expect(a.href).to.equal('https://example.com/support');
    expect(a.target).to.equal('_blank');
    expect(a.rel).to.equal('noopener noreferrer');
    expect(a.getAttribute('aria-label')).to.equal('example.com (opens in a new tab)');
    await expect(el).to.be.accessible();
    const log = recordEvents(el, ['error']);
    el.customLink = 'javascript:alert(document.cookie)';
    await el.updateComplete;
    expect(part(el, 'logo')!.tagName).to.equal('SPAN');
    expect((log[0].detail as { code: string }).code).to.equal('invalid-url');
  });

  it('shows a custom logo only as an <img>, and the logo goes with hide-logo', async () => {
    const el = await fixture<VoiceWidget>(html`<voice-widget open custom-logo="/test/unit/fixtures/logo.svg" window-title="Support line"></voice-widget>`);
    expect(part(el, 'logo')!.querySelector('img')!.getAttribute('src')).to.equal(new URL('/test/unit/fixtures/logo.svg', location.href).href);
    expect(part(el, 'header')!.textContent).to.contain('Support line');
    // The SVG carries a script that would post a message; as an <img> it never runs.
    let ran = false;
    const onMessage = (e: MessageEvent) => (ran ||= e.data === 'logo-script-ran');
    window.addEventListener('message', onMessage);
    await new Promise((r) => setTimeout(r, 300));
    window.removeEventListener('message', onMessage);
    expect((part(el, 'logo')!.querySelector('img') as HTMLImageElement).complete).to.equal(true);
    expect(ran).to.equal(false);
    el.hideLogo = true;
    await el.updateComplete;
    expect(part(el, 'logo')).to.equal(null);
    expect(el.hasAttribute('hide-logo')).to.equal(false, 'a property, not reflected');
    el.setAttribute('hide-logo', '');
    await el.updateComplete;
    expect(part(el, 'logo')).to.equal(null);
  });
});
