/** The part of the Network Information API read here (Chromium; absent in Firefox and Safari). */
export interface ConnectionInfo extends EventTarget {
  /** `wifi`, `cellular`, `ethernet`…: Chromium on Android and ChromeOS; undefined on desktop. */
  readonly type?: string;
}

export interface NetworkSources {
  /** Fires `online` and `offline` (the window). */
  window: EventTarget;
  /** `navigator.connection`, where the browser has it. */
  connection?: ConnectionInfo;
  /** `navigator.onLine`. */
  onLine(): boolean;
}

const browserSources = (): NetworkSources => ({
  window,
  connection: (navigator as Navigator & { connection?: ConnectionInfo }).connection,
  onLine: () => navigator.onLine,
});

/**
 * Calls `changed(online)` when the browser's network changes: `offline`,
 * `online`, and a change of connection type (Wi-Fi to cellular) while online,
 * which `online` alone does not report. The connection's other `change`s
 * (its estimates of round-trip time and bandwidth, which move on a healthy
 * network) are not network changes: each would restart a call's ICE.
 * Returns the function that stops watching.
 */
export function watchNetwork(changed: (online: boolean) => void, sources: NetworkSources = browserSources()): () => void {
  const { connection } = sources;
  let type = connection?.type;
  const onWindow = (e: Event) => changed(e.type === 'online');
  const onConnection = () => {
    const was = type;
    type = connection?.type;
    // From or to `none` is `online`/`offline`, which the window reports.
    if (type !== was && was !== 'none' && type !== undefined && type !== 'none' && sources.onLine()) changed(true);
  };
  sources.window.addEventListener('online', onWindow);
  sources.window.addEventListener('offline', onWindow);
  connection?.addEventListener('change', onConnection);
  return () => {
    sources.window.removeEventListener('online', onWindow);
    sources.window.removeEventListener('offline', onWindow);
    connection?.removeEventListener('change', onConnection);
  };
}
