import { expect } from '@open-wc/testing';
import { askHook, toContact } from '../../src/shared/contact.js';
import { ContactLookup } from '../../src/core/phone/contact-lookup.js';
import { envelope, parseHostMessage, parsePopupMessage } from '../../src/dialog/protocol.js';
import { parseContactAnswer, parseFrameMessage, requestMessage, responseMessage } from '../../src/bridge/protocol.js';

const never = () => new Promise<never>(() => {});

describe('resolveContact results', () => {
  it('takes a plain object with a name; anything else is no contact', () => {
    expect(toContact({ name: 'Ada Lovelace' })).to.deep.equal({ name: 'Ada Lovelace' });
    for (const junk of [
      null,
      undefined,
      'Ada',
      42,
      ['Ada'],
      {},
      { name: '' },
      { name: '   ' },
      { name: 7 },
      new Date(),
      Object.assign(Object.create({ x: 1 }), { name: 'Ada' }),
    ]) {
      expect(toContact(junk), String(junk)).to.equal(null);
    }
  });

  it('caps and cleans the strings: one line, no bidi overrides, 64 characters of name and 120 of detail', () => {
    const c = toContact({ name: `Ada\u202e\n${'x'.repeat(5000)}`, detail: `Acme\u0000 Corp ${'y'.repeat(5000)}` })!;
    expect(c.name).to.match(/^Ada x+…$/);
    expect([...c.name].length).to.equal(64);
    expect(c.detail!.startsWith('Acme Corp y')).to.equal(true);
    expect([...c.detail!].length).to.equal(120);
    expect(toContact({ name: 'Ada', detail: 5 })).to.deep.equal({ name: 'Ada' });
  });

  it("keeps an avatar only under custom-logo's URL rule, and a link only when https: or http:", () => {
    const https = toContact({ name: 'A', avatarUrl: 'https://crm.example/a.png', url: 'https://crm.example/c/1' })!;
    expect(https.avatarUrl).to.equal('https://crm.example/a.png');
    expect(https.url).to.equal('https://crm.example/c/1');
    expect(toContact({ name: 'A', avatarUrl: '/a.png' })!.avatarUrl).to.equal(new URL('/a.png', document.baseURI).href);
    for (const bad of ['javascript:alert(1)', 'data:image/svg+xml,<svg/>', 'blob:https://x/1', 'http://crm.example/a.png', 'x'.repeat(3000)]) {
      expect(toContact({ name: 'A', avatarUrl: bad }), bad).to.deep.equal({ name: 'A' });
    }
    for (const bad of ['javascript:alert(1)', 'data:text/html,hi', 'file:///etc/passwd', 'mailto:a@b']) {
      expect(toContact({ name: 'A', url: bad }), bad).to.deep.equal({ name: 'A' });
    }
    expect(toContact({ name: 'A', url: 'http://crm.example/c/1' })!.url).to.equal('http://crm.example/c/1');
  });

  it('a hook that throws, rejects or hangs gives no answer (undefined); junk gives null; never a rejection', async () => {
    expect(
      await askHook(
        () => {
          throw new Error('CRM down');
        },
        '100',
        'inbound',
      ),
    ).to.equal(undefined);
    expect(await askHook(() => Promise.reject(new Error('no')), '100', 'inbound')).to.equal(undefined);
    const started = performance.now();
    expect(await askHook(never, '100', 'inbound', 80)).to.equal(undefined);
    expect(performance.now() - started).to.be.below(1000);
    expect(await askHook(() => ({ nom: 'x' }) as never, '100', 'inbound')).to.equal(null);
    expect(await askHook(() => ({ name: 'Ada' }), '100', 'outbound')).to.deep.equal({ name: 'Ada' });
  });
});

describe('ContactLookup', () => {
  it('asks once per number (concurrent and later calls share the answer); answers belong to their calls', async () => {
    const lookup = new ContactLookup();
    const asked: string[] = [];
    lookup.setHook(async (number: string) => {
      asked.push(number);
      return number === '100' ? { name: 'Ada' } : null;
    });
    const [a, b] = [lookup.look('call-1', '100', 'inbound'), lookup.look('call-2', '100', 'inbound')];
    expect(lookup.of('call-1')).to.equal(null);
    expect(await a).to.deep.equal({ name: 'Ada' });
    expect(await b).to.deep.equal({ name: 'Ada' });
    expect(lookup.of('call-2')).to.deep.equal({ name: 'Ada' });
    // Remembered: the next call has it at once, without asking.
    expect(lookup.look('call-3', '100', 'outbound')).to.equal(null);
    expect(lookup.of('call-3')).to.deep.equal({ name: 'Ada' });
    expect(await lookup.look('call-4', '200', 'inbound')).to.equal(null);
    expect(lookup.look('call-5', '200', 'inbound')).to.equal(null); // "unknown" is an answer too
    expect(asked).to.deep.equal(['100', '200']);
    lookup.drop('call-1');
    expect(lookup.of('call-1')).to.equal(null);
  });

  it('a hook that threw is asked again next time; a new hook forgets the old answers; no hook, no lookup', async () => {
    const lookup = new ContactLookup();
    expect(lookup.look('c1', '100', 'inbound')).to.equal(null);
    let calls = 0;
    lookup.setHook(() => {
      calls++;
      if (calls === 1) throw new Error('CRM down');
      return { name: 'Ada' };
    });
    expect(await lookup.look('c2', '100', 'inbound')).to.equal(null);
    expect(await lookup.look('c3', '100', 'inbound')).to.deep.equal({ name: 'Ada' });
    expect(calls).to.equal(2);
    lookup.setHook(() => ({ name: 'Grace' }));
    expect(await lookup.look('c4', '100', 'inbound')).to.deep.equal({ name: 'Grace' });
    lookup.setHook('not a function');
    expect(lookup.active).to.equal(false);
    expect(lookup.look('c5', '100', 'inbound')).to.equal(null);
  });
});

describe('resolveContact across windows', () => {
  it('dialog mode: a contact-request and its answer are schema-checked; a junk contact arrives as null', () => {
    expect(parsePopupMessage(envelope({ type: 'contact-request', id: 'c1', number: '100', direction: 'inbound' }))).to.deep.equal({
      type: 'contact-request',
      id: 'c1',
      number: '100',
      direction: 'inbound',
    });
    for (const bad of [
      { type: 'contact-request', id: 'c1', number: '100', direction: 'sideways' },
      { type: 'contact-request', id: 'c 1', number: '100', direction: 'inbound' },
      { type: 'contact-request', id: 'c1', number: 'x'.repeat(300), direction: 'inbound' },
    ]) {
      expect(parsePopupMessage(envelope(bad))).to.equal(null);
    }
    expect(parseHostMessage(envelope({ type: 'contact', id: 'c1', contact: { name: 'Ada', avatarUrl: 'javascript:1' } }))).to.deep.equal({
      type: 'contact',
      id: 'c1',
      contact: { name: 'Ada' },
    });
    expect(parseHostMessage(envelope({ type: 'contact', id: 'c1', contact: '<img onerror>' }))).to.deep.equal({ type: 'contact', id: 'c1', contact: null });
    expect(parseHostMessage(envelope({ type: 'config', config: { 'contact-lookup': 'yes' } }))).to.equal(null);
    expect(parseHostMessage(envelope({ type: 'config', config: { 'contact-lookup': true } }))).to.not.equal(null);
  });

  it('iframe bridge: the frame asks with a request; it reads only resolveContact answers', () => {
    const request = requestMessage('c1', '100', 'outbound');
    expect(parseFrameMessage(request)).to.deep.equal(request);
    expect(parseFrameMessage({ ...request, name: 'call' })).to.equal(null);
    expect(parseFrameMessage({ ...request, payload: { number: '100', direction: 'x' } })).to.equal(null);
    expect(parseContactAnswer(responseMessage('c1', 'resolveContact', { ok: true, result: { name: 'Ada' } }))).to.deep.equal(['c1', { name: 'Ada' }]);
    expect(parseContactAnswer(responseMessage('c1', 'call', { ok: true, result: true }))).to.equal(null);
    expect(parseContactAnswer(responseMessage('c1', 'resolveContact', { ok: false, error: { code: 'x', message: 'y' } }))).to.equal(null);
  });
});
