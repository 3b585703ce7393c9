/**
 * Code a page may never use, loaded when first needed: the one table of lazy
 * chunks. The npm build keeps these as ordinary dynamic imports (an app's
 * bundler splits them as it likes). The script-tag build turns each entry into
 * its own classic script, dist/voice-widget-<name>.js, loaded from beside the
 * main file (build/lazy-chunks.mjs rewrites this table; src/shared/classic-chunk.ts loads them).
 */
export const CHUNKS = {
  es: () => import('../element/strings-es.js'),
  /** Dialog mode's host side (the popup window's opener stays in the main file: window.open must run in the click). */
  dialog: () => import('../element/backend/popup-backend.js'),
  /** The popup page's side of dialog mode (runPopup): only the popup page loads it. */
  popup: () => import('../dialog/popup.js'),
  /** The call-quality sampler (stats, warnings, summary): fetched when a call is made. */
  quality: () => import('../core/quality/sampler.js'),
  /** The panel's settings and recent-calls views: fetched when the panel opens. */
  views: () => import('../element/views/panel-views.js'),
  /** The iframe bridge (messages that arrive before it are kept for it). */
  bridge: () => import('../bridge/frame-bridge.js'),
  'click-to-call': () => import('../element/click-to-call.js'),
  /** `runPreflight`: the pre-call test (microphone, OPTIONS, ICE, the media loop through TURN). */
  preflight: () => import('../core/quality/preflight-run.js'),
  /** Multi-tab (`multi-tab="shared"`): the election among tabs, the leader's publishing and the follower's mirror. */
  tabs: () => import('../multi-tab/tab-link.js'),
  /** `merge()`: the three-way call's Web Audio mixing. */
  conference: () => import('../core/conference/conference.js'),
  /** `startRecording()`: the call recorder (Web Audio mix into a MediaRecorder). */
  recording: () => import('../core/recording/recorder.js'),
};

export type ChunkName = keyof typeof CHUNKS;

/** The chunk's module, loaded once. */
export function loadChunk<K extends ChunkName>(name: K): ReturnType<(typeof CHUNKS)[K]> {
  return CHUNKS[name]() as ReturnType<(typeof CHUNKS)[K]>;
}
