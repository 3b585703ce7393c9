// The widget's page in the bridge tests. Its fragment carries the test's
// settings (token, server, bridge-origins); the element's action methods are
// wrapped to record every run, so a test can prove a forged command ran nothing.
(() => {
  const params = new URLSearchParams(location.hash.slice(1));
  const ACTIONS = [
    'call',
    'answer',
    'reject',
    'hangup',
    'sendDtmf',
    'mute',
    'unmute',
    'hold',
    'unhold',
    'transfer',
    'acceptTransfer',
    'declineTransfer',
    'consult',
    'completeTransfer',
    'cancelConsult',
    'selectOutboundNumber',
    'clearHistory',
    'reset',
    'show',
    'hide',
    'toggle',
  ];
  window.bridgeRuns = [];
  // Every bridge message that reached this window, answered or not: proof that a forgery was delivered.
  window.bridgeSeen = 0;
  window.addEventListener('message', (e) => e.data?.protocol === 'voice-widget' && window.bridgeSeen++);
  window.addEventListener('DOMContentLoaded', () => {
    const el = document.getElementById('phone');
    for (const name of ACTIONS) {
      const method = el[name];
      el[name] = function (...args) {
        window.bridgeRuns.push({ name, args });
        return method.apply(this, args);
      };
    }
    if (params.get('origins')) el.setAttribute('bridge-origins', params.get('origins'));
    if (params.get('token')) window.vw.configure({ token: params.get('token'), server: params.get('server') });
  });
})();
