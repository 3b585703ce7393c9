// Forges iframe-bridge commands at a widget frame. Its fragment says how:
//   mode=embed&frame=<url>: embeds the widget and attacks it as its parent (an origin not on its list, a look-alike, null)
//   mode=sibling: attacks the first frame of its parent (the right origin, the wrong window)
//   mode=sandbox&frame=<url>: loads itself, mode=embed, in a sandboxed frame (origin null)
// window.received lists every message of the bridge protocol that reached this page.
(() => {
  const params = new URLSearchParams(location.hash.slice(1));
  const mode = params.get('mode');
  const frameUrl = params.get('frame');
  window.received = [];
  window.addEventListener('message', (e) => {
    if (e.data?.protocol === 'voice-widget') window.received.push({ origin: e.origin, type: e.data.type, name: e.data.name });
  });

  const base = { protocol: 'voice-widget', version: 1, type: 'command' };
  const forged = [
    { ...base, requestId: 'f-hello', name: 'hello', payload: { args: [] } },
    { ...base, requestId: 'f-call', name: 'call', payload: { args: ['bob'] } },
    { ...base, requestId: 'f-state', name: 'getState', payload: { args: [] } },
    { ...base, requestId: 'f-open', name: 'open', payload: { args: ['bob'] } },
    JSON.parse(
      '{"protocol":"voice-widget","version":1,"type":"command","requestId":"f-proto","name":"call","payload":{"args":["bob"],"__proto__":{"polluted":true}}}',
    ),
  ];

  let target = null;
  const start = () => {
    if (mode === 'embed') {
      const frame = document.createElement('iframe');
      frame.allow = 'microphone; autoplay';
      frame.src = frameUrl;
      document.body.append(frame);
      target = () => frame.contentWindow;
    } else if (mode === 'sibling') {
      target = () => parent.frames[0];
    } else if (mode === 'sandbox') {
      const frame = document.createElement('iframe');
      frame.sandbox = 'allow-scripts';
      const self = new URL(location.href);
      self.hash = new URLSearchParams({ mode: 'embed', frame: frameUrl }).toString();
      frame.src = self.href;
      document.body.append(frame);
    }
  };
  if (document.body) start();
  else window.addEventListener('DOMContentLoaded', start);

  /** Sends the forged commands, then a flood of `flood` calls over a second; resolves when done. */
  window.attack = (origin, flood = 0) =>
    new Promise((resolve) => {
      const win = target();
      for (const m of forged) win.postMessage(m, origin);
      let sent = 0;
      const batch = Math.ceil(flood / 10);
      const timer = setInterval(() => {
        for (let i = 0; i < batch && sent < flood; i++, sent++) win.postMessage({ ...forged[1], requestId: `f-${sent}` }, origin);
        if (sent >= flood) {
          clearInterval(timer);
          resolve(sent);
        }
      }, 100);
    });
})();
