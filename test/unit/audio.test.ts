import { expect, fixture, html } from '@open-wc/testing';
import { sendMouse } from '@web/test-runner-commands';
import '../../src/define.js';
import { listAudioDevices, loadDeviceChoice } from '../../src/core/audio-devices.js';
import { TonePlayer, type ToneKind } from '../../src/core/tones.js';
import type { VoiceWidget } from '../../src/element/voice-widget.js';
import { recordEvents } from './helpers.js';

const part = (el: VoiceWidget, name: string) => el.shadowRoot!.querySelector(`[part~="${name}"]`) as HTMLElement | null;
const until = async (check: () => boolean, ms = 2000) => {
  const end = performance.now() + ms;
  while (!check()) {
    if (performance.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** Records the frequency of every oscillator started, to see which tone plays. */
function recordOscillators(): { started: number[]; restore(): void } {
  const started: number[] = [];
  const original = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (this: OscillatorNode, ...args: [number?]) {
    started.push(this.frequency.value);
    return original.apply(this, args);
  };
  return { started, restore: () => (OscillatorNode.prototype.start = original) };
}

/** A real click (through the browser's input pipeline, so it counts as a user gesture) on an element. */
async function realClick(element: Element): Promise<void> {
  const box = element.getBoundingClientRect();
  await sendMouse({ type: 'click', position: [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)] });
}

describe('tones', () => {
  let oscillators: ReturnType<typeof recordOscillators>;
  beforeEach(() => (oscillators = recordOscillators()));
  afterEach(() => oscillators.restore());

  it('before any user gesture the browser holds the ringtone back: blocked once; a click lets it play', async () => {
    const blocked: ToneKind[] = [];
    let unblocked = 0;
    const tones = new TonePlayer({ blocked: (k) => blocked.push(k), unblocked: () => unblocked++ });
    // This page has had no user gesture yet (the suite's first test), so Chromium's autoplay policy applies.
    expect(navigator.userActivation.hasBeenActive).to.equal(false);
    tones.play('ringtone');
    await until(() => blocked.length > 0);
    expect(blocked).to.deep.equal(['ringtone']);
    expect(tones.isBlocked).to.equal(true);
    expect(oscillators.started).to.deep.equal([], 'nothing scheduled while the context cannot run');

    const button = await fixture<HTMLButtonElement>(html`<button @click=${() => tones.unlock()}>Enable sound</button>`);
    await realClick(button);
    await until(() => unblocked === 1);
    expect(tones.isBlocked).to.equal(false);
    await until(() => oscillators.started.length > 0);
    // The double ring: two bursts of 400 + 450 Hz.
    expect(oscillators.started).to.deep.equal([400, 450, 400, 450]);
    tones.dispose();
  });

  it('plays ringback and call-waiting patterns, switches between them, and stops', async () => {
    const tones = new TonePlayer({ blocked: () => expect.fail('blocked after a gesture'), unblocked: () => {} });
    tones.play('ringback');
    await until(() => oscillators.started.length >= 2);
    expect(oscillators.started).to.deep.equal([440, 480]);
    expect(tones.current).to.equal('ringback');
    tones.play('ringback'); // the same tone again: no restart
    tones.play('waiting');
    await until(() => oscillators.started.length >= 4);
    expect(oscillators.started.slice(2)).to.deep.equal([440, 440]);
    tones.stop();
    expect(tones.current).to.equal(null);
    tones.dispose();
  });
});

describe('audio devices', () => {
  beforeEach(() => localStorage.removeItem('voice-widget:audio-devices'));

  it('lists the microphones and, where the browser can route audio, the speakers', async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    for (const t of stream.getTracks()) t.stop();
    const list = await listAudioDevices();
    expect(list.microphones.length).to.be.greaterThan(0);
    expect(list.microphones.every((d) => d.id !== 'default' && d.label !== '')).to.equal(true);
    expect(list.outputSelection).to.equal(true, 'Chromium has HTMLMediaElement.setSinkId');
    expect(list.ringerSelection).to.equal(true, 'Chromium has AudioContext.setSinkId');
  });

  it('the settings screen chooses the microphone, speaker and ringer, fires audio-device-change and remembers the choice', async () => {
    const el = await fixture<VoiceWidget>(html`<voice-widget open></voice-widget>`);
    const log = recordEvents(el, ['audio-device-change', 'error']);
    part(el, 'settings-button')!.click();
    await until(() => !!part(el, 'settings') && el.shadowRoot!.querySelectorAll('[part~="device-select"]').length === 3);
    await el.updateComplete;
    const selects = [...el.shadowRoot!.querySelectorAll<HTMLSelectElement>('[part~="device-select"]')];
    expect(selects.map((s) => s.dataset.kind)).to.deep.equal(['microphone', 'speaker', 'ringer']);
    const mic = selects[0];
    expect(mic.options[0].textContent).to.equal('System default');
    expect(mic.options.length).to.be.greaterThan(1);
    mic.value = mic.options[1].value;
    mic.dispatchEvent(new Event('change'));
    expect(log).to.deep.equal([{ type: 'audio-device-change', detail: { kind: 'microphone', deviceId: mic.options[1].value } }]);
    expect(el.audioDevices.microphone).to.equal(mic.options[1].value);
    expect(loadDeviceChoice().microphone).to.equal(mic.options[1].value);
    await expect(el).to.be.accessible();

    // Back to the default; a nonsense choice is refused with a typed error and changes nothing.
    expect(el.setAudioDevice('microphone', null)).to.equal(true);
    expect(el.setAudioDevice('headphones' as never, 'x')).to.equal(false);
    expect(el.setAudioDevice('speaker', 42 as never)).to.equal(false);
    expect(log.slice(1).map((e) => e.type)).to.deep.equal(['audio-device-change', 'error', 'error']);
    expect((log[2].detail as { code: string }).code).to.equal('invalid-device');
    expect(el.audioDevices).to.deep.equal({ microphone: null, speaker: null, ringer: null });
  });

  it('the notifications switch is a labelled switch that reflects the browser permission', async () => {
    const el = await fixture<VoiceWidget>(html`<voice-widget open></voice-widget>`);
    part(el, 'settings-button')!.click();
    await el.updateComplete;
    const toggle = part(el, 'switch') as HTMLButtonElement;
    expect(toggle.getAttribute('role')).to.equal('switch');
    expect(toggle.getAttribute('aria-checked')).to.equal('false');
    expect(toggle.disabled).to.equal(Notification.permission === 'denied');
    await expect(el).to.be.accessible();
  });
});
