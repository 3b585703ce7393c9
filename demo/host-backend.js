import { readFile } from 'node:fs/promises';

// What a host application's backend does to give its users widget tokens.
// The browser asks this backend (which knows who the user is); the backend
// asks the token service with its API key; the API key never reaches the page.
// In your app this is one route behind your own login.

/**
 * @param {{ tokenServiceUrl: string, apiKey: string, sipServerUrl: string, users: Record<string, string> }} options
 *   users: the demo's "logged-in" people, SIP user → display name.
 * @returns {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => Promise<boolean>}
 */
export function createHostBackend({ tokenServiceUrl, apiKey, sipServerUrl, users }) {
  /** Finished calls the pages reported (newest first), as a CRM would store them. */
  const callLog = [];

  async function mint(user) {
    const response = await fetch(`${tokenServiceUrl}/v1/tokens`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        sip_user: user,
        name: users[user],
        ttl: 3600,
        payload: { demo: true },
        // Only pages served from this machine may use the token.
        allowed_domains: ['127.0.0.1', 'localhost'],
      }),
    });
    if (response.status !== 201) throw new Error(`token service answered ${response.status}`);
    return (await response.json()).token;
  }

  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://host');
    if (url.pathname === '/demo/api/config' && req.method === 'GET') {
      return json(res, 200, { sipServer: sipServerUrl, users: Object.keys(users) });
    }
    if (url.pathname === '/demo/api/calls') return calls(req, res, url, callLog);
    // The one-line embed: the server prints the signed-in user's token into the script tag.
    // (Here always Dave's: a real backend takes the user from its session and requires a login.)
    if (url.pathname === '/demo/examples/script-tag.html' && req.method === 'GET') {
      const template = await readFile(new URL('./examples/script-tag.html', import.meta.url), 'utf8');
      let token;
      try {
        token = await mint('dave');
      } catch (e) {
        return json(res, 502, { error: e.message });
      }
      // Replacer functions: a `$&` in a value must not be read as a pattern.
      const page = template.replace('{{token}}', () => escapeAttribute(token)).replace('{{sipServer}}', () => escapeAttribute(sipServerUrl));
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
      res.end(page);
      return true;
    }
    if (url.pathname !== '/demo/api/token' || req.method !== 'POST') return false;

    // A JSON Content-Type is what a cross-site page cannot send without a CORS preflight
    // (which this server never answers): no other site can mint tokens here or use up the rate limit.
    if (!sentAsJson(req)) return json(res, 415, { error: 'send Content-Type: application/json' });
    // A real backend takes the user from its session, never from the request.
    const user = url.searchParams.get('user') ?? '';
    if (!Object.hasOwn(users, user)) return json(res, 403, { error: 'unknown user' });

    try {
      return json(res, 200, { token: await mint(user) });
    } catch (e) {
      return json(res, 502, { error: e.message });
    }
  };
}

const CALL_FIELDS = { id: 'string', user: 'string', direction: 'string', number: 'string', cause: 'string', duration: 'number' };

/** POST a finished call (JSON, as the widget's call-ended detail gives it); GET lists a user's calls. */
async function calls(req, res, url, callLog) {
  if (req.method === 'GET') {
    const user = url.searchParams.get('user');
    return json(
      res,
      200,
      callLog.filter((c) => !user || c.user === user),
    );
  }
  if (req.method !== 'POST') return json(res, 405, { error: 'GET or POST' });
  // JSON only: a cross-site form or text/plain beacon cannot post without a CORS preflight then.
  if (!sentAsJson(req)) return json(res, 415, { error: 'send JSON' });
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 4096) return json(res, 413, { error: 'too large' });
  }
  let call;
  try {
    call = JSON.parse(body);
  } catch {
    return json(res, 400, { error: 'not JSON' });
  }
  // Keep only known fields of the right types: the log is shown to people.
  const entry = {};
  for (const [key, type] of Object.entries(CALL_FIELDS)) {
    if (typeof call?.[key] !== type) return json(res, 400, { error: `${key} must be a ${type}` });
    entry[key] = type === 'string' ? call[key].slice(0, 100) : call[key];
  }
  callLog.unshift({ ...entry, loggedAt: new Date().toISOString() });
  callLog.length = Math.min(callLog.length, 200);
  return json(res, 201, { ok: true });
}

/** `Content-Type: application/json` (a text/plain body that holds JSON does not count). */
function sentAsJson(req) {
  return /^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '');
}

function escapeAttribute(value) {
  return String(value).replace(/[&"<>]/g, (c) => ({ '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' })[c]);
}

function json(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
  return true;
}
