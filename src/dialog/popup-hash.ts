/**
 * The popup page's URL fragment (its one-time config token, the opener's
 * claim), removed from the address bar at once: the main file takes it while it
 * first runs, before the `popup` chunk (src/dialog/popup.ts) arrives.
 */
export function takeHash(): string {
  const { hash } = location;
  if (hash) history.replaceState(null, '', location.pathname + location.search);
  return hash;
}
