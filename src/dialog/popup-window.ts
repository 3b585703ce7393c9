/**
 * The popup window itself, as the host page handles it: opening it from a
 * user gesture (or finding the one this tab's previous page left running),
 * noticing when it closes, and telling its own windows from others.
 */
import { newConfigToken, POPUP_NAME } from './protocol.js';
import { readStorage, writeStorage } from '../shared/storage.js';

/** How often the host looks whether the user closed the popup (`closed` is readable across origins). */
const CLOSED_POLL_MS = 500;
/** Set while this tab has a popup attached, so the next page of the tab knows one may still be running. */
const POPUP_RUNNING_KEY = 'voice-widget:dialog-popup-running';

export interface OpenedPopup {
  window: Window;
  /** The popup of the tab's previous page, reached by name with nothing loaded into it (its call goes on). */
  reused: boolean;
}

/** A popup just opened, with the single-use config token its URL carries. */
export interface TokenedPopup extends OpenedPopup {
  token: string;
}

/**
 * Opens the popup page at `popupUrl` (absolute) with a fresh config token in
 * the fragment (it never reaches a server, a log or a Referer; the popup
 * removes it at once). Null when the browser blocked it. Kept out of the
 * dialog chunk: it must run inside the click, before that chunk may have arrived.
 */
export function openPopupWithToken(popupUrl: string, size: { width: number; height: number }): TokenedPopup | null {
  const url = new URL(popupUrl);
  const token = newConfigToken();
  url.hash = new URLSearchParams({ vw: token, origin: location.origin }).toString();
  const opened = openPopupWindow(url.href, size);
  return opened && { ...opened, token };
}

/**
 * Opens the popup page at `href`, placed at the bottom right of the screen.
 * Null when the browser blocked it.
 */
export function openPopupWindow(href: string, size: { width: number; height: number }): OpenedPopup | null {
  const { width, height } = size;
  const left = Math.max(0, (screen.availWidth || 1024) - width - 24);
  const top = Math.max(0, (screen.availHeight || 768) - height - 64);
  const features = `popup=yes,width=${width},height=${height},left=${left},top=${top}`;
  try {
    if (popupMayBeRunning()) {
      // This page is new and the popup of the tab's previous page has not said hello yet: reach it by
      // name without loading anything into it (loading would end its call). A window that comes back
      // empty is a new one: only then load the popup page.
      const popup = window.open('', POPUP_NAME, features);
      if (!popup) return null;
      if (!isEmptyWindow(popup)) return { window: popup, reused: true };
      popup.location.replace(href);
      return { window: popup, reused: false };
    }
    const popup = window.open(href, POPUP_NAME, features);
    return popup ? { window: popup, reused: false } : null;
  } catch {
    return null;
  }
}

/** Remembers for the tab's next page whether a popup may still run (cleared when it closes). */
export function markPopupRunning(running: boolean): void {
  // No storage: a click before the popup's hello opens it afresh, as without this flag.
  writeStorage('session', POPUP_RUNNING_KEY, running ? '1' : null);
}

/** Calls `onClosed` once the current popup is closed (or gone); returns the function that stops watching. */
export function watchClosed(popup: () => Window | null, onClosed: () => void): () => void {
  const timer = setInterval(() => {
    const current = popup();
    if (current && !current.closed) return;
    clearInterval(timer);
    onClosed();
  }, CLOSED_POLL_MS);
  return () => clearInterval(timer);
}

/** Whether `source` is a window opened by this tab (its opener is readable across origins). */
export function openedByThisTab(source: Window): boolean {
  try {
    return source.opener === window;
  } catch {
    return false;
  }
}

function popupMayBeRunning(): boolean {
  return readStorage('session', POPUP_RUNNING_KEY) === '1';
}

/** A window just made by `window.open('', name)`: still about:blank, readable because it has our origin. */
function isEmptyWindow(popup: Window): boolean {
  try {
    return popup.location.href === 'about:blank';
  } catch {
    return false; // Another origin: our popup page, already running.
  }
}
