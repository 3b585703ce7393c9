import { html, nothing } from 'lit';
import type { DialogState } from '../../dialog/dialog-host.js';
import type { NotificationSupport } from '../incoming-notifier.js';
import { phoneIcon } from '../icons.js';
import type { PanelView } from '../phone-actions.js';
import type { PhoneSnapshot } from '../phone-context.js';
import { fill, type Strings } from '../strings.js';
import type { TransferNote } from './in-call-view.js';

/** What the root's template shows: its properties and state, read once a render. */
export interface RootView {
  readonly t: Strings;
  readonly snapshot: PhoneSnapshot;
  readonly open: boolean;
  readonly hideLauncher: boolean;
  /** The header's title and the panel's name. */
  readonly heading: string;
  readonly logoUrl: string | null;
  readonly linkUrl: string | null;
  readonly hideLogo: boolean;
  readonly view: PanelView;
  readonly number: string;
  readonly transferNote: TransferNote | null;
  readonly notificationSupport: NotificationSupport;
  readonly notificationsEnabled: boolean;
  /** The announcement of the live region. */
  readonly announcement: string;
  readonly show: () => void;
}

/** Dialog mode: only a launcher, which says whether the phone (the popup) is open. */
export function renderDialogLauncher(t: Strings, hidden: boolean, state: DialogState, show: () => void) {
  if (hidden) return nothing;
  const label = t.dialog[state];
  return html`<button part="launcher" class="launcher" data-dialog=${state} aria-label=${label} title=${label} @click=${show}>
      ${phoneIcon}
    </button>`;
}

/** Spa mode: the launcher, and the panel with its header, the screen of the moment and the navigation. */
export function renderWidget(v: RootView) {
  const { t, snapshot } = v;
  return html`
      <button
        ?hidden=${v.hideLauncher}
        part="launcher"
        class="launcher"
        aria-label=${snapshot.missed > 0 ? fill(t.openPhoneMissed, { n: snapshot.missed }) : t.openPhone}
        aria-expanded=${v.open ? 'true' : 'false'}
        aria-controls="panel"
        @click=${v.show}
      >
        ${phoneIcon}
        ${snapshot.missed > 0 ? html`<span part="badge" class="badge">${snapshot.missed}<span class="visually-hidden"> ${t.missed}</span></span>` : nothing}
      </button>
      <section id="panel" part="panel" class="panel" aria-label=${v.heading} ?hidden=${!v.open}>
        <vw-header-view
          .t=${t}
          .heading=${v.heading}
          .logoUrl=${v.logoUrl}
          .linkUrl=${v.linkUrl}
          .hideLogo=${v.hideLogo}
        ></vw-header-view>
        <div class="body">${renderBody(v)}</div>
        <vw-navigation-view .t=${t} .view=${v.view}></vw-navigation-view>
        <div class="visually-hidden" role="status" aria-live="polite">${v.announcement}</div>
      </section>
    `;
}

/** The call's screen while there is one, else the chosen panel view. */
function renderBody(v: RootView) {
  const t = v.t;
  switch (v.snapshot.call?.state) {
    case 'incoming':
      return html`<vw-incoming-view .t=${t}></vw-incoming-view>`;
    case 'dialing':
    case 'ringing':
      return html`<vw-outgoing-view .t=${t}></vw-outgoing-view>`;
    case 'in-progress':
      return html`<vw-in-call-view .t=${t} .note=${v.transferNote}></vw-in-call-view>`;
    default:
      if (v.view === 'history') return html`<vw-history-view .t=${t}></vw-history-view>`;
      if (v.view === 'settings')
        return html`<vw-settings-view
            .t=${t}
            .notificationSupport=${v.notificationSupport}
            .notificationsEnabled=${v.notificationsEnabled}
          ></vw-settings-view>`;
      return html`<vw-dialer-view .t=${t} .number=${v.number}></vw-dialer-view>`;
  }
}
