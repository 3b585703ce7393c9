import { css, html, nothing, svg } from 'lit';
import { property, state } from 'lit/decorators.js';
import { listAudioDevices } from '../../core/audio-devices.js';
import { registerChunk } from '../../shared/chunk-registry.js';
import { loadChunk } from '../../shared/lazy-chunks.js';
import { LazyElements } from '../../shared/lazy-elements.js';
import { formatDuration } from '../call-timer.js';
import { hangupIcon, incomingIcon, keypadIcon, micIcon, micOffIcon, outgoingIcon, pauseIcon, phoneIcon, transferIcon } from '../icons.js';
import type { PanelView } from '../phone-actions.js';
import { fill } from '../strings.js';
import { renderParty } from './party.js';
import { ViewElement } from './view-element.js';

/**
 * What the script-tag build's chunks take from the main file instead of a copy
 * of their own (Lit above all): build/lazy-chunks.mjs maps these imports (by
 * module: a package name, or the file's name under src/, unique there) to this object. Only the names
 * listed here exist for a chunk.
 */
registerChunk('shared', {
  lit: { css, html, nothing, svg },
  'lit/decorators.js': { property, state },
  'audio-devices': { listAudioDevices },
  'call-timer': { formatDuration },
  icons: { hangupIcon, incomingIcon, keypadIcon, micIcon, micOffIcon, outgoingIcon, pauseIcon, phoneIcon, transferIcon },
  // The settings view's "Test my setup" loads the preflight chunk through the main file's table.
  'lazy-chunks': { loadChunk },
  party: { renderParty },
  strings: { fill },
  'view-element': { ViewElement },
});

/** The connected call's screen and its call-waiting bar: the `in-call` chunk, fetched once the phone registers (the element asks). */
export const inCallViews = new LazyElements('in-call', { 'vw-in-call-view': 'InCallView', 'vw-call-waiting-view': 'CallWaitingView' });

/** The panel views that are the `views` chunk, by the element that shows each. */
const LAZY_VIEWS = { settings: 'vw-settings-view', history: 'vw-history-view' } as const;

let loading: Promise<void> | null = null;

/** Loads and defines the settings and recent-calls views (once; again after a failed load). */
export function loadPanelViews(): Promise<void> {
  return (loading ??= loadChunk('views').then(
    ({ views }) => {
      for (const [view, tag] of Object.entries(LAZY_VIEWS)) if (!customElements.get(tag)) customElements.define(tag, views[view as keyof typeof views]);
    },
    (err: unknown) => {
      loading = null;
      throw err;
    },
  ));
}

/** Null when `view` can render now; else its chunk's load, which the panel waits for (it shows the view it had meanwhile). */
export function panelViewLoading(view: PanelView): Promise<void> | null {
  const tag = (LAZY_VIEWS as Partial<Record<PanelView, string>>)[view];
  return tag && !customElements.get(tag) ? loadPanelViews() : null;
}

let inCallAskedFor: string | null = null;

/**
 * Fetches the in-call chunk once the phone is registered (so it is cached before a call connects) or has a call;
 * after a failed load, again for the next call. A call that connects before it arrives shows an empty body until then.
 */
export function prefetchInCallViews(registered: boolean, callId: string | null, failed: (err: unknown) => void): void {
  const key = callId ?? (registered ? 'registered' : null);
  if (!key || key === inCallAskedFor || inCallViews.defined) return;
  inCallAskedFor = key;
  inCallViews.load().catch(failed);
}
