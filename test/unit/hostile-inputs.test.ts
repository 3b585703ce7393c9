// The hostile-input table (docs/hostile-inputs.md), element and core side:
// every row gets a typed error or plain text, never an exception, never markup.
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/define.js';
import { cleanDisplayName, MAX_NAME } from '../../src/shared/display-name.js';
import { decodeToken, TokenFormatError } from '../../src/shared/token-claims.js';
import type { VoiceWidget } from '../../src/element/voice-widget.js';
import { fakeToken, recordEvents } from './helpers.js';

const codes = (log: Array<{ detail: unknown }>) => log.map((e) => (e.detail as { code: string }).code);

describe('hostile inputs', () => {
  describe('display names', () => {
    it('markup stays text', () => {
      expect(cleanDisplayName('<img src=x onerror=alert(1)>')).to.equal('<img src=x onerror=alert(1)>');
    });
    it('bidi overrides and isolates are removed (no disguised names)', () => {
      expect(cleanDisplayName('Bank\u202Eknab\u2066x\u2069\u200F')).to.equal('Bank knab x');
    });
    it('control characters, CR and LF are removed; whitespace collapses', () => {
      expect(cleanDisplayName('Eve\r\nVia: evil\u0000\u0007\u0085  x\t')).to.equal('Eve Via: evil x');
    });
    it(`1 MB is cut to ${MAX_NAME} characters, quickly`, () => {
      const started = performance.now();
      const name = cleanDisplayName('A'.repeat(1 << 20));
      expect([...name].length).to.equal(MAX_NAME);
      expect(name.endsWith('…')).to.equal(true);
      expect(performance.now() - started).to.be.lessThan(50);
    });
    it('not a string, or nothing left: empty (the caller falls back to the user part)', () => {
      expect(cleanDisplayName(undefined)).to.equal('');
      expect(cleanDisplayName('\u202E\r\n ')).to.equal('');
    });
    it('a token whose name is hostile shows plain, cleaned text in the status line', async () => {
      const el = await fixture<VoiceWidget>(html`<voice-widget open></voice-widget>`);
      el.token = fakeToken({ name: '<img src=x onerror="window.__pwned=1">\u202Eevil\r\nX-Header: 1' });
      await el.updateComplete;
      const status = el.shadowRoot!.querySelector('[part~="status"]')!;
      expect(status.querySelector('img')).to.equal(null);
      expect(status.textContent).to.contain('<img src=x onerror="window.__pwned=1"> evil X-Header: 1');
      expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
    });
  });

  describe('tokens', () => {
    const bad: Array<[string, string]> = [
      ['empty', ''],
      ['100 KB', `${'a'.repeat(50_000)}.${'b'.repeat(50_000)}.c`],
      ['not base64url', 'a+b/c=.d.e'],
      ['a CR LF (header injection)', `${fakeToken()}\r\nX-Evil: 1`],
      ['a NUL', `${fakeToken()}\u0000`],
      ['two parts', 'abc.def'],
      ['parts that are not JSON', 'YWJj.ZGVm.Z2hp'],
    ];
    for (const [what, token] of bad) {
      it(`${what}: invalid-token, no exception, the phone stays off the network`, async () => {
        const el = await fixture<VoiceWidget>(html`<voice-widget></voice-widget>`);
        const log = recordEvents(el, ['error']);
        el.sipServer = 'ws://127.0.0.1:9';
        el.token = token;
        await el.updateComplete;
        if (token === '') {
          expect(codes(log)).to.deep.equal([]); // empty means "no token", not an error
        } else {
          expect(codes(log)).to.deep.equal(['invalid-token']);
          expect(el.getState()).to.equal('error');
        }
        expect(el.registrationState).to.equal('unregistered');
      });
    }
    it('decodeToken refuses the same, with TokenFormatError', () => {
      for (const [, token] of bad) expect(() => decodeToken(token)).to.throw(TokenFormatError);
    });
  });

  describe('attributes', () => {
    const servers = ['http://sip.example.com', 'javascript:alert(1)', 'ws://', 'wss://user:secret@sip.example.com', 'not a url', 'ftp://x'];
    for (const server of servers) {
      it(`sip-server ${JSON.stringify(server)}: invalid-server, no exception`, async () => {
        const el = await fixture<VoiceWidget>(html`<voice-widget></voice-widget>`);
        const log = recordEvents(el, ['error']);
        el.setAttribute('sip-server', server);
        await el.updateComplete;
        expect(codes(log)).to.deep.equal(['invalid-server']);
        expect(el.getState()).to.equal('error');
      });
    }
    it('unknown mode, theme, dtmf-mode, busy-policy and refer-policy: invalid-attribute each, defaults kept', async () => {
      const el = await fixture<VoiceWidget>(html`<voice-widget></voice-widget>`);
      const log = recordEvents(el, ['error']);
      for (const [name, value] of [
        ['mode', 'iframe'],
        ['theme', '<b>'],
        ['dtmf-mode', 'sip'],
        ['busy-policy', 'ignore'],
        ['refer-policy', 'obey'],
      ])
        el.setAttribute(name, value);
      await el.updateComplete;
      expect(codes(log)).to.deep.equal(['invalid-attribute', 'invalid-attribute', 'invalid-attribute', 'invalid-attribute', 'invalid-attribute']);
      expect([el.mode, el.theme, el.dtmfMode, el.busyPolicy, el.referPolicy]).to.deep.equal(['spa', 'light', 'info', 'wait', 'ask']);
    });
  });

  describe('dial strings and header-like input', () => {
    const numbers = [
      'bob\r\nVia: evil',
      'bob\u0000',
      'bob@evil.test',
      'sip:bob@evil.test',
      '1'.repeat(200),
      '',
      '   ',
      '<sip:bob@voice.test>',
      'bob;transport=udp',
    ];
    for (const number of numbers) {
      it(`call(${JSON.stringify(number.slice(0, 30))}): invalid-number, nothing on the wire`, async () => {
        const el = await fixture<VoiceWidget>(html`<voice-widget></voice-widget>`);
        el.token = fakeToken();
        await el.updateComplete;
        const log = recordEvents(el, ['error', 'call-started']);
        expect(el.call(number)).to.equal(false);
        expect(log.map((e) => e.type)).to.deep.equal(['error']);
        expect(codes(log)).to.deep.equal(['invalid-number']);
      });
    }
    it('a caller ID that is not in the token (CR LF included) is refused', async () => {
      const el = await fixture<VoiceWidget>(html`<voice-widget></voice-widget>`);
      el.token = fakeToken({ caller_ids: ['+15550100'] });
      await el.updateComplete;
      const log = recordEvents(el, ['error', 'outbound-number-changed']);
      expect(el.selectOutboundNumber('+15550100\r\nP-Asserted-Identity: <sip:ceo@voice.test>')).to.equal(false);
      expect(codes(log)).to.deep.equal(['invalid-number']);
      expect(el.outboundNumber).to.equal(null);
    });
    it('DTMF outside 0-9 * # A-D is refused', async () => {
      const el = await fixture<VoiceWidget>(html`<voice-widget></voice-widget>`);
      const log = recordEvents(el, ['error']);
      expect(el.sendDtmf('1\r\n')).to.equal(false);
      expect(el.sendDtmf('E')).to.equal(false);
      expect(codes(log).every((c) => c === 'invalid-dtmf' || c === 'no-call')).to.equal(true);
    });
  });
});
