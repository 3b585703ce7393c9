// A CRM page with a dialog-mode phone: the phone lives in a popup window, so
// moving between Contacts and Deals keeps the call. Each page asks the host
// backend for Carol's token; the element hands it to the popup.
const phone = document.getElementById('phone');
const log = document.getElementById('log');
const EVENTS = ['dialog-open', 'dialog-attached', 'dialog-close', 'ready', 'call-received', 'call-started', 'call-ended', 'token-expired', 'error'];

for (const type of EVENTS) {
  phone.addEventListener(type, (e) => {
    const item = document.createElement('li');
    item.textContent = `${new Date().toLocaleTimeString()} ${type} ${JSON.stringify(e.detail)}`;
    log.prepend(item);
  });
}

async function fetchToken() {
  const response = await fetch('../api/token?user=carol', { method: 'POST', headers: { 'Content-Type': 'application/json' } });
  if (!response.ok) throw new Error(`token request failed: ${response.status}`);
  return (await response.json()).token;
}

phone.addEventListener('token-expired', async (e) => {
  if (e.detail.reason === 'expired') phone.token = await fetchToken();
});

// No click handler of our own: the element's click-to-call attribute turns the
// tel: links and [data-phone] buttons into calls, and the click is the user
// gesture that lets the phone window open.

const config = await (await fetch('../api/config', { cache: 'no-store' })).json();
phone.setAttribute('sip-server', config.sipServer);
phone.token = await fetchToken();
