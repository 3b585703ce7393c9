/* voice-widget loader: VoiceWidget.create() works before voice-widget.min.js has loaded; calls on the handle wait for it. */
(function (w) {
  if (w.VoiceWidget) return;
  var V = (w.VoiceWidget = { q: [] });
  V.create = function (c) {
    var t = { q: [] };
    V.q.push({ t: t, c: c });
    return new Proxy(t, {
      get: function (t, k) {
        if (t.r) return typeof t.r[k] === 'function' ? t.r[k].bind(t.r) : t.r[k];
        if (k === 'then') return undefined;
        return function () {
          t.q.push([k, [].slice.call(arguments)]);
        };
      },
      set: function (t, k, v) {
        if (t.r) t.r[k] = v;
        else t.q.push(['=', k, v]);
        return true;
      },
    });
  };
})(window);
