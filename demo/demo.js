// Each phone gets its token from the host backend (demo/host-backend.js),
// and a fresh one whenever the widget says its token ran out.
const EVENTS = ['ready', 'registration-change', 'call-received', 'call-started', 'call-ended', 'dtmf', 'token-expired', 'error'];
const log = document.getElementById('log');

function show(who, type, detail) {
  const item = document.createElement('li');
  item.textContent = `${new Date().toLocaleTimeString()} ${who} ${type} ${JSON.stringify(detail)}`;
  log.prepend(item);
}

async function fetchToken(user) {
  const response = await fetch(`./api/token?user=${encodeURIComponent(user)}`, { method: 'POST', headers: { 'Content-Type': 'application/json' } });
  if (!response.ok) throw new Error(`token request failed: ${response.status}`);
  return (await response.json()).token;
}

const config = await (await fetch('./api/config', { cache: 'no-store' })).json();
for (const user of config.users) {
  const phone = document.getElementById(user);
  if (!phone) continue; // Carol is the CRM demo's agent (crm/contacts.html).
  for (const type of EVENTS) phone.addEventListener(type, (e) => show(user, type, e.detail));
  // Only a token that ran out is replaced; a revoked or refused one means the host said no.
  phone.addEventListener('token-expired', async (e) => {
    if (e.detail.reason === 'expired') phone.token = await fetchToken(user);
  });
  phone.setAttribute('sip-server', config.sipServer);
  phone.token = await fetchToken(user);
}
