/* voice-widget loader: VoiceWidget.create() works before voice-widget.min.js has loaded; calls on the handle wait for it. */
(function (w) {
  if (w.VoiceWidget) return;
  var V = (w.VoiceWidget = { q: [] });
  V.create = function (c) {
    var t = { q: [] };
    V.q.push({ t: t, c: c });
    var h = new Proxy(t, {
      get: function (t, k) {
        if (t.r) return typeof t.r[k] === 'function' ? t.r[k].bind(t.r) : t.r[k];
        // Not methods: promises' then, symbols, and the handle's data properties.
        if (typeof k !== 'string' || k === 'then' || k === 'token' || k === 'sipServer' || k === 'element') return undefined;
        return function () {
          t.q.push([k, [].slice.call(arguments)]);
          return h;
        };
      },
      set: function (t, k, v) {
        if (t.r) t.r[k] = v;
        else t.q.push(['=', k, v]);
        return true;
      },
    });
    return h;
  };
})(window);
