// Headless Chromium for the e2e tests: fake microphone, no permission
// prompts, WebRTC over loopback, throw-away profile.
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import puppeteer from 'puppeteer-core';

export const CHROMIUM_ARGS = [
  '--no-sandbox', // running as root in a container
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-breakpad',
  '--disable-dev-shm-usage',
  '--use-fake-device-for-media-stream', // 440 Hz-ish beep as the microphone
  '--use-fake-ui-for-media-stream', // auto-accept getUserMedia
  '--allow-loopback-in-peer-connection', // ICE host candidates on 127.0.0.1
  '--autoplay-policy=no-user-gesture-required', // remote <audio> plays without a click
];

/** Console/page errors per page, kept in memory instead of printed. */
const pageLogs = new WeakMap();

/** Profiles of browsers not closed yet, removed if Node exits first. */
const liveProfiles = new Set();
let exitHookInstalled = false;
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Registered after puppeteer's own 'exit' hook, which SIGKILLs Chromium.
  process.on('exit', () => {
    for (const dir of liveProfiles) rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
  });
}

/**
 * @param {{ args?: string[], without?: string[], headless?: boolean, popupBlocking?: boolean }} [opts]
 *   extra Chromium args, and defaults to leave out (e.g. the autoplay policy,
 *   to test what a real user's browser blocks); popupBlocking keeps Chromium's
 *   pop-up blocker (puppeteer turns it off by default).
 * @returns {Promise<import('puppeteer-core').Browser>} close() also removes
 *   the temporary profile directory.
 */
export async function launchBrowser({ args = [], without = [], headless = true, popupBlocking = false } = {}) {
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'voice-widget-chromium-'));
  let browser;
  try {
    browser = await puppeteer.launch({
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      headless,
      pipe: true, // CDP over stdio pipes: no DevTools port to allocate
      userDataDir,
      args: [...CHROMIUM_ARGS.filter((a) => !without.includes(a)), ...args],
      ignoreDefaultArgs: popupBlocking ? ['--disable-popup-blocking'] : [],
      // puppeteer kills the browser on SIGINT/SIGTERM/SIGHUP/exit itself.
      handleSIGINT: true,
      handleSIGTERM: true,
      handleSIGHUP: true,
      protocolTimeout: 60_000,
    });
  } catch (err) {
    await rm(userDataDir, { recursive: true, force: true });
    throw err;
  }

  liveProfiles.add(userDataDir);
  installExitHook();

  const close = browser.close.bind(browser);
  let closing = null;
  browser.close = () => {
    closing ??= (async () => {
      try {
        await close();
      } catch {
        browser.process()?.kill('SIGKILL');
      } finally {
        await rm(userDataDir, { recursive: true, force: true, maxRetries: 3 });
        liveProfiles.delete(userDataDir);
      }
    })();
    return closing;
  };
  return browser;
}

/**
 * A page in its own browser context (separate storage, cookies, permissions),
 * so two phones in one browser don't share state. Console errors/warnings and
 * uncaught exceptions go to an in-memory list: see pageLog(page).
 * Closing: `await page.browserContext().close()`.
 * @param {import('puppeteer-core').Browser} browser
 * @returns {Promise<import('puppeteer-core').Page>}
 */
export async function newIsolatedPage(browser) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  const log = [];
  pageLogs.set(page, log);
  page.on('console', (msg) => {
    const type = msg.type();
    if (type === 'error' || type === 'warn' || type === 'assert') log.push(`[console.${type}] ${msg.text()}`);
  });
  page.on('pageerror', (err) => log.push(`[pageerror] ${err?.stack ?? err}`));
  page.on('requestfailed', (req) => log.push(`[requestfailed] ${req.url()} ${req.failure()?.errorText ?? ''}`));
  page.on('error', (err) => log.push(`[crash] ${err?.message ?? err}`));
  return page;
}

/** The console errors etc. collected for a page from newIsolatedPage(). */
export function pageLog(page) {
  return pageLogs.get(page) ?? [];
}

/**
 * An evaluator for pages that must see no user gesture: puppeteer's
 * evaluate() runs with one (CDP userGesture: true), which unlocks audio and
 * lets pop-ups through. Call it as `quiet(fn, ...args)`, or `quiet.raw(expression)`.
 * @param {import('puppeteer-core').Page} page
 */
export async function withoutGesture(page) {
  const cdp = await page.createCDPSession();
  const raw = async (expression) => {
    const r = await cdp.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true, userGesture: false });
    if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text);
    return r.result.value;
  };
  return Object.assign((fn, ...args) => raw(`(${fn})(...${JSON.stringify(args)})`), { raw });
}
