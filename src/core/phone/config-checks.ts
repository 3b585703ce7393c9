import { isLoopbackHost } from '../../shared/origins.js';
import type { DtmfMode, ErrorCode } from '../types.js';
import type { ReferPolicy } from '../transfer-request.js';

/** The fields whose refused value puts the phone in `error`. */
export type ConfigField = 'token' | 'server' | 'ice-servers';

/** A refused configuration value: which field, and what to tell the host. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly field: ConfigField,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** At most this many servers in `sip-server`: each is a socket JsSIP may try. */
export const MAX_SERVERS = 8;

const quote = (value: string) => JSON.stringify(value.slice(0, 100));

/**
 * `sip-server`: one or more ws:// or wss:// URLs separated by spaces, tried
 * in order. Empty means none. Throws a ConfigError naming the first bad entry.
 */
export function parseServers(value: string | null): string[] {
  const entries = (value ?? '').trim().split(/\s+/).filter(Boolean);
  if (entries.length > MAX_SERVERS) throw new ConfigError('server', 'invalid-server', `sip-server lists ${entries.length} URLs; at most ${MAX_SERVERS}`);
  for (const entry of entries) {
    if (!isWebSocketUrl(entry))
      throw new ConfigError('server', 'invalid-server', `sip-server must be ws:// or wss:// URLs separated by spaces, got ${quote(entry)}`);
    if (mixedContent(entry))
      throw new ConfigError('server', 'invalid-server', `this page is served over https: the SIP server must be wss://, got ${quote(entry)}`);
  }
  if (new Set(entries).size !== entries.length) throw new ConfigError('server', 'invalid-server', 'sip-server lists the same URL twice');
  return entries;
}

export function isWebSocketUrl(value: string): boolean {
  try {
    const url = new URL(value);
    // A host name or an IP literal: a comma (`wss://a,wss://b`, a list with the wrong separator) is neither.
    const host = /^[a-z0-9.-]+$|^\[[0-9a-f:.]+\]$/i.test(url.hostname);
    return (url.protocol === 'ws:' || url.protocol === 'wss:') && host && !url.username && !url.password;
  } catch {
    return false;
  }
}

/** A page served over https may only open wss:// (browsers block ws:// there as mixed content), except to loopback. */
function mixedContent(value: string): boolean {
  if (typeof location === 'undefined' || location.protocol !== 'https:') return false;
  const url = new URL(value);
  return url.protocol === 'ws:' && !isLoopbackHost(url.hostname);
}

/** The policies, each read as its default unless it names another value. */
export const policies = {
  dtmfMode: (v: DtmfMode): DtmfMode => (v === 'rfc2833' ? 'rfc2833' : 'info'),
  busyPolicy: (v: 'wait' | 'reject'): 'wait' | 'reject' => (v === 'reject' ? 'reject' : 'wait'),
  referPolicy: (v: ReferPolicy): ReferPolicy => (v === 'accept' || v === 'reject' ? v : 'ask'),
  iceTransportPolicy: (v: RTCIceTransportPolicy): RTCIceTransportPolicy => (v === 'relay' ? 'relay' : 'all'),
};
