import { expect } from '@open-wc/testing';
import { CallHistory } from '../../src/core/call-history.js';
import type { CallEndedDetail } from '../../src/core/types.js';
import { stopStream, VoiceProcessing } from '../../src/core/voice-processing.js';
import { ActiveWarnings } from '../../src/element/active-warnings.js';
import { stringsFor } from '../../src/element/strings.js';
import { sayQuality } from '../../src/element/views/signal-indicator.js';

describe('VoiceProcessing', () => {
  it('asks for the browser processing by default, and for none of it once each switch is off', () => {
    const voice = new VoiceProcessing();
    expect(voice.constraints(null).audio).to.deep.equal({ noiseSuppression: true, echoCancellation: true, autoGainControl: true });
    expect(voice.take({ noiseSuppression: 'off', echoCancellation: 'off', autoGainControl: 'off' })).to.equal(true);
    expect(voice.constraints('mic-2').audio).to.deep.equal({
      deviceId: { exact: 'mic-2' },
      noiseSuppression: false,
      echoCancellation: false,
      autoGainControl: false,
    });
  });

  it('says a change only when something changed (a call reopens its microphone only then)', () => {
    const voice = new VoiceProcessing();
    expect(voice.take({ noiseSuppression: 'on' })).to.equal(false);
    expect(voice.take({})).to.equal(false);
    expect(voice.take({ echoCancellation: 'off' })).to.equal(true);
    expect(voice.take({ echoCancellation: 'off' })).to.equal(false);
    // null (an attribute removed) is the default: on.
    expect(voice.take({ echoCancellation: null })).to.equal(true);
  });

  it("sends the host's processed stream, stops the raw microphone with it, and sends the raw one when the processor throws", async () => {
    const context = new AudioContext();
    const processed = context.createMediaStreamDestination().stream;
    let given: MediaStream | null = null;
    const voice = new VoiceProcessing();
    expect(voice.take({ audioProcessor: { process: (raw) => ((given = raw), processed) } })).to.equal(true);
    const stream = await voice.open(null);
    expect(stream).to.equal(processed);
    const raw = given as unknown as MediaStream;
    expect(raw.getAudioTracks()[0].readyState).to.equal('live');
    stopStream(stream);
    expect(raw.getAudioTracks()[0].readyState).to.equal('ended');
    expect(processed.getAudioTracks()[0].readyState).to.equal('ended');

    voice.take({
      audioProcessor: {
        process: () => {
          throw new Error('no WASM here');
        },
      },
    });
    const fallback = await voice.open(null);
    expect(fallback.getAudioTracks()[0].label).to.not.equal('');
    stopStream(fallback);
    // Not an object with process(): no processor.
    expect(voice.take({ audioProcessor: {} as never })).to.equal(true);
    await context.close();
  });
});

describe('ActiveWarnings', () => {
  it("follows a call's warnings in force, and forgets them when it ends", () => {
    const w = new ActiveWarnings();
    expect(w.follow('quality-warning', { id: 'c1', name: 'high-rtt', value: 500, threshold: 400 })).to.equal(true);
    w.follow('quality-warning', { id: 'c1', name: 'low-mos', value: 2, threshold: 3.5 });
    expect(w.of('c1')).to.deep.equal(['high-rtt', 'low-mos']);
    w.follow('quality-warning-cleared', { id: 'c1', name: 'high-rtt' });
    expect(w.of('c1')).to.deep.equal(['low-mos']);
    expect(w.follow('ready', {})).to.equal(false);
    w.follow('call-ended', { id: 'c1' } as CallEndedDetail);
    expect(w.of('c1')).to.deep.equal([]);
  });

  it('the live region names the cause before its effect (low-mos follows a delay)', () => {
    const t = stringsFor('en', null);
    expect(sayQuality(['low-mos', 'high-rtt'], t)).to.equal('Poor connection: Your network is slow: words arrive late');
    expect(sayQuality([], t)).to.equal(null);
  });
});

describe('CallHistory quality', () => {
  const ended = (quality: CallEndedDetail['quality']): CallEndedDetail =>
    ({ id: 'c1', direction: 'outbound', number: 'bob', duration: 12, cause: 'local-hangup', quality }) as CallEndedDetail;

  it("keeps each call's quality, and drops a stored entry whose quality is not one", () => {
    const store = new Map<string, string>();
    const storage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
      removeItem: (k: string) => void store.delete(k),
    };
    const history = new CallHistory('k', storage);
    history.record(ended({ mosAverage: 3.1, mosMin: 1.2, warnings: ['high-rtt'] }), 'Bob', 1, false);
    expect(new CallHistory('k', storage).entries[0].quality).to.deep.equal({ mosAverage: 3.1, mosMin: 1.2, warnings: ['high-rtt'] });
    const stored = JSON.parse(store.get('k')!);
    stored.entries.push({ ...stored.entries[0], id: 'c2', quality: { mosAverage: 'x' } });
    store.set('k', JSON.stringify(stored));
    expect(new CallHistory('k', storage).entries.map((e) => e.id)).to.deep.equal(['c1']);
  });
});
