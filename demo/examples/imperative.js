// VoiceWidget.create() runs before voice-widget.min.js has loaded (the loader
// queues it); the token is set when the host backend has answered.
const log = document.getElementById('log');
const show = (text) => {
  const item = document.createElement('li');
  item.textContent = `${new Date().toTimeString().slice(0, 8)} ${text}`;
  log.prepend(item);
};

async function fetchToken() {
  const response = await fetch('../api/token?user=erin', { method: 'POST', headers: { 'Content-Type': 'application/json' } });
  if (!response.ok) throw new Error(`token request failed: ${response.status}`);
  return (await response.json()).token;
}

/** Finished calls go to the host's backend; keepalive lets the request outlive a page being left. */
async function logCall(call) {
  await fetch('../api/calls', {
    method: 'POST',
    keepalive: true,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user: 'erin', ...call }),
  });
  await showLoggedCalls();
}

async function showLoggedCalls() {
  const calls = await (await fetch('../api/calls?user=erin', { cache: 'no-store' })).json();
  document.getElementById('calls').replaceChildren(
    ...calls.map((c) => {
      const item = document.createElement('li');
      item.textContent = `${c.direction} ${c.number}: ${c.cause}, ${c.duration} s`;
      return item;
    }),
  );
}

const phone = VoiceWidget.create({
  container: 'phone-slot',
  windowTitle: 'Erin · Helpdesk',
  delegate: {
    onLoad: () => show('onLoad'),
    onBeforeConnect: (d) => show(`onBeforeConnect ${d.url}`),
    onReady: () => show('onReady'),
    onCallReceived: (d) => show(`onCallReceived from ${d.from.name}`),
    onCallStarted: (d) => show(`onCallStarted ${d.direction} ${d.number}`),
    onCallEnded: (d) => {
      show(`onCallEnded ${d.cause} after ${d.duration} s`);
      void logCall({ id: d.id, direction: d.direction, number: d.number, duration: d.duration, cause: d.cause });
    },
    // Only a token that ran out is replaced; a revoked one means the backend said no.
    onTokenExpired: async (d) => {
      show(`onTokenExpired ${d.reason}`);
      if (d.reason === 'expired') phone.token = await fetchToken();
    },
    onError: (e) => show(`onError ${e.code}`),
  },
});
phone.show();
document.getElementById('call-bob').addEventListener('click', () => phone.call('bob'));

const config = await (await fetch('../api/config', { cache: 'no-store' })).json();
// The server and token may come after creation (before or after the script has loaded).
phone.sipServer = config.sipServer;
phone.token = await fetchToken();
await showLoggedCalls();
