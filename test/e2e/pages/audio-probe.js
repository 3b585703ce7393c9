// Records what the phone does with sound, for the end-to-end tests: every
// oscillator started (its frequency tells which tone), the audio contexts
// they ran in, speaker choices (setSinkId) and desktop notifications.
(() => {
  const probe = { oscillators: [], contexts: new Set(), sinks: [], notifications: [], closed: [] };

  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (...args) {
    probe.oscillators.push({ frequency: this.frequency.value, state: this.context.state });
    probe.contexts.add(this.context);
    return start.apply(this, args);
  };

  const setSinkId = HTMLMediaElement.prototype.setSinkId;
  HTMLMediaElement.prototype.setSinkId = function (id) {
    probe.sinks.push(id);
    return setSinkId.call(this, id);
  };

  const RealNotification = window.Notification;
  window.Notification = class extends RealNotification {
    constructor(title, options = {}) {
      super(title, options);
      probe.notifications.push({ title, body: options.body, tag: options.tag, silent: options.silent });
    }
    close() {
      probe.closed.push(this.tag);
      super.close();
    }
  };

  window.vwAudio = {
    probe,
    /** Frequencies started since `from`. */
    frequencies: (from = 0) => probe.oscillators.slice(from).map((o) => o.frequency),
    count: () => probe.oscillators.length,
    /** Whether any tone's audio context is running now. */
    sounding: () => [...probe.contexts].some((c) => c.state === 'running'),
    /** The user is in another window: the page is not focused. */
    blur: () => (document.hasFocus = () => false),
  };
})();
