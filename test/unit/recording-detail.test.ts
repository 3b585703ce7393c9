import { expect } from '@open-wc/testing';
import { parsePopupMessage, PROTOCOL, VERSION } from '../../src/dialog/protocol.js';
import { BRIDGE_PROTOCOL, BRIDGE_VERSION, parseFrameMessage } from '../../src/bridge/protocol.js';
import { RECORDING_MAX_BYTES } from '../../src/core/recording/limits.js';

// The one event whose detail is not plain data: `recording-available` carries a Blob across postMessage
// (dialog mode's popup → host, the bridge's frame → parent). The checks take exactly a size-capped Blob.
const snapshot = { state: 'ready', ready: true, registrationState: 'registered', muted: false, onHold: false, calls: [], callStats: {} };
const good = () => ({ id: 'call-1', blob: new Blob([new Uint8Array(64)], { type: 'audio/webm' }), mimeType: 'audio/webm;codecs=opus', duration: 5.02 });
const viaPopup = (detail: unknown) => parsePopupMessage({ protocol: PROTOCOL, version: VERSION, type: 'event', name: 'recording-available', detail, snapshot });
const viaBridge = (payload: unknown) =>
  parseFrameMessage({ protocol: BRIDGE_PROTOCOL, version: BRIDGE_VERSION, type: 'event', requestId: null, name: 'recording-available', payload });

describe('recording-available across windows', () => {
  it('takes {id, blob, mimeType, duration} with a Blob under the cap, the Blob itself kept', () => {
    const detail = good();
    const popup = viaPopup(detail);
    expect(popup?.type).to.equal('event');
    expect((popup as { detail: { blob: Blob } }).detail.blob).to.equal(detail.blob);
    const bridge = viaBridge(detail);
    expect(bridge?.type).to.equal('event');
    expect((bridge?.payload as { blob: Blob }).blob).to.equal(detail.blob);
  });

  const hostile: Array<[string, unknown]> = [
    ['a blob one byte over the cap', { ...good(), blob: new Blob([new Uint8Array(RECORDING_MAX_BYTES + 1)]) }],
    ['no blob', { ...good(), blob: null }],
    ['a blob-like object', { ...good(), blob: { size: 1, type: 'audio/webm' } }],
    ['an extra field', { ...good(), url: 'https://evil.example/' }],
    ['a missing field', { id: 'call-1', blob: new Blob([]), mimeType: 'audio/webm' }],
    ['a non-audio type', { ...good(), mimeType: 'text/html' }],
    ['a type with a line break', { ...good(), mimeType: 'audio/webm\r\nX: 1' }],
    ['a duration that is not finite', { ...good(), duration: Infinity }],
    ['a negative duration', { ...good(), duration: -1 }],
    ['an id that is not an id', { ...good(), id: '<img src=x>' }],
    ['a class instance', Object.assign(Object.create({ polluted: true }), good())],
    ['an array', [good()]],
  ];
  for (const [what, detail] of hostile) {
    it(`drops ${what}`, () => {
      expect(viaPopup(detail), 'popup').to.equal(null);
      expect(viaBridge(detail), 'bridge').to.equal(null);
    });
  }

  it('other events still take plain data only (a Blob elsewhere is dropped)', () => {
    const blob = new Blob(['x']);
    expect(parsePopupMessage({ protocol: PROTOCOL, version: VERSION, type: 'event', name: 'call-ended', detail: { blob }, snapshot })).to.equal(null);
    expect(
      parseFrameMessage({ protocol: BRIDGE_PROTOCOL, version: BRIDGE_VERSION, type: 'event', requestId: null, name: 'call-ended', payload: { blob } }),
    ).to.equal(null);
  });

  it('a recording event with a request id, or an extra envelope field, is dropped', () => {
    expect(
      parseFrameMessage({ protocol: BRIDGE_PROTOCOL, version: BRIDGE_VERSION, type: 'event', requestId: 'r1', name: 'recording-available', payload: good() }),
    ).to.equal(null);
    expect(
      parseFrameMessage({
        protocol: BRIDGE_PROTOCOL,
        version: BRIDGE_VERSION,
        type: 'event',
        requestId: null,
        name: 'recording-available',
        payload: good(),
        extra: 1,
      }),
    ).to.equal(null);
  });
});
