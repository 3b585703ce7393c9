// Posts forged dialog-mode messages to its parent: a popup's event, a
// prototype-polluting one, a redeem of a guessed token, then a flood. The parent page's
// origin comes in the fragment (#<origin>).
(() => {
  const target = decodeURIComponent(location.hash.slice(1));
  const snapshot = { state: 'incoming', ready: true, registrationState: 'registered', muted: false, onHold: false, calls: [], callStats: {} };
  const base = { protocol: 'voice-widget-dialog', version: 1 };
  const forged = [
    { ...base, type: 'event', name: 'call-received', detail: { id: 'forged', from: { name: 'Mallory', address: 'sip:mallory@evil.test' } }, snapshot },
    JSON.parse('{"protocol":"voice-widget-dialog","version":1,"type":"event","name":"call-ended","detail":{"__proto__":{"polluted":true}},"snapshot":{}}'),
    { ...base, type: 'redeem', token: 'AAAAAAAAAAAAAAAAAAAAAA' },
    { ...base, type: 'hello' },
  ];
  for (const message of forged) parent.postMessage(message, target);
  // A flood: 10 000 forged events a second, for a second.
  let batches = 0;
  const flood = setInterval(() => {
    for (let i = 0; i < 1000; i++) parent.postMessage(forged[0], target);
    if (++batches === 10) clearInterval(flood);
  }, 100);
})();
