// The page HubSpot loads as a calling widget (the calling settings' `url`):
// HubSpot embeds it in an iframe and talks to it through the SDK's postMessage protocol.
import CallingExtensions from '@hubspot/calling-extensions-sdk';
import 'voice-widget'; // registers <voice-widget>
import { bridgeHubSpot } from './hubspot-bridge.js';

// Which of the calling app's users this is comes from the app's own login (a session cookie in real life).
const user = new URLSearchParams(location.search).get('user') ?? 'alice';
const phone = document.getElementById('phone');
const status = document.getElementById('status');

async function fetchToken() {
  const response = await fetch(`/demo/api/token?user=${encodeURIComponent(user)}`, { method: 'POST', headers: { 'Content-Type': 'application/json' } });
  if (!response.ok) throw new Error(`token request failed: ${response.status}`);
  return (await response.json()).token;
}

const login = (async () => {
  const config = await (await fetch('/demo/api/config')).json();
  phone.sipServer = config.sipServer;
  phone.token = await fetchToken();
  return true;
})();
login.catch((e) => (status.textContent = `Not logged in: ${e.message}`));

phone.addEventListener('token-expired', async (e) => {
  if (e.detail.reason === 'expired') phone.token = await fetchToken();
});
phone.addEventListener('state-change', () => (status.textContent = `${user} · ${phone.getState()}`));

window.hubspotBridge = bridgeHubSpot(phone, (eventHandlers) => new CallingExtensions({ debugMode: false, eventHandlers }), {
  fromNumber: user,
  loggedIn: login,
  // HubSpot sizes its calling frame to this.
  sizeInfo: { width: 300, height: 520 },
});
