import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { listAudioDevices, type AudioDeviceKind, type AudioDeviceList } from '../../core/audio-devices.js';
import type { NotificationSupport } from '../incoming-notifier.js';
import { fill } from '../strings.js';
import { ViewElement } from './view-element.js';
import { settingsViewStyles } from './settings-view.styles.js';
import { renderDndSwitch, renderVolumes } from './comfort-parts.js';
import { renderSwitch } from './switch.js';
import { renderPreflight, type PreflightView } from './preflight-result.js';
import { loadChunk } from '../../shared/lazy-chunks.js';

/** The last list seen: a settings view shown again starts from it while it lists anew (the page's devices, not one widget's). */
let lastList: AudioDeviceList | null = null;

/** Caller ID, audio devices (listed while shown, again when they change) and desktop notifications. */
export class SettingsView extends ViewElement {
  static override viewStyles = [settingsViewStyles];

  @property({ attribute: false }) notificationSupport: NotificationSupport = 'unsupported';
  @property({ attribute: false }) notificationsEnabled = false;

  @state() private deviceList: AudioDeviceList | null = lastList;
  @state() private preflight: PreflightView = { running: false, report: null, problems: [] };

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadDevices();
    navigator.mediaDevices?.addEventListener?.('devicechange', this.onDeviceChange);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    navigator.mediaDevices?.removeEventListener?.('devicechange', this.onDeviceChange);
  }

  private onDeviceChange = (): void => void this.loadDevices();

  private async loadDevices(): Promise<void> {
    try {
      this.deviceList = await listAudioDevices();
    } catch {
      this.deviceList = { microphones: [], speakers: [], outputSelection: false, ringerSelection: false };
    }
    lastList = this.deviceList;
  }

  /** "Test my setup": the pre-call test's report, shown in plain words. */
  private async testSetup(): Promise<void> {
    if (!this.actions || this.preflight.running) return;
    this.preflight = { running: true };
    try {
      const report = await this.actions.runPreflight();
      // The chunk is here by now: it ran the test.
      const { reportProblems } = await loadChunk('preflight');
      this.preflight = { running: false, report, problems: reportProblems(report) };
    } catch (e) {
      this.preflight = { running: false, report: null, problems: [], failed: (e as Error).message };
    }
  }

  /** Browsers name devices only once the page may use the microphone: ask (from this click), then list again. */
  private async allowDeviceNames(): Promise<void> {
    await this.actions?.allowMicrophone();
    await this.loadDevices();
  }

  override render() {
    const s = this.snapshot;
    if (!s) return nothing;
    const t = this.t;
    const list = this.deviceList;
    const chosen = s.audioDevices;
    const named = !list || [...list.microphones, ...list.speakers].every((d) => d.label !== '');
    const select = (kind: AudioDeviceKind, label: string, devices: AudioDeviceList['microphones'], unnamed: string) =>
      html`<label class="field">
        <span>${label}</span>
        <select
          part="device-select"
          data-kind=${kind}
          @change=${(e: Event) => this.actions?.setAudioDevice(kind, (e.target as HTMLSelectElement).value || null)}
        >
          <option value="" ?selected=${chosen[kind] === null}>${t.systemDefault}</option>
          ${devices.map((d, i) => html`<option value=${d.id} ?selected=${chosen[kind] === d.id}>${d.label || fill(unnamed, { n: i + 1 })}</option>`)}
        </select>
      </label>`;
    const support = this.notificationSupport;
    return html`<div part="settings" class="settings">
      ${
        s.callerIds.length > 0
          ? html`<h2>${t.calls}</h2>
            <label class="field">
              <span>${t.callAs}</span>
              <select part="caller-id" @change=${(e: Event) => this.actions?.selectOutboundNumber((e.target as HTMLSelectElement).value || null)}>
                <option value="" ?selected=${s.outboundNumber === null}>${s.identity?.user ?? t.myNumber}</option>
                ${s.callerIds.map((n) => html`<option value=${n} ?selected=${s.outboundNumber === n}>${n}</option>`)}
              </select>
            </label>`
          : nothing
      }
      ${s.callerIds.length > 0 ? nothing : html`<h2>${t.calls}</h2>`} ${renderDndSwitch(s, t, this.actions)}
      <h2>${t.audio}</h2>
      ${renderVolumes(s, t, this.actions)} ${select('microphone', t.microphone, list?.microphones ?? [], t.microphoneN)}
      ${list?.outputSelection ? select('speaker', t.speaker, list.speakers, t.speakerN) : nothing}
      ${
        list?.ringerSelection
          ? html`${select('ringer', t.ringer, list.speakers, t.speakerN)}
            <button class="text-button" @click=${() => this.actions?.previewRingtone()}>${t.testRinger}</button>`
          : nothing
      }
      ${named ? nothing : html`<button class="text-button" @click=${() => this.allowDeviceNames()}>${t.showDeviceNames}</button>`}
      ${renderPreflight(this.preflight, t, () => void this.testSetup())}
      ${
        support === 'unsupported'
          ? nothing
          : html`<h2>${t.notifications}</h2>
            ${renderSwitch({
              name: 'notifications-switch',
              label: t.desktopNotifications,
              on: this.notificationsEnabled,
              note: support === 'denied' ? t.notificationsDenied : null,
              disabled: support === 'denied',
              toggle: (on) => this.actions?.setNotifications(on),
            })}`
      }
    </div>`;
  }
}
