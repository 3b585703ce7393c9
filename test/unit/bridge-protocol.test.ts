import { expect } from '@open-wc/testing';
import {
  BRIDGE_COMMANDS,
  BRIDGE_EVENTS,
  BRIDGE_PROTOCOL,
  BRIDGE_VERSION,
  commandMessage,
  eventMessage,
  MAX_MESSAGE_CHARS,
  parseCommand,
  parseFrameMessage,
  responseMessage,
} from '../../src/bridge/protocol.js';
import { TokenBucket } from '../../src/shared/token-bucket.js';
import { connectWidgetFrame, WidgetBridgeError } from '../../src/bridge/host.js';
import { PHONE_EVENTS } from '../../src/event-names.js';

const env = (m: Record<string, unknown>) => ({ protocol: BRIDGE_PROTOCOL, version: BRIDGE_VERSION, ...m });
const cmd = (name: string, args: unknown[] = [], requestId = 'r-1') => env({ type: 'command', requestId, name, payload: { args } });

describe('bridge protocol', () => {
  describe('messages', () => {
    it('takes commands, responses and events in the envelope', () => {
      expect(parseCommand(cmd('call', ['bob']))).to.deep.equal(commandMessage('r-1', 'call', ['bob']));
      expect(parseCommand(env({ type: 'command', requestId: 'a', name: 'getState', payload: {} }))?.payload.args).to.deep.equal([]);
      // An unknown name still parses: the frame answers it `unknown-command`.
      expect(parseCommand(cmd('launchMissiles'))?.name).to.equal('launchMissiles');
      expect(parseFrameMessage(responseMessage('r-1', 'call', { ok: true, result: true }))).to.deep.equal(
        responseMessage('r-1', 'call', { ok: true, result: true }),
      );
      const refused = responseMessage('r-2', 'call', { ok: false, error: { code: 'rate-limited', message: 'slow down' } });
      expect(parseFrameMessage(refused)).to.deep.equal(refused);
      const event = eventMessage('call-ended', { id: 'x', cause: 'busy', duration: 0 });
      expect(parseFrameMessage(event)).to.deep.equal(event);
    });

    it("every command is one of the element's methods or getters (plus hello)", () => {
      expect(BRIDGE_COMMANDS).to.include.members([
        'hello',
        'call',
        'hangup',
        'answer',
        'reject',
        'sendDtmf',
        'mute',
        'unmute',
        'hold',
        'unhold',
        'transfer',
        'consult',
        'completeTransfer',
        'cancelConsult',
        'open',
        'close',
        'getState',
        'isReady',
      ]);
    });

    it('forwards every event the phone fires', () => {
      for (const name of PHONE_EVENTS) expect(BRIDGE_EVENTS as readonly string[], name).to.include(name);
    });

    const polluted = (inner: string) =>
      JSON.parse(`{"protocol":"${BRIDGE_PROTOCOL}","version":${BRIDGE_VERSION},"type":"command","requestId":"r","name":"call","payload":${inner}}`);
    const hostileCommands: Array<[string, unknown]> = [
      ['not an object', 'call bob'],
      ['null', null],
      ['an array', [BRIDGE_PROTOCOL, BRIDGE_VERSION, 'command', 'r', 'call', ['bob']]],
      ['another protocol', { ...cmd('call', ['bob']), protocol: 'voice-widget-dialog' }],
      ['version 2', { ...cmd('call', ['bob']), version: 2 }],
      ['version "1" as a string', { ...cmd('call', ['bob']), version: '1' }],
      ['no version', { protocol: BRIDGE_PROTOCOL, type: 'command', requestId: 'r', name: 'call', payload: { args: ['bob'] } }],
      ['an extra envelope field', { ...cmd('call', ['bob']), origin: 'https://crm.example.com' }],
      ['a response sent to the frame', responseMessage('r', 'call', { ok: true, result: true })],
      ['an event sent to the frame', eventMessage('call-received', {})],
      ['no requestId', env({ type: 'command', name: 'call', payload: { args: ['bob'] } })],
      ['a requestId with symbols', cmd('call', ['bob'], '<img src=x>')],
      ['a 65-character requestId', cmd('call', ['bob'], 'r'.repeat(65))],
      ['a name with symbols', cmd('call()', ['bob'])],
      ['a name that is not a string', env({ type: 'command', requestId: 'r', name: ['call'], payload: { args: [] } })],
      ['args that are not an array', env({ type: 'command', requestId: 'r', name: 'call', payload: { args: 'bob' } })],
      ['five args', cmd('call', [1, 2, 3, 4, 5])],
      ['an extra payload key', env({ type: 'command', requestId: 'r', name: 'call', payload: { args: [], then: 'x' } })],
      ['a __proto__ key in the payload', polluted('{"__proto__":{"polluted":1},"args":["bob"]}')],
      ['a __proto__ key deep in the args', polluted('{"args":[{"a":[{"__proto__":{"polluted":1}}]}]}')],
      ['a constructor key', polluted('{"args":[{"constructor":{"prototype":{"polluted":1}}}]}')],
      ['a prototype key', polluted('{"args":[{"prototype":1}]}')],
      [
        'a __proto__ key on the envelope',
        JSON.parse(
          `{"protocol":"${BRIDGE_PROTOCOL}","version":1,"type":"command","requestId":"r","name":"call","payload":{"args":[]},"__proto__":{"polluted":1}}`,
        ),
      ],
      ['an oversize string', cmd('call', ['1'.repeat(MAX_MESSAGE_CHARS + 1)])],
      ['many strings adding up past the limit', cmd('call', [Array.from({ length: 200 }, () => 'x'.repeat(400))])],
      ['too deep', cmd('call', [[[[[[[[[[['bob']]]]]]]]]]])],
      ['a huge array', cmd('call', [Array.from({ length: 10_000 }, () => 1)])],
      ['a class instance', cmd('call', [new Date()])],
      ['a Map', cmd('call', [new Map([['a', 1]])])],
      ['NaN', cmd('call', [Number.NaN])],
      ['a function', cmd('call', [() => 1])],
    ];
    for (const [what, data] of hostileCommands) {
      it(`the frame drops ${what}`, () => expect(parseCommand(data)).to.equal(null));
    }

    const hostileToHost: Array<[string, unknown]> = [
      ['a command sent to the host', cmd('call', ['bob'])],
      ['an event with a requestId', { ...eventMessage('ready', {}), requestId: 'r' }],
      ['an event name with symbols', eventMessage('call-ended"><img', {})],
      ['a response without ok', env({ type: 'response', requestId: 'r', name: 'call', payload: { result: true } })],
      ['a response with extra keys', env({ type: 'response', requestId: 'r', name: 'call', payload: { ok: true, result: 1, then: 2 } })],
      ['an error without a code', env({ type: 'response', requestId: 'r', name: 'call', payload: { ok: false, error: { message: 'x' } } })],
      [
        'a polluting event detail',
        JSON.parse(`{"protocol":"${BRIDGE_PROTOCOL}","version":1,"type":"event","requestId":null,"name":"ready","payload":{"__proto__":{"polluted":1}}}`),
      ],
      ['another version', { ...eventMessage('ready', {}), version: 0 }],
    ];
    for (const [what, data] of hostileToHost) {
      it(`the host drops ${what}`, () => expect(parseFrameMessage(data)).to.equal(null));
    }

    it('nothing it parses pollutes Object.prototype', () => {
      for (const [, data] of hostileCommands) parseCommand(data);
      for (const [, data] of hostileToHost) parseFrameMessage(data);
      expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    });

    it('a 1 MB message is refused quickly', () => {
      const big = cmd('call', [Array.from({ length: 256 }, () => 'x'.repeat(4096))]);
      const started = performance.now();
      for (let i = 0; i < 100; i++) expect(parseCommand(big)).to.equal(null);
      expect(performance.now() - started).to.be.lessThan(50);
    });
  });

  describe('flood control', () => {
    it('a token bucket lets a burst of 40 through, then 20 a second', () => {
      let now = 0;
      const bucket = new TokenBucket(20, 40, () => now);
      let passed = 0;
      for (let i = 0; i < 1000; i++) if (bucket.take()) passed++;
      expect(passed).to.equal(40);
      now += 1000;
      passed = 0;
      for (let i = 0; i < 1000; i++) if (bucket.take()) passed++;
      expect(passed).to.equal(20);
      now += 50;
      expect(bucket.take()).to.equal(true);
      expect(bucket.take()).to.equal(false);
    });
  });

  describe('host helper', () => {
    /** A same-origin frame that answers like a widget would: hello, then getState; `silent` never answers. */
    async function fakeFrame(): Promise<HTMLIFrameElement> {
      const frame = document.createElement('iframe');
      frame.srcdoc = `<script>
        addEventListener('message', (e) => {
          const m = e.data;
          if (e.source !== parent || m.type !== 'command') return;
          const reply = (payload) => parent.postMessage({ protocol: 'voice-widget', version: 1, type: 'response', requestId: m.requestId, name: m.name, payload }, e.origin);
          if (m.name === 'hello') reply({ ok: true, result: { version: 1, state: 'ready', registrationState: 'registered', ready: true, calls: [] } });
          if (m.name === 'getState') {
            reply({ ok: true, result: 'ready' });
            parent.postMessage({ protocol: 'voice-widget', version: 1, type: 'event', requestId: null, name: 'state-change', payload: { id: null, state: 'ready' } }, e.origin);
            // Not ours to trust: a wrong version and a stray response are ignored.
            parent.postMessage({ protocol: 'voice-widget', version: 2, type: 'event', requestId: null, name: 'state-change', payload: {} }, e.origin);
            parent.postMessage({ protocol: 'voice-widget', version: 1, type: 'response', requestId: 'nobody', name: 'call', payload: { ok: true, result: true } }, e.origin);
          }
          if (m.name === 'call') reply({ ok: false, error: { code: 'rate-limited', message: 'slow down' } });
        });
      </script>`;
      document.body.append(frame);
      return frame;
    }

    it('greets the frame, runs commands, relays events, refuses what the frame refuses, times out, and closes', async () => {
      const frame = await fakeFrame();
      const bridge = connectWidgetFrame(frame, { origin: location.origin, timeout: 300 });
      const events: unknown[] = [];
      const onState = (d: unknown) => events.push(d);
      bridge.on('state-change', onState);
      // Given before the frame answered hello: it waits, then runs.
      const state = bridge.command('getState');
      expect((await bridge.ready).registrationState).to.equal('registered');
      expect(await state).to.equal('ready');
      await new Promise((r) => setTimeout(r, 50));
      expect(events).to.deep.equal([{ id: null, state: 'ready' }]);
      const refused = await bridge.command('call', 'bob').catch((e: unknown) => e);
      expect(refused).to.be.instanceOf(WidgetBridgeError);
      expect((refused as WidgetBridgeError).code).to.equal('rate-limited');
      const silent = await bridge.command('hangup').catch((e: unknown) => e);
      expect((silent as WidgetBridgeError).code).to.equal('timeout');
      bridge.off('state-change', onState);
      await bridge.command('getState');
      await new Promise((r) => setTimeout(r, 50));
      expect(events.length).to.equal(1);
      const waiting = bridge.command('hangup').catch((e: unknown) => e);
      bridge.close();
      expect(((await waiting) as WidgetBridgeError).code).to.equal('closed');
      frame.remove();
    });

    it('a command whose arguments cannot be cloned fails alone; close() before the frame answered settles ready', async () => {
      const frame = await fakeFrame();
      const bridge = connectWidgetFrame(frame, { origin: location.origin, timeout: 300 });
      // Both wait for hello; the first cannot be posted, the second still runs.
      const bad = bridge.command('sendDtmf', (() => '1') as never).catch((e: unknown) => e);
      const good = bridge.command('getState');
      expect(((await bad) as WidgetBridgeError).code).to.equal('invalid-arguments');
      expect(await good).to.equal('ready');
      bridge.close();
      frame.remove();

      // A frame not in the page is not greeted (its load will); closing settles ready.
      const lone = document.createElement('iframe');
      const idle = connectWidgetFrame(lone, { origin: location.origin, timeout: 100 });
      idle.close();
      expect(((await idle.ready.catch((e: unknown) => e)) as WidgetBridgeError).code).to.equal('closed');
    });

    it('wants an exact origin, never a wildcard', () => {
      const frame = document.createElement('iframe');
      for (const origin of ['*', 'https://*.example.com', 'https://crm.example.com/', '']) {
        expect(() => connectWidgetFrame(frame, { origin }), origin).to.throw(TypeError);
      }
    });
  });
});
