'use strict';
// Replaces the `events` package (Node's EventEmitter for browsers) for JsSIP
// in the script-tag build. Safe because JsSIP calls only on, emit, listeners
// and removeListener, and our own code only on/off/once/removeAllListeners;
// the semantics kept: listeners run in order on a copy of the list (adding or
// removing during emit does not change the current emit), `once` wrappers are
// removable by the original listener, emit returns whether any listener ran,
// and `error` with no listener throws.
// Guarded by test/node/jssip-trims.test.js (no other EventEmitter method used).
class EventEmitter {
  _list(name) {
    if (!this._events) this._events = new Map();
    let list = this._events.get(name);
    if (!list) this._events.set(name, (list = []));
    return list;
  }
  on(name, fn) {
    this._list(name).push(fn);
    return this;
  }
  addListener(name, fn) {
    return this.on(name, fn);
  }
  once(name, fn) {
    const wrapper = (...args) => {
      this.removeListener(name, wrapper);
      fn.apply(this, args);
    };
    wrapper.listener = fn;
    return this.on(name, wrapper);
  }
  removeListener(name, fn) {
    const list = this._list(name);
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i] === fn || list[i].listener === fn) {
        list.splice(i, 1);
        break;
      }
    }
    return this;
  }
  off(name, fn) {
    return this.removeListener(name, fn);
  }
  removeAllListeners(name) {
    if (name === undefined) this._events = new Map();
    else this._list(name).length = 0;
    return this;
  }
  listeners(name) {
    return this._list(name).map((fn) => fn.listener || fn);
  }
  listenerCount(name) {
    return this._list(name).length;
  }
  setMaxListeners() {
    return this;
  }
  emit(name, ...args) {
    const list = this._list(name).slice();
    if (name === 'error' && list.length === 0) throw args[0] instanceof Error ? args[0] : new Error(`Unhandled error: ${args[0]}`);
    for (const fn of list) fn.apply(this, args);
    return list.length > 0;
  }
}

module.exports = EventEmitter;
module.exports.EventEmitter = EventEmitter;
