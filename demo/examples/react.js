// React 19 renders <voice-widget> as the custom element it is: a prop the
// element has (token, sipServer, open) is set as a property, and `on` +
// the exact event name (`oncall-ended`) becomes an addEventListener. No JSX,
// so this file runs without Babel: createElement is what JSX compiles to.
import { createElement as h, useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import 'voice-widget'; // registers <voice-widget>

// The demo's "logged-in" user; a real app knows it from its session.
const user = new URLSearchParams(location.search).get('user') ?? 'alice';

// The host backend (demo/host-backend.js) asks the token service; the API key stays there.
async function fetchToken() {
  const response = await fetch(`/demo/api/token?user=${encodeURIComponent(user)}`, { method: 'POST', headers: { 'Content-Type': 'application/json' } });
  if (!response.ok) throw new Error(`token request failed: ${response.status}`);
  return (await response.json()).token;
}

function App() {
  const phone = useRef(null);
  const [sipServer, setSipServer] = useState(null);
  const [token, setToken] = useState(null);
  const [state, setState] = useState('loading');
  const [lastCall, setLastCall] = useState(null);
  const [failure, setFailure] = useState(null);

  useEffect(() => {
    let live = true;
    Promise.all([fetch('/demo/api/config').then((r) => r.json()), fetchToken()]).then(
      ([config, fresh]) => live && (setSipServer(config.sipServer), setToken(fresh)),
      (e) => live && setFailure(e.message),
    );
    return () => {
      live = false;
    };
  }, []);

  return h(
    'main',
    null,
    h(
      'section',
      { className: 'app' },
      h('h1', null, 'React 19'),
      h(
        'p',
        { className: 'hint' },
        `Logged in as ${user}. The button and the lines below are React's; the phone is <voice-widget>. Answer as Bob on the `,
        h('a', { href: '../' }, 'demo page'),
        '.',
      ),
      h('p', null, 'Phone: ', h('strong', { id: 'state' }, failure ?? state)),
      h('button', { id: 'call-bob', disabled: !['ready', 'completed', 'failed'].includes(state), onClick: () => phone.current.call('bob') }, 'Call bob'),
      h('p', { id: 'last-call' }, lastCall ? `Last call: ${lastCall.number}, ${lastCall.cause}, ${lastCall.duration.toFixed(1)} s` : 'Last call: none yet'),
    ),
    sipServer &&
      h('voice-widget', {
        ref: phone,
        sipServer,
        token,
        // A boolean property (the methods are show(), hide() and toggle()): React sets it as one.
        open: true,
        windowTitle: `React · ${user}`,
        'onstate-change': () => setState(phone.current.getState()),
        'oncall-ended': (e) => setLastCall(e.detail),
        // Only a token that ran out is replaced; a revoked or refused one means "no".
        'ontoken-expired': (e) => e.detail.reason === 'expired' && fetchToken().then(setToken),
      }),
  );
}

createRoot(document.getElementById('root')).render(h(App));
