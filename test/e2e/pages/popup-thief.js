// A site that is not the app opens the app's popup page with its own origin in
// the fragment, as dialog-host.ts would, and tries to become its host: it
// answers any redeem or hello with its own token and SIP server, then asks
// for a call; it also sends the same blind, every 200 ms. What it receives is
// logged in window.thief.received. The test calls thief.open() from a click.
(() => {
  const base = { protocol: 'voice-widget-dialog', version: 1 };
  const thief = {
    received: [],
    popup: null,
    config: null,
    /** Opens (or, by name, re-uses and navigates) the popup window with this page's origin as its host. */
    open(popupUrl, config) {
      thief.config = config;
      const url = new URL(popupUrl);
      // A query of its own: a URL that differs only in its fragment would not reload a running popup.
      url.search = '?again';
      url.hash = new URLSearchParams({ vw: 'AAAAAAAAAAAAAAAAAAAAAA', origin: location.origin }).toString();
      thief.popup = window.open(url.href, 'voice-widget-dialog', 'popup=yes,width=360,height=640');
      const target = url.origin;
      const drive = () => {
        if (!thief.popup || thief.popup.closed) return;
        thief.popup.postMessage({ ...base, type: 'config', config: thief.config }, target);
        thief.popup.postMessage({ ...base, type: 'command', name: 'call', args: ['victim'] }, target);
      };
      thief.timer = setInterval(drive, 200);
      return thief.popup !== null;
    },
  };
  window.addEventListener('message', (e) => {
    thief.received.push({ origin: e.origin, type: e.data?.type ?? null });
    if (e.data?.protocol !== base.protocol || !thief.config) return;
    if (e.data.type === 'redeem' || e.data.type === 'hello') e.source.postMessage({ ...base, type: 'config', config: thief.config }, e.origin);
    if (e.data.type === 'attached') e.source.postMessage({ ...base, type: 'command', name: 'call', args: ['victim'] }, e.origin);
  });
  window.thief = thief;
})();
