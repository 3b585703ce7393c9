import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { listAudioDevices } from '../../core/audio-devices.js';
import { registerChunk } from '../../shared/chunk-registry.js';
import { loadChunk } from '../../shared/lazy-chunks.js';
import { formatDuration } from '../call-timer.js';
import { incomingIcon, outgoingIcon } from '../icons.js';
import type { PanelView } from '../phone-actions.js';
import { fill } from '../strings.js';
import { ViewElement } from './view-element.js';

/**
 * What the script-tag build's chunks take from the main file instead of a copy
 * of their own (Lit above all): build/lazy-chunks.mjs maps these imports (by
 * module: a package name, or the file's name under src/, unique there) to this object. Only the names
 * listed here exist for a chunk.
 */
registerChunk('shared', {
  lit: { html, nothing },
  'lit/decorators.js': { property, state },
  'audio-devices': { listAudioDevices },
  'call-timer': { formatDuration },
  icons: { incomingIcon, outgoingIcon },
  // The settings view's "Test my setup" loads the preflight chunk through the main file's table.
  'lazy-chunks': { loadChunk },
  strings: { fill },
  'view-element': { ViewElement },
});

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
