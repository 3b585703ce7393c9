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
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://host');
    if (url.pathname === '/demo/api/config' && req.method === 'GET') {
      return json(res, 200, { sipServer: sipServerUrl, users: Object.keys(users) });
    }
    if (url.pathname !== '/demo/api/token' || req.method !== 'POST') return false;

    // A real backend takes the user from its session, never from the request.
    const user = url.searchParams.get('user') ?? '';
    if (!Object.hasOwn(users, user)) return json(res, 403, { error: 'unknown user' });

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
    if (response.status !== 201) return json(res, 502, { error: `token service answered ${response.status}` });
    const { token } = await response.json();
    return json(res, 200, { token });
  };
}

function json(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
  return true;
}
