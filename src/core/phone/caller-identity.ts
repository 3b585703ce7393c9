import { cleanDisplayName } from '../../shared/display-name.js';
import type { IncomingInvite, NameAddr } from '../jssip-adapter.js';
import type { CallReceivedDetail, Party } from '../types.js';

/** Who calls, whom, and by which route: read from an incoming INVITE. */
export interface Caller {
  /** The number the call is listed under. */
  number: string;
  from: Party;
  to: Party;
  paths: CallReceivedDetail['paths'];
}

/**
 * The server's assertion of who calls (P-Asserted-Identity, from the caller's
 * token or a caller ID it allows) beats the From display name.
 */
export function callerOf(remote: NameAddr, request: IncomingInvite): Caller {
  const asserted = request.getHeader('P-Asserted-Identity');
  // `"name" <sip:user@host>`; the quoted-string may hold quoted-pairs (\" and \\, as Kamailio
  // escapes them), and the URI is the one after it, never one inside the name.
  const parsed = asserted ? /^\s*(?:"((?:[^"\\]|\\.)*)"\s*)?<sips?:([^@;>]+)@([^;>]+)/.exec(asserted) : null;
  const assertedName = parsed?.[1]?.replace(/\\(.)/g, '$1');
  const identity: NameAddr = parsed ? { display_name: assertedName, uri: { user: parsed[2], host: parsed[3] } } : remote;
  const from = partyOf(identity, assertedName);
  const to = partyOf(request.to);
  return { number: identity.uri.user ?? from.address, from, to, paths: pathsOf(request, to) };
}

function partyOf(n: NameAddr, name?: string): Party {
  const user = n.uri.user ?? '';
  const address = user ? `sip:${user}@${n.uri.host}` : `sip:${n.uri.host}`;
  return { name: cleanDisplayName(name ?? n.display_name ?? '') || user || n.uri.host, address };
}

/**
 * The route a call took to reach us: each History-Info entry, then each
 * Diversion entry, in header order, then the address that reached this phone.
 */
function pathsOf(request: IncomingInvite, to: Party): CallReceivedDetail['paths'] {
  const paths: CallReceivedDetail['paths'] = [];
  for (const type of ['history-info', 'diversion'] as const) {
    for (const header of request.getHeaders(type === 'history-info' ? 'History-Info' : 'Diversion')) {
      for (const entry of header.split(',')) {
        const m = /^\s*(?:"?([^"<]*)"?\s*)?<(sips?:[^;>?]+)/i.exec(entry);
        if (m) paths.push({ type, address: m[2], name: (m[1] ?? '').trim() });
      }
    }
  }
  paths.push({ type: 'sip', address: to.address, name: to.name });
  return paths;
}
