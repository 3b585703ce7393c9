'use strict';
// Replaces the `debug` package (and `ms`) for JsSIP in the script-tag build.
// Safe because JsSIP uses only this surface of it: `debug(namespace)` returning
// a log function whose `.log` it reassigns (lib/Logger.js), `debug.default`,
// and `JsSIP.debug.enable()/disable()` (the documented way to turn logs on);
// `localStorage.debug` is honoured at load as the real package does.
// Guarded by test/node/jssip-trims.test.js (the debug API JsSIP uses).
let patterns = { on: [], off: [] };

function toRegExp(p) {
  return new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*?')}$`);
}

function enabled(name) {
  return !patterns.off.some((re) => re.test(name)) && patterns.on.some((re) => re.test(name));
}

/** `debug`'s syntax: names separated by commas or spaces, `*` any run, a leading `-` skips. */
function use(list) {
  patterns = { on: [], off: [] };
  for (const p of String(list || '').split(/[\s,]+/)) {
    if (p) (p[0] === '-' ? patterns.off : patterns.on).push(toRegExp(p.replace(/^-/, '')));
  }
}

function enable(list) {
  use(list);
  try {
    if (list) localStorage.setItem('debug', list);
    else localStorage.removeItem('debug');
  } catch {
    // storage blocked (sandboxed frame, privacy mode): logging still follows `list`
  }
}

function createDebug(namespace) {
  const log = (...args) => {
    if (!enabled(namespace)) return;
    if (typeof args[0] === 'string') args[0] = `${namespace} ${args[0]}`;
    else args.unshift(namespace);
    (log.log || console.debug).apply(console, args);
  };
  log.namespace = namespace;
  Object.defineProperty(log, 'enabled', { get: () => enabled(namespace) });
  return log;
}

createDebug.default = createDebug;
createDebug.debug = createDebug;
createDebug.enable = enable;
createDebug.disable = () => enable('');
createDebug.enabled = enabled;

try {
  use(localStorage.getItem('debug'));
} catch {
  // no storage: logging stays off until enable()
}

module.exports = createDebug;
