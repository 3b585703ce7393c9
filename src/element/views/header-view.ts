import { html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { closeIcon, logoIcon, soundIcon } from '../icons.js';
import { fill } from '../strings.js';
import { ViewElement } from './view-element.js';

/** The panel's top: logo, title and close; the registration status; the "enable sound" bar. */
export class HeaderView extends ViewElement {
  /** The checked logo and link URLs (null: the built-in logo, no link). */
  @property({ attribute: false }) logoUrl: string | null = null;
  @property({ attribute: false }) linkUrl: string | null = null;
  @property({ attribute: false }) hideLogo = false;
  @property({ attribute: false }) heading = '';

  override render() {
    const t = this.t;
    return html`<header part="header">
        ${this.renderLogo()}
        <span class="title">${this.heading}</span>
        <button part="close-button" class="icon-button" aria-label=${t.closePhone} @click=${() => this.actions?.hide()}>${closeIcon}</button>
      </header>
      ${this.renderStatus()} ${this.renderSoundBlocked()} ${this.renderOtherTab()}`;
  }

  private renderLogo() {
    if (this.hideLogo) return nothing;
    // Only ever an <img>: an SVG logo's scripts and external loads do not run there.
    const image = this.logoUrl ? html`<img src=${this.logoUrl} alt="" referrerpolicy="no-referrer" />` : logoIcon;
    if (!this.linkUrl) return html`<span part="logo" class="logo">${image}</span>`;
    return html`<a
      part="logo"
      class="logo"
      href=${this.linkUrl}
      target="_blank"
      rel="noopener noreferrer"
      aria-label=${fill(this.t.opensInNewTab, { site: new URL(this.linkUrl).host })}
      >${image}</a
    >`;
  }

  private renderStatus() {
    const s = this.snapshot;
    if (!s) return nothing;
    const text = s.phoneState === 'error' && s.problem ? this.t.problem[s.problem] : this.t.registration[s.registrationState];
    const who = s.identity ? `${s.identity.name} · ` : '';
    const dnd = s.dnd ? ` · ${this.t.doNotDisturb}` : '';
    return html`<div part="status" class="status" role="status" data-registration=${s.registrationState} ?data-problem=${s.phoneState === 'error'} ?data-dnd=${s.dnd}>
      <span>${who}${text}${dnd}</span>
    </div>`;
  }

  private renderSoundBlocked() {
    if (!this.snapshot?.audioBlocked || this.snapshot.heldElsewhere) return nothing;
    return html`<div part="sound-blocked" class="sound-blocked" role="alert">
      <span>${this.t.soundBlocked}</span>
      <button part="enable-sound" @click=${() => this.actions?.enableAudio()}>${soundIcon}${this.t.enableSound}</button>
    </div>`;
  }

  /** Multi-tab: another tab holds the phone (its audio and microphone); between calls it can move here. */
  private renderOtherTab() {
    const s = this.snapshot;
    if (!s?.heldElsewhere) return nothing;
    const t = this.t.otherTab;
    const live = s.call && s.call.state !== 'completed' && s.call.state !== 'failed';
    const text = s.audioBlocked ? t.soundBlocked : live ? t.audio : t.idle;
    return html`<div part="other-tab" class="sound-blocked" role=${s.audioBlocked ? 'alert' : 'status'}>
      <span>${text}</span>
      ${live ? nothing : html`<button part="use-here" @click=${() => this.actions?.usePhoneHere()}>${t.useHere}</button>`}
    </div>`;
  }
}
