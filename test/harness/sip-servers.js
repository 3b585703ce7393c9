// The SIP servers the end-to-end suites run against: a real Kamailio and the
// project's embedded server, behind one interface.
import { SipServer } from '../../dist/node/index.js';
import { startKamailio } from './kamailio.js';

export const SIP_SERVERS = ['kamailio', 'embedded'];

/**
 * @param {'kamailio' | 'embedded'} kind
 * @param {{ secret: string, domain: string }} opts
 * @returns {Promise<{ kind: string, wsUrl: string, stop: () => Promise<void>, log: () => string, server?: SipServer }>}
 */
export async function startSipServer(kind, { secret, domain }) {
  if (kind === 'kamailio') {
    const kam = await startKamailio({ secret });
    return { kind, wsUrl: kam.wsUrl, stop: () => kam.stop(), log: () => kam.log() };
  }
  const lines = [];
  const server = await SipServer.start({ secret, domain, log: (l) => lines.push(l) });
  return { kind, wsUrl: server.url, stop: () => server.stop(), log: () => lines.join('\n'), server };
}
