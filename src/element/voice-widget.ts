// The public element: its documentation (the manifest is generated from it), properties, one-line public methods
// and lifecycle. Its length is that documentation (~150 lines of @attr, @fires, @csspart and @cssprop; a JSDoc
// line for each property and method); what the element does lives in the modules it imports.
import { LitElement, adoptStyles, html, nothing, type PropertyValues } from 'lit';
import { provide } from '@lit/context';
import { property, state } from 'lit/decorators.js';
import type { DtmfMode, ErrorCode, RegistrationState, WidgetState } from '../core/types.js';
import { listAudioDevices, type AudioDeviceKind, type AudioDeviceList } from '../core/audio-devices.js';
import { microphoneErrorCode } from '../core/call.js';
import type { ReferPolicy } from '../core/transfer-request.js';
import type { AutoAnswerMode, DndResponse } from '../core/phone/incoming-policy.js';
import type { RecordingPolicy } from '../core/recording/limits.js';
import type { VolumeKind, Volumes } from '../core/phone/ringer.js';
import type { QualitySample } from '../core/quality/stats-sample.js';
import type { QualityThresholds } from '../core/quality/thresholds.js';
import { LazyFrameBridge } from '../bridge/lazy-frame-bridge.js';
import type { CallSummary, PhoneBackend } from './backend/backend.js';
import { LocalBackend, type LocalUi } from './backend/local-backend.js';
import { LazyTabs, type MultiTab } from '../multi-tab/lazy-tabs.js';
import { LazyPopupBackend } from './backend/lazy-popup-backend.js';
import { applyAttributes, checkedUrl, jsonConverter, popupConfig, popupHref } from './attribute-apply.js';
import { announcement } from './announcement.js';
import { CustomStyles } from './custom-styles.js';
import type { PreflightReport } from '../core/quality/preflight.js';
import type { PreflightOptions } from '../core/quality/preflight-run.js';
import type { AudioProcessor, OnOff } from '../core/voice-processing.js';
import type { ResolveContact } from '../shared/contact.js';
import type { DialogConfig } from '../dialog/protocol.js';
import { deprecated } from './deprecated.js';
import { PreflightRunner } from './preflight-runner.js';
import { UserGestures } from './gestures.js';
import { fireError, fireLifecycle, fireWarning } from './host-events.js';
import { IncomingNotifier } from './incoming-notifier.js';
import { LazyClickToCall } from './lazy-click-to-call.js';
import { phoneContext, type PhoneSnapshot } from './phone-context.js';
import { actionsContext, type PanelView, type PhoneActions } from './phone-actions.js';
import { PhoneController } from './phone-controller.js';
import { languageLoading, stringsFor, type Strings } from './strings.js';
import { TransferNotes } from './transfer-notes.js';
import { renderDialogLauncher, renderWidget } from './views/root-template.js';
import { loadPanelViews, panelViewLoading, prefetchInCallViews } from './views/lazy-views.js';
import { FirstRenderHold } from './first-render.js';
import { loadFailure } from '../shared/lazy-part.js';
import { styles } from './voice-widget.styles.js';

/**
 * A web phone in one element. Importing `voice-widget` registers it. Theme
 * variables left unset take the `theme`'s value; the defaults listed are `theme="light"`'s.
 *
 * @summary A web phone: registers with a SIP-over-WebSocket server and makes and receives calls.
 * @tag voice-widget
 *
 * @attr token - The short-lived widget token minted by your server.
 * @attr sip-server - The SIP server's WebSocket URL (`wss://…` or `ws://…`).
 * @attr mode - `spa` (in the page) or `dialog` (in a popup window that survives page navigation).
 * @attr popup-url - Dialog mode: the popup page (default: voice-widget-popup.html beside the script).
 * @attr popup-width - Dialog mode: popup width (264).
 * @attr popup-height - Dialog mode: popup height (460).
 * @attr hide-launcher - No launcher button; the host opens the phone from code.
 * @attr custom-logo - URL of a logo for the header (https:, relative, or http: on loopback).
 * @attr custom-link - Where the logo links to (new tab, noopener noreferrer).
 * @attr hide-logo - Hides the logo.
 * @attr custom-styles - URL of a stylesheet loaded into the shadow root.
 * @attr ringtone - URL of a ringtone file (same URL rule as `custom-styles`), looped on the ringer; default the generated tone.
 * @attr theme - `light` (default), `dark` or `auto`.
 * @attr lang - `en` or `es`; without it, the page's language.
 * @attr window-title - Title shown in the header. Default `Phone`.
 * @attr dtmf-mode - `info` (SIP INFO, default) or `rfc2833` (in the media).
 * @attr ice-servers - JSON array of RTCIceServer; overrides the token's.
 * @attr ice-transport-policy - `all` (default) or `relay` (media only through TURN).
 * @attr busy-policy - `wait` (a second call rings beside the current one, default) or `reject` (486 at once).
 * @attr refer-policy - The far end asks to transfer the call (REFER): `ask` (show it, declined after 25 s; default), `accept` (obey at once) or `reject` (decline at once).
 * @attr dnd - Do-not-disturb: incoming calls are refused (`dnd-response`) and listed as missed.
 * @attr dnd-response - What a caller hears under do-not-disturb: `busy` (486, default) or `unavailable` (480).
 * @attr auto-answer - `off` (default), `header` (answer when the INVITE's `Call-Info: …;answer-after=N` or `Alert-Info` asks; the SIP server keeps these only on calls it originates) or `always`.
 * @attr auto-answer-delay - Seconds `auto-answer="always"` waits before answering (0-60, default 0).
 * @attr recording - Call recording: `off` (default), `on` (a Record button; `startRecording()`) or `announced` (as `on`, with two beeps both sides hear as it starts).
 * @attr open - Whether the panel (dialog mode: the popup) is open (reflects); setting it shows or hides it.
 * @attr floating - Pinned to the bottom-right corner of the window.
 * @attr click-to-call - `tel:` links and `[data-phone]` elements in the page call through the widget.
 * @attr noise-suppression - `on` (default: the browser's) or `off`; switchable during a call.
 * @attr echo-cancellation - `on` (default: the browser's) or `off`; switchable during a call.
 * @attr auto-gain-control - `on` (default: the browser's) or `off`; switchable during a call.
 * @attr multi-tab - `shared` (default): the tabs of one user share one phone (one registration, every tab rings, any tab acts); `off`: a phone per tab. Spa mode only.
 * @attr bridge-origins - Iframe bridge: space-separated origins (`https://crm.example.com`, `https://*.example.com` for subdomains) whose page, as this frame's parent, may run the element's methods and get its events by postMessage.
 *
 * @fires widget-load - The widget has rendered for the first time. `{createdAt, sessionId}`
 * @fires panel-open - The user or the host opened the panel (dialog mode: the popup). `{createdAt, sessionId, callId?}`
 * @fires panel-close - The panel (dialog mode: the popup) closed. `{createdAt, sessionId, callId?}`
 * @fires before-connect - Just before the SIP WebSocket opens (first time and each reconnection). `{createdAt, sessionId, url, attempt}`
 * @fires ready - The phone can place calls (first registration and each recovery). `{}`
 * @fires registration-change - `{state, previous, cause}`
 * @fires state-change - `{id, state, previous}`; `id` is null for phone-level states.
 * @fires call-received - An inbound call rings (or, with `replaces`, replaces a call at once: attended transfer). `{id, from, to, paths, replaces?}`
 * @fires call-started - Outbound: the INVITE left; inbound: answered here. `{id, direction, number, replaces?}`
 * @fires call-ended - Exactly once per call. `{id, direction, number, duration, cause, quality}`
 * @fires dtmf - `{id, digit, direction}`
 * @fires mute-change - The microphone was muted or unmuted. `{id, muted}`
 * @fires hold-change - The call was held or resumed, here or by the far end, once confirmed. `{id, held, by}`
 * @fires transfer - A transfer's outcome, blind (`transfer()`) or attended (`completeTransfer()`). `{id, target, result, kind}`
 * @fires transfer-requested - The far end asks this phone to call someone else (`refer-policy="ask"`); answer with `acceptTransfer()` or `declineTransfer()`. `{id, target, kind}`
 * @fires outbound-number-changed - The user chose another caller ID. `{name, address}`
 * @fires no-audio - Nothing (no RTP, no RTCP) has arrived for 3 s on a call nobody holds. `{id}`
 * @fires audio-restored - Audio arrives again after `no-audio`. `{id}`
 * @fires quality-warning - A call's quality crossed a threshold (3 of 5 samples). `{id, name, value, threshold}`
 * @fires quality-warning-cleared - The quality warning went away. `{id, name}`
 * @fires preflight-progress - `runPreflight()`: a step is done. `{step, done, total}`
 * @fires preflight-complete - `runPreflight()`'s report. `{verdict, microphone, signalling, ice, network}`
 * @fires call-reconnecting - A call lost its network and is recovering (30 s window). `{id, reason}`
 * @fires call-reconnected - The call recovered. `{id, after}` (ms)
 * @fires audio-blocked - The browser will not play sound before a user gesture. `{id, source}`
 * @fires audio-unblocked - Sound plays again. `{}`
 * @fires audio-device-change - Another microphone, speaker or ringer was chosen. `{kind, deviceId}`
 * @fires warning - Something cosmetic failed; the phone works on. `{code, message}`
 * @fires dialog-open - Dialog mode: the popup window opened. `{}`
 * @fires dialog-attached - Dialog mode: this page took up a running popup. `{state, calls}`
 * @fires dialog-close - Dialog mode: the popup closed. `{reason}`
 * @fires token-expiring - A quarter of the token's lifetime before it ends: set a new `token` now. `{expiresAt, secondsLeft}`
 * @fires token-expired - The token expired or was refused; set a new one. `{reason}`
 * @fires dnd-change - Do-not-disturb was turned on or off (`setDnd()` or the settings switch). `{on}`
 * @fires conference-change - Calls were merged (`ids`: the two calls mixed), or no longer (`ids` empty: split, or a far end hung up). `{ids}`
 * @fires recording-change - A call's recording started or stopped. `{id, recording}`
 * @fires recording-available - A recording ended (`stopRecording()` or the call's end): the audio, never uploaded. `{id, blob, mimeType, duration}`
 * @fires error - Does not bubble. `{code, message}`
 *
 * @csspart launcher - The round button that opens the panel.
 * @csspart panel - The phone panel.
 * @csspart header - The panel's header (logo, title, close).
 * @csspart close-button - The header's close button.
 * @csspart logo - The logo.
 * @csspart status - The registration status line.
 * @csspart dialpad - The twelve-key pad (dialling and in-call DTMF).
 * @csspart key - Each key of the dial pad (exported from it).
 * @csspart number - The number field.
 * @csspart call-button - The Call button.
 * @csspart incoming - The incoming-call screen.
 * @csspart outgoing - The calling/ringing screen.
 * @csspart in-call - The in-call screen.
 * @csspart hangup-button - Hang up / Decline.
 * @csspart mute-button - Mute / unmute, on a call.
 * @csspart hold-button - Hold / resume, on a call.
 * @csspart transfer-button - Opens the transfer field, on a call.
 * @csspart transfer - The transfer field and its button.
 * @csspart transfer-request - The far end's transfer request: who asks, to where, Accept and Decline.
 * @csspart transfer-accept-button - Accepts the transfer request.
 * @csspart transfer-decline-button - Declines the transfer request.
 * @csspart no-audio - The warning shown while no audio arrives.
 * @csspart signal - The in-call signal indicator (`data-quality="good|poor"`); its tooltip names the problem.
 * @csspart test-setup - The settings' "Test my setup" button (`runPreflight()`).
 * @csspart preflight - The pre-call test's report, in plain words.
 * @csspart reconnecting - "Reconnecting…", shown while a call recovers its network.
 * @csspart caller-id - The caller ID choice (in settings), when the token lists caller IDs.
 * @csspart call-waiting - A second call ringing during a call, with Answer (holds the current call) and Decline.
 * @csspart history - The list of recent calls.
 * @csspart navigation - The bar with the keypad, recent calls and settings buttons.
 * @csspart dialer-button - Shows the dial pad.
 * @csspart history-button - Shows recent calls.
 * @csspart badge - The count of missed calls on the launcher.
 * @csspart answer-button - Answer.
 * @csspart settings-button - Shows the settings.
 * @csspart keypad-button - Opens the in-call keypad.
 * @csspart settings - The settings: devices and notifications.
 * @csspart device-select - A device choice (microphone, speaker, ringer); `data-kind` says which.
 * @csspart switch - An on/off switch (desktop notifications, do-not-disturb).
 * @csspart notifications-switch - The desktop notifications switch (also `switch`).
 * @csspart dnd-switch - The do-not-disturb switch (also `switch`).
 * @csspart volume - A volume slider in the settings; `data-kind` says which (`ring`, `call`).
 * @csspart auto-answered - On a call: the note that it was answered automatically.
 * @csspart consult-button - Attended transfer: calls the number in the transfer field while the current call waits on hold (`consult()`).
 * @csspart consult - Attended transfer: the bar naming the call on hold while the agent consults (with Cancel and Complete transfer).
 * @csspart consult-cancel-button - Ends the consult call and resumes the held one (`cancelConsult()`).
 * @csspart consult-complete-button - Completes the attended transfer (`completeTransfer()`).
 * @csspart merge-button - Merges the held call and the active one (shown while both are connected).
 * @csspart split-button - Splits merged calls (the one that was held is held again).
 * @csspart conference - The merged calls' far parties, on the in-call screen.
 * @csspart record-button - Starts or stops recording the call (when `recording` allows it).
 * @csspart recording-indicator - Shown while the call is recorded (`data-paused` while held).
 * @csspart contact-avatar - The caller lookup's picture (`resolveContact`'s `avatarUrl`), on the call screens.
 * @csspart contact-link - The contact's name as a link to its page (`resolveContact`'s `url`; new tab, noopener).
 * @csspart contact-detail - The contact's second line (`resolveContact`'s `detail`), on the call screens and in history.
 * @csspart sound-blocked - The bar shown while the browser blocks sound.
 * @csspart enable-sound - Its "Enable sound" button.
 * @csspart other-tab - Multi-tab: the bar saying the phone (its audio) is in another tab of this user.
 * @csspart use-here - Its "Use here" button (between calls): this tab takes the phone.
 *
 * @cssprop [--widget-width=264px] - Panel width.
 * @cssprop [--widget-height=460px] - Panel height.
 * @cssprop [--text-high-contrast=#101828] - Main text: the number typed, names, history entries, dial pad digits.
 * @cssprop [--text-medium-contrast=#475467] - The status line, addresses, notes, setting labels.
 * @cssprop [--text-low-contrast=#667085] - Secondary text: dial pad letters, placeholders, labels, times.
 * @cssprop [--text-accent=#12733b] - The call timer and progress; text buttons.
 * @cssprop [--text-inverted=#fff] - Text on filled buttons and on the missed-call badge.
 * @cssprop [--text-negative=#d92d20] - A failed call's outcome, missed calls, problems, the no-audio warning.
 * @cssprop [--bg-background=#fff] - The panel.
 * @cssprop [--bg-header=#fff] - The header.
 * @cssprop [--bg-navigation=#fff] - The navigation bar.
 * @cssprop [--bg-status=#f9fafb] - The status line, the second-call banner, the sound prompt.
 * @cssprop [--bg-brand=#f2f4f7] - The caller's avatar.
 * @cssprop [--bg-border=#e4e7ec] - The panel's border and dividers, the number field's underline.
 * @cssprop [--fg-high-contrast=#f2f4f7] - The round in-call tools (mute, hold, transfer, keypad).
 * @cssprop [--fg-accent=#188545] - Call, Answer and the launcher; an in-call tool that is on; the online dot.
 * @cssprop [--fg-negative=#e52625] - Hang up and Decline, the missed-call badge, the offline dot.
 * @cssprop [--fg-warning=#e7b006] - The status dot while connecting or offline.
 * @cssprop [--fg-brand=#22aa5c] - The initial in the caller's avatar.
 * @cssprop [--fg-inverted=#fff] - Icons on filled buttons.
 * @cssprop [--fg-logo=#22aa5c] - The built-in logo.
 * @cssprop [--a-high-contrast=#344054] - Icons of the in-call tools.
 * @cssprop [--a-active=#188545] - The selected navigation item.
 * @cssprop [--a-inactive=#667085] - The other navigation items, the close button, history arrows.
 * @cssprop [--text-inverted-disabled=#98a2b3] - Text of a disabled filled button.
 * @cssprop [--bg-hover=#f2f4f7] - Hovered flat buttons: dial pad keys, navigation, history entries.
 * @cssprop [--bg-pressed=#e4e7ec] - Pressed flat buttons.
 * @cssprop [--bg-border-active=#188545] - Focus rings, the focused number field, the second-call banner.
 * @cssprop [--fg-accent-hover=#157a3f] - `--fg-accent` buttons, hovered.
 * @cssprop [--fg-accent-pressed=#116634] - `--fg-accent` buttons, pressed.
 * @cssprop [--fg-accent-disabled=#d0d5dd] - `--fg-accent` buttons, disabled (Call before registration).
 * @cssprop [--fg-negative-hover=#c4201f] - Hang up and Decline, hovered.
 * @cssprop [--fg-negative-pressed=#9f1a19] - Hang up and Decline, pressed.
 * @cssprop [--fg-negative-disabled=#d0d5dd] - Hang up and Decline, disabled (while an answer connects).
 * @cssprop [--fg-high-contrast-hover=#e4e7ec] - The in-call tools, hovered.
 * @cssprop [--fg-high-contrast-pressed=#d0d5dd] - The in-call tools, pressed.
 * @cssprop [--fg-high-contrast-disabled=#f9fafb] - The in-call tools, disabled (awaiting the far end).
 * @cssprop [--fg-inverted-disabled=#fff] - Icons on disabled filled buttons.
 * @cssprop [--a-hover=#475467] - Navigation and header icons, hovered.
 * @cssprop [--a-pressed=#101828] - Navigation and header icons, pressed.
 * @cssprop [--a-disabled=#d0d5dd] - Navigation and header icons, disabled.
 * @cssprop [--switch-background=#d0d5dd] - The settings switch, off.
 * @cssprop [--switch-background-checked=#188545] - The settings switch, on.
 * @cssprop [--switch-foreground=#fff] - The settings switch's knob.
 */
export class VoiceWidget extends LitElement {
  static override styles = styles;

  private readonly controller = new PhoneController(this, (snapshot) => {
    this.snapshot = snapshot;
    this.tabs.published(snapshot);
  });

  private readonly notifier = new IncomingNotifier(this, () => this.t.incomingCall);
  private readonly transferNotes = new TransferNotes(this, () => this.t);
  private readonly styleSheet = new CustomStyles((message) => {
    this.stylesUrl = null;
    fireWarning(this, 'styles-failed', message);
  });

  private readonly ui: LocalUi = {
    setPanelOpen: (open) => this.setPanelOpen(open),
    dial: (number, showDialer) => {
      this.number = number;
      if (showDialer) this.view = 'dialer';
    },
    transferSent: (number) => this.transferNotes.sent(this.snapshot.call!.id, number),
  };
  /** Spa mode: the phone in this page. */
  private readonly local = new LocalBackend(this.controller, this.ui);
  /** Multi-tab: which tab of this user holds the phone; the others mirror it and send it their commands. */
  private readonly tabs = new LazyTabs(this, this.controller, {
    run: (name, args) => (this[name as 'call'] as (...a: unknown[]) => unknown).apply(this, args),
    token: () => this.token,
    ui: this.ui,
    fail: (code, message) => this.fail(code, message),
    warn: (message) => fireWarning(this, 'multi-tab-failed', message),
  });

  /** Dialog mode: the popup phone that this element fronts for. */
  private readonly popup = new LazyPopupBackend(this, {
    popupUrl: () => popupHref(this.popupUrl),
    config: () => ({ ...popupConfig(this), 'contact-lookup': !!this.resolveContact }),
    features: () => ({ width: this.popupWidth, height: this.popupHeight }),
    fail: (code, message) => this.fail(code, message),
    sessionId: () => this.controller.phone.sessionId,
    resolveContact: () => this.resolveContact,
    domain: () => this.controller.phone.identity?.domain ?? '',
    panel: (open) => {
      this.open = open;
      this.lifecycle(open ? 'panel-open' : 'panel-close');
    },
  });

  /** Click-to-call: a number clicked in the page; what cannot be dialled now waits in the dial field. */
  private readonly clickToCallLinks = new LazyClickToCall(this, (number) => this.backend.callFromPage(number));
  /** Iframe bridge: the parent page drives this element by postMessage (see `bridge-origins`). */
  private readonly bridge = new LazyFrameBridge(this, (code, message) => this.fail(code, message));
  /** `runPreflight`: here through the `preflight` chunk, in dialog mode in the popup. */
  private readonly preflight = new PreflightRunner(
    this,
    () => this.controller.phone.preflightSetup,
    () => (this.mode === 'dialog' ? () => this.popup.runPreflight() : null),
  );

  @provide({ context: phoneContext })
  @state()
  private snapshot: PhoneSnapshot = this.controller.snapshot;

  /** What the views may do; the same object for the element's life. */
  @provide({ context: actionsContext })
  protected readonly actions: PhoneActions = {
    call: (number) => this.call(number),
    answer: () => this.answer(),
    reject: () => this.reject(),
    hangup: () => this.hangup(),
    sendDtmf: (digits) => this.sendDtmf(digits),
    setMuted: (muted) => (muted ? this.mute() : this.unmute()),
    setHeld: (held) => (held ? this.hold() : this.unhold()),
    transfer: (number) => this.transfer(number),
    acceptTransfer: () => this.acceptTransfer(),
    declineTransfer: () => this.declineTransfer(),
    consult: (number) => this.consult(number),
    completeTransfer: () => this.completeTransfer(),
    cancelConsult: () => this.cancelConsult(),
    selectOutboundNumber: (number) => this.selectOutboundNumber(number),
    setAudioDevice: (kind, deviceId) => this.setAudioDevice(kind, deviceId),
    previewRingtone: () => this.controller.phone.previewRingtone(),
    setDnd: (on) => this.setDnd(on),
    setVolume: (kind, level) => this.setVolume(kind, level),
    merge: () => this.merge(),
    split: () => this.split(),
    startRecording: () => this.startRecording(),
    stopRecording: () => this.stopRecording(),
    enableAudio: () => this.enableAudio(),
    allowMicrophone: () => this.allowMicrophone(),
    setNotifications: (on) => void this.notifier.setEnabled(on),
    hide: () => this.hide(),
    setNumber: (number) => (this.number = number),
    showView: (view) => this.showView(view),
    redial: (number) => {
      this.view = 'dialer';
      this.call(number);
    },
    runPreflight: () => this.runPreflight(),
    usePhoneHere: () => void this.tabs.claim(),
  };

  /** The dial field's text. */
  @state() private number = '';
  /** What the panel shows when no call is on screen. */
  @state() private view: PanelView = 'dialer';

  /** The language in use: `lang`, else the page's (what the popup gets). */
  @state() private language: string | null = null;
  /** The checked URLs in use (null: none, or refused); the popup gets them. */
  @state() private logoUrl: string | null = null;
  @state() private linkUrl: string | null = null;
  @state() private stylesUrl: string | null = null;
  /** The checked ringtone URL: dialog mode forwards it (popupConfig reads it by name). */
  @state() protected ringtoneUrl: string | null = null;
  /** The words in use: the language's set with the host's overrides. */
  private t: Strings = stringsFor(null, null);
  /** The call whose Answer button already got the focus. */
  private focusedFor: string | null = null;
  /** The first full render waits for the first registration (briefly): src/element/first-render.ts. */
  private readonly firstRender = new FirstRenderHold(this);
  /** The sheets are adopted at the first full render. */
  private hasStyles = false;

  /** The short-lived widget token. */
  @property() token: string | null = null;

  /** The SIP server's WebSocket URL. */
  @property({ attribute: 'sip-server' }) sipServer: string | null = null;

  /** `spa`: the phone runs in this page. `dialog`: it runs in a popup window that outlives page navigation. */
  @property() mode: 'spa' | 'dialog' = 'spa';

  /** Dialog mode: the popup page's URL (default: voice-widget-popup.html beside the script). */
  @property({ attribute: 'popup-url' }) popupUrl: string | null = null;

  /** Dialog mode: the popup's width in CSS pixels. */
  @property({ attribute: 'popup-width', type: Number }) popupWidth = 264;

  /** Dialog mode: the popup's height in CSS pixels. */
  @property({ attribute: 'popup-height', type: Number }) popupHeight = 460;

  /** No launcher button: the host opens the phone from its own controls (`show()`, `call()`). */
  @property({ attribute: 'hide-launcher', type: Boolean }) hideLauncher = false;

  /** URL of a logo image (https:, relative, or http: on loopback); shown as an `<img>`, so an SVG's scripts never run. */
  @property({ attribute: 'custom-logo' }) customLogo: string | null = null;

  /** Where the logo links to (opens in a new tab). */
  @property({ attribute: 'custom-link' }) customLink: string | null = null;

  /** Hides the logo (it shows by default). */
  @property({ attribute: 'hide-logo', type: Boolean }) hideLogo = false;

  /** URL of a stylesheet loaded into the widget's shadow root (variables, parts, or a Wavix theme file). */
  @property({ attribute: 'custom-styles' }) customStyles: string | null = null;

  /** URL of a ringtone file (https:, relative, or http: on loopback), looped on the ringer; default the generated double ring. */
  @property() ringtone: string | null = null;

  /** `light` (default), `dark`, or `auto` (follows the system's preference). Variables set by the page win. */
  @property({ reflect: true }) theme: 'light' | 'dark' | 'auto' = 'light';

  /** The header's title (null: the language's word for "Phone"). */
  @property({ attribute: 'window-title' }) windowTitle: string | null = null;

  /** How digits are sent on a call: `info` (SIP INFO) or `rfc2833` (telephone-events in the media). */
  @property({ attribute: 'dtmf-mode' }) dtmfMode: DtmfMode = 'info';

  /** STUN/TURN servers (attribute: a JSON array of `RTCIceServer`); overrides the token's `ice_servers`. */
  @property({ attribute: 'ice-servers', converter: jsonConverter }) iceServers: RTCIceServer[] | null = null;

  /** `all` (default) or `relay`: media only through the TURN servers (the token's or `ice-servers`). */
  @property({ attribute: 'ice-transport-policy' }) iceTransportPolicy: 'all' | 'relay' = 'all';

  /** A call arriving during a call: `wait` (it rings beside the current one) or `reject` (486 Busy Here at once). */
  @property({ attribute: 'busy-policy' }) busyPolicy: 'wait' | 'reject' = 'wait';

  /** A transfer asked by the far end (REFER): `ask` the user (declined after 25 s), `accept` or `reject` at once. */
  @property({ attribute: 'refer-policy' }) referPolicy: ReferPolicy = 'ask';

  /** Quality warning thresholds to change (property only; a partial object, see docs/call-quality.md). */
  @property({ attribute: false }) qualityThresholds: Partial<QualityThresholds> | null = null;

  /** Do-not-disturb: incoming calls are refused (486, or 480 with `dnd-response="unavailable"`) and listed as missed. */
  @property({ type: Boolean }) dnd = false;

  /** What a caller hears under do-not-disturb: `busy` (486 Busy Here, default) or `unavailable` (480). */
  @property({ attribute: 'dnd-response' }) dndResponse: DndResponse = 'busy';

  /** `off` (default), `header` (only when the server-vouched INVITE asks) or `always` (after `auto-answer-delay`). */
  @property({ attribute: 'auto-answer' }) autoAnswer: AutoAnswerMode = 'off';

  /** Seconds `auto-answer="always"` waits before answering (0-60). */
  @property({ attribute: 'auto-answer-delay', type: Number }) autoAnswerDelay = 0;

  /** Call recording: `off` (default), `on` (a Record button and `startRecording()`), `announced` (as `on`, with two beeps as it starts). */
  @property() recording: RecordingPolicy = 'off';

  /**
   * Whether the panel is open (dialog mode: the popup window); setting it opens or closes it (spa mode: without the
   * methods' `panel-open`/`panel-close`). Dialog mode: set to true outside a user gesture, the browser blocks the popup
   * (`popup-blocked`) and it turns back to false.
   */
  @property({ type: Boolean, reflect: true }) open = false;

  /** The browser's noise suppression on the microphone: `on` (default) or `off`; a change applies to a call at once. */
  @property({ attribute: 'noise-suppression' }) noiseSuppression: OnOff = 'on';

  /** The browser's echo cancellation: `on` (default) or `off`; a change applies to a call at once. */
  @property({ attribute: 'echo-cancellation' }) echoCancellation: OnOff = 'on';

  /** The browser's automatic gain control: `on` (default) or `off`; a change applies to a call at once. */
  @property({ attribute: 'auto-gain-control' }) autoGainControl: OnOff = 'on';

  /**
   * The host's own microphone processing: `{process(stream) → stream}` (property only; in-page mode only, it cannot
   * cross to a popup or a frame). See docs/call-quality.md.
   */
  @property({ attribute: false }) audioProcessor: AudioProcessor | null = null;

  /**
   * Caller lookup: `(number, direction) → {name, detail?, avatarUrl?, url?} | null`, sync or async (property only).
   * Asked once per number (answers kept 10 minutes), given 2 s; the call rings with the number meanwhile, and a
   * hook that throws, hangs or answers junk only leaves the number. Dialog mode asks it from the popup by message.
   */
  @property({ attribute: false }) resolveContact: ResolveContact | null = null;

  /** Pins the widget to the bottom-right corner of the window (what the one-line embed and `createVoiceWidget` without a container do). */
  @property({ type: Boolean, reflect: true }) floating = false;

  /** `tel:` links and `[data-phone]` elements anywhere in the page become calls through this widget (elements added later too). */
  @property({ attribute: 'click-to-call', type: Boolean }) clickToCall = false;

  /** The language of the widget's words: `en` (default) or `es`; without it, the page's `<html lang>`. */
  @property() override lang = '';

  /** Replaces any of the widget's words (see `Strings`); merged over the language's set. */
  @property({ attribute: false }) strings: Partial<Strings> | null = null;

  /**
   * Iframe bridge: space-separated origins whose page, as this frame's parent, may run the element's
   * methods and get its events by postMessage. Exact (`https://crm.example.com`) or `https://*.example.com`
   * (subdomains, not the domain itself). No bridge when empty, or when the page is not in a frame.
   */
  @property({ attribute: 'bridge-origins' }) bridgeOrigins: string | null = null;

  /** `shared` (default): the tabs of one user and server share one phone (one registration); `off`: a phone per tab. Spa mode only. */
  @property({ attribute: 'multi-tab' }) multiTab: MultiTab = 'shared';

  constructor() {
    super();
    this.addController(new UserGestures(this, () => this.snapshot));
    // Dialog mode: the popup's switch (or setDnd there) turns do-not-disturb on or off; `dnd` follows it.
    this.addEventListener('dnd-change', (e) => {
      if (this.mode === 'dialog') this.dnd = (e as CustomEvent<{ on: boolean }>).detail.on;
    });
  }

  /** Where commands go: this page's phone, another tab's (multi-tab), or in dialog mode the popup's. */
  private get backend(): PhoneBackend {
    return this.mode === 'dialog' ? this.popup : (this.tabs.follower ?? this.local);
  }

  /** @deprecated Use `open` (a framework that sets `open` as a property no longer overwrites a method). */
  get panelOpen(): boolean {
    deprecated('panelOpen', 'open');
    return this.open;
  }

  set panelOpen(value: boolean) {
    deprecated('panelOpen', 'open');
    this.open = value;
  }

  /** The ring and call volumes, 0..1 (dialog mode: the popup's; this page's until it reports). */
  get volumes(): Readonly<Volumes> {
    return this.backend.volumes ?? this.controller.phone.volumes;
  }

  /** The registration state: `connecting | registered | reconnecting | unregistered | failed` (dialog mode: the popup's). */
  get registrationState(): RegistrationState {
    return this.backend.registrationState;
  }

  /** The caller ID sent with outgoing calls, or null for the user's own. */
  get outboundNumber(): string | null {
    return this.controller.phone.outboundNumber;
  }

  /** The chosen devices (null: the system default). */
  get audioDevices(): Readonly<Record<AudioDeviceKind, string | null>> {
    return this.controller.phone.audioDevices;
  }

  /** The calls under way (the foreground one, and a second one ringing): `{id, state, direction, number, name}`. */
  get calls(): CallSummary[] {
    return this.backend.calls;
  }

  // ── lifecycle ──────────────────────────────────────────────────────────────

  /** Lit's shadow root without its sheets: building them is main-thread work the socket need not wait for. */
  protected override createRenderRoot(): HTMLElement | DocumentFragment {
    return this.shadowRoot ?? this.attachShadow(VoiceWidget.shadowRootOptions);
  }

  /** Also waits for the held first render: after `updateComplete` the element shows its launcher. */
  protected override async getUpdateComplete(): Promise<boolean> {
    await super.getUpdateComplete();
    await this.firstRender.released();
    return super.getUpdateComplete();
  }

  /** A language whose strings load lazily (lang="es"): no render until they are here, so no English first. */
  protected override scheduleUpdate(): void | Promise<unknown> {
    const waits = [languageLoading(this.lang || document.documentElement.lang), this.viewLoading()].filter((w) => w);
    return waits.length > 0 ? Promise.all(waits).then(() => super.scheduleUpdate()) : super.scheduleUpdate();
  }

  /** The settings and recent-calls views are the `views` chunk: the panel waits for it; if it cannot load, back to the dialer. */
  private viewLoading(): Promise<void> | null {
    return (
      panelViewLoading(this.view)?.catch((err: unknown) => {
        this.fail('chunk-failed', loadFailure(err));
        this.view = 'dialer';
      }) ?? null
    );
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('lang') || changed.has('strings')) {
      this.language = this.lang || document.documentElement.lang || null;
      this.t = stringsFor(this.language, this.strings);
    }
    const fail = (code: ErrorCode, message: string) => this.fail(code, message);
    // The attribute table: allowed values checked, and the Phone configuration the changed ones set.
    const config = applyAttributes(this, (property) => changed.has(property as keyof VoiceWidget), fail);
    // An open panel may show the settings or recent calls next: their chunk loads now (a failure is told when they are shown).
    if (changed.has('open') && this.open && this.mode !== 'dialog') loadPanelViews().catch(() => undefined);
    // In dialog mode the popup's phone registers, and with multi-tab the leader tab's; this one stays off the network.
    this.tabs.want(this.multiTab !== 'off' && this.mode !== 'dialog');
    this.controller.setActive(this.mode !== 'dialog' && this.tabs.leading);
    // Dialog mode: `open` set by the host opens or closes the popup (the popup's own opening and closing set it too).
    if (changed.has('open')) this.open = this.backend.setOpen(this.open);
    if (changed.has('bridgeOrigins')) this.bridge.setOrigins(this.bridgeOrigins);
    if (changed.has('clickToCall')) this.clickToCallLinks.setEnabled(this.clickToCall);
    if (changed.has('customLogo')) this.logoUrl = checkedUrl('custom-logo', this.customLogo, 'resource', fail);
    if (changed.has('customLink')) this.linkUrl = checkedUrl('custom-link', this.customLink, 'link', fail);
    if (changed.has('ringtone')) this.controller.phone.setRingtone((this.ringtoneUrl = checkedUrl('ringtone', this.ringtone, 'resource', fail)));
    if (changed.has('customStyles')) this.stylesUrl = this.styleSheet.watch(checkedUrl('custom-styles', this.customStyles, 'resource', fail));
    if (Object.keys(config).length > 0) this.controller.configure(config);
    this.tabs.update(this.sipServer, this.token);
    // The attributes are checked and the phone configured (its WebSocket created): the first render may wait for it.
    if (!this.hasUpdated && this.mode !== 'dialog') this.firstRender.hold(this.controller.phone);
  }

  override updated(changed: PropertyValues<this>): void {
    // Reflect state for styling from outside without script: voice-widget[state="in-progress"].
    this.setAttribute('state', this.getState());
    this.setAttribute('registration', this.registrationState);
    if (this.firstRender.firstFullRender()) this.lifecycle('widget-load');
    // The connected call's screen is a chunk: fetched once registered, so a call finds it cached.
    if (this.mode !== 'dialog')
      prefetchInCallViews(this.registrationState === 'registered', this.snapshot.call?.id ?? null, (err) => this.fail('chunk-failed', loadFailure(err)));
    if (this.mode === 'dialog') {
      const config: DialogConfig = popupConfig(this, (field) => changed.has(field as keyof VoiceWidget));
      if (changed.has('resolveContact')) config['contact-lookup'] = !!this.resolveContact;
      if (Object.keys(config).length > 0) this.popup.update(config);
    }
    // A call comes in: Answer gets the focus, so Enter or Space takes it.
    const ringing = this.snapshot.call?.state === 'incoming' ? this.snapshot.call.id : null;
    if (ringing && ringing !== this.focusedFor && this.open) {
      this.focusedFor = ringing;
      void this.focusAnswer();
    }
  }

  override render() {
    if (this.firstRender.holding) return nothing;
    // The first full render adopts the sheets (before the views of lazy chunks add theirs).
    if (!this.hasStyles) adoptStyles(this.renderRoot as ShadowRoot, VoiceWidget.elementStyles);
    this.hasStyles = true;
    const url = this.stylesUrl;
    return html`${this.styleSheet.link(url)}
      <div id="webrtc-widget" class="root">${
        this.mode === 'dialog'
          ? renderDialogLauncher(this.t, this.hideLauncher, this.popup.state, () => this.show())
          : renderWidget({
              t: this.t,
              snapshot: this.snapshot,
              open: this.open,
              hideLauncher: this.hideLauncher,
              heading: this.windowTitle || this.t.phone,
              logoUrl: this.logoUrl,
              linkUrl: this.linkUrl,
              hideLogo: this.hideLogo,
              view: this.view,
              number: this.number,
              transferNote: this.transferNotes.note,
              notificationSupport: this.notifier.support,
              notificationsEnabled: this.notifier.enabled,
              announcement: announcement(this.snapshot.call, this.t),
              show: () => this.show(),
            })
      }</div>`;
  }

  // ── public API ─────────────────────────────────────────────────────────────

  /**
   * Places a call. False (with an `error` event) when the number is invalid or the phone cannot call now.
   * Dialog mode: true when the popup was opened (from a user gesture) or reused and dials there.
   */
  call(number: string): boolean {
    return this.backend.call(number);
  }

  /** Answers the ringing call. */
  answer(): boolean {
    return this.backend.answer();
  }

  /** Declines the ringing call (603 Decline). */
  reject(): boolean {
    return this.backend.reject();
  }

  /** Hangs up, cancels or declines the current call. */
  hangup(): boolean {
    return this.backend.hangup();
  }

  /** Sends DTMF digits (0-9, A-D, *, #) on the connected call. */
  sendDtmf(digits: string): boolean {
    return this.backend.sendDtmf(digits);
  }

  /** Mutes the microphone of the current call (the far end hears silence; the call's media keeps flowing). */
  mute(): boolean {
    return this.backend.setMuted(true);
  }

  /** Unmutes the microphone of the current call. */
  unmute(): boolean {
    return this.backend.setMuted(false);
  }

  /** A live call's latest quality sample (MOS, RTT, jitter, loss, codec, bitrate, levels, candidates), or null. */
  getCallStats(id: string): QualitySample | null {
    return this.backend.getCallStats(id);
  }

  /**
   * The pre-call test, without calling or registering: microphone, SIP server (an OPTIONS on its own WebSocket),
   * ICE routes, and a short media loop through the TURN server. Resolves with the report, also fired as
   * `preflight-complete` after `preflight-progress` for each step. Dialog mode: runs in the popup.
   */
  runPreflight(options?: PreflightOptions): Promise<PreflightReport> {
    return this.preflight.run(options);
  }

  /** Whether the current call's microphone is muted. */
  isMuted(): boolean {
    return this.backend.isMuted();
  }

  /** Puts the call on hold (no audio either way); `hold-change` fires when the far end confirms. */
  hold(): boolean {
    return this.backend.setHeld(true);
  }

  /** Resumes a held call; `hold-change` fires when the far end confirms. */
  unhold(): boolean {
    return this.backend.setHeld(false);
  }

  /** Blind-transfers the connected call; the outcome arrives as a `transfer` event. */
  transfer(number: string): boolean {
    return this.backend.transfer(number);
  }

  /** Obeys the far end's transfer request (`transfer-requested`): calls its target. */
  acceptTransfer(): boolean {
    return this.backend.acceptTransfer();
  }

  /** Refuses the far end's transfer request (NOTIFY `603 Decline`); the call goes on. */
  declineTransfer(): boolean {
    return this.backend.declineTransfer();
  }

  /** Attended transfer: puts the connected call on hold and calls `number` (the consult call). */
  consult(number: string): boolean {
    return this.backend.consult(number);
  }

  /** Transfers the held call to the consult call's party (REFER with `Replaces`); both calls end as `transferred`. */
  completeTransfer(): boolean {
    return this.backend.completeTransfer();
  }

  /** Ends the consult call and resumes the held one. */
  cancelConsult(): boolean {
    return this.backend.cancelConsult();
  }

  /** Chooses the caller ID for outgoing calls: one the token lists, or null for the user's own. */
  selectOutboundNumber(number: string | null): boolean {
    return this.backend.selectOutboundNumber(number);
  }

  /** Lists microphones and speakers. Names appear once the page may use the microphone. */
  listAudioDevices(): Promise<AudioDeviceList> {
    return listAudioDevices();
  }

  /** Chooses the microphone, speaker or ringer (null: the system default); remembered for this site. */
  setAudioDevice(kind: AudioDeviceKind, deviceId: string | null): boolean {
    return this.controller.phone.setAudioDevice(kind, deviceId);
  }

  /** Lets sound play after the browser blocked it (`audio-blocked`); call it from a click. */
  async enableAudio(): Promise<boolean> {
    const ok = await this.controller.phone.enableAudio();
    this.controller.refresh();
    return ok;
  }

  /** Turns do-not-disturb on or off (`dnd-change` when it changed). */
  setDnd(on: boolean): boolean {
    this.dnd = on === true;
    return this.backend.setDnd(on === true);
  }

  /** Sets the ring volume (0 mutes the ringer, not the calls) or the call volume, 0..1; remembered for this user. */
  setVolume(kind: VolumeKind, level: number): boolean {
    return this.backend.setVolume(kind, level);
  }

  /** Mixes the held call and the active one into a three-way call; `conference-change` once mixed. */
  merge(): boolean {
    return this.backend.merge();
  }

  /** Ends the merge: the call that was held is held again. */
  split(): boolean {
    return this.backend.split();
  }

  /** Records the call on screen, both directions mixed, when `recording` allows it (nothing is uploaded). */
  startRecording(): boolean {
    return this.backend.startRecording();
  }

  /** Stops the recording; `recording-available` brings the blob. */
  stopRecording(): boolean {
    return this.backend.stopRecording();
  }

  /** Whether this phone holds the current call. */
  isOnHold(): boolean {
    return this.backend.isOnHold();
  }

  /** True when a new call can be placed. */
  isReady(): boolean {
    return this.backend.isReady();
  }

  /**
   * `loading | ready | error`, or the foreground call's `dialing | ringing | incoming | in-progress | completed | failed`.
   * Dialog mode: the popup's; `loading` while no popup is attached.
   */
  getState(): WidgetState {
    return this.backend.getState();
  }

  /** Hangs up any call and returns to the phone's own state. */
  reset(): void {
    this.backend.reset();
  }

  /** Forgets this user's recent calls. */
  clearHistory(): void {
    this.backend.clearHistory();
  }

  /**
   * Opens the phone, with `number` in its dial field: the panel, or in dialog mode the popup window (call it from
   * a user gesture; an open popup comes to the front). False when the browser blocked the popup.
   */
  show(number?: string): boolean {
    return this.backend.show(number);
  }

  /** Closes the panel. Dialog mode: closes the popup window, which hangs up its call first. */
  hide(): void {
    this.backend.hide();
  }

  /** Shows the phone when hidden and hides it when shown; `force` says which. */
  toggle(force?: boolean): void {
    if (force ?? !this.open) this.show();
    else this.hide();
  }

  /** The current call's RTCPeerConnection, for diagnostics (getStats). */
  getPeerConnection(): RTCPeerConnection | null {
    return this.controller.phone.peerConnection;
  }

  // ── helpers ────────────────────────────────────────────────────────────────

  /** Opens or closes the panel for the user or the host's code, and says so (a set `open` attribute says nothing). */
  private setPanelOpen(open: boolean): void {
    if (open === this.open) return;
    this.open = open;
    this.lifecycle(open ? 'panel-open' : 'panel-close');
  }

  /** Fires a lifecycle event; but for `widget-load`, it names the call on screen. */
  private lifecycle(type: 'widget-load' | 'panel-open' | 'panel-close'): void {
    fireLifecycle(this, type, this.controller.phone.sessionId, type === 'widget-load' ? undefined : this.calls[0]?.id);
  }

  private showView(view: PanelView): void {
    this.view = view;
    if (this.view === 'history') {
      this.controller.phone.history?.markSeen();
      this.controller.refresh();
    }
  }

  /** Browsers name devices only once the page may use the microphone: ask (from a click). */
  private async allowMicrophone(): Promise<void> {
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      for (const track of stream.getTracks()) track.stop();
    } catch (e) {
      this.fail(microphoneErrorCode(e), `the microphone could not be opened: ${(e as Error).message}`);
    }
  }

  /** An `error` event (never bubbling). */
  private fail(code: ErrorCode, message: string): void {
    fireError(this, code, message);
  }

  /** The incoming view renders after this element: wait for it, then focus Answer. */
  private async focusAnswer(): Promise<void> {
    await this.renderRoot.querySelector<LitElement>('vw-incoming-view')?.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('[part~="answer-button"]')?.focus();
  }
}
