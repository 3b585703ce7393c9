// Gives each phone its token and server, and lists what the phones report.
const EVENTS = ['ready', 'registration-change', 'call-received', 'call-started', 'call-ended', 'dtmf', 'token-expired', 'error'];
const log = document.getElementById('log');

function show(who, type, detail) {
  const item = document.createElement('li');
  item.textContent = `${new Date().toLocaleTimeString()} ${who} ${type} ${JSON.stringify(detail)}`;
  log.prepend(item);
}

const config = await (await fetch('./config.json', { cache: 'no-store' })).json();
for (const { user, token } of config.phones) {
  const phone = document.getElementById(user);
  for (const type of EVENTS) phone.addEventListener(type, (e) => show(user, type, e.detail));
  phone.setAttribute('sip-server', config.sipServer);
  phone.token = token;
}
