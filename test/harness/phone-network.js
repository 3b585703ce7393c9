// The files kamailio/phone-network.cfg reads, written from plain values:
// the trunk's dispatcher list (set 1; phone-network.cfg probes each gateway) and the
// DID table (db_text "did": E.164 number → widget user).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const E164 = /^\+[1-9][0-9]{6,14}$/;
const USER = /^[A-Za-z0-9._~+-]{1,64}$/;
const GATEWAY = /^sip:[A-Za-z0-9.-]+(:[0-9]{1,5})?(;transport=(udp|tcp))?$/;

/**
 * @param {string} dir where to write `trunk.list` and `dids/did`
 * @param {{ gateways: string[], dids: Record<string, string> }} network
 *   gateways: SIP URIs of the trunk ("sip:203.0.113.5:5060");
 *   dids: E.164 number ("+4930123456") → widget user ("alice").
 * @returns {{ trunkList: string, didDb: string }} the TRUNK_LIST path and the DID_DB URL
 */
export function writePhoneNetworkFiles(dir, { gateways, dids }) {
  for (const g of gateways) if (!GATEWAY.test(g)) throw new Error(`trunk gateway must be a sip: URI with host and port, got ${JSON.stringify(g)}`);
  for (const [num, user] of Object.entries(dids)) {
    if (!E164.test(num)) throw new Error(`DID ${JSON.stringify(num)} is not an E.164 number (+ and 7 to 15 digits)`);
    if (!USER.test(user)) throw new Error(`DID ${num}: bad user ${JSON.stringify(user)}`);
  }
  const trunkList = path.join(dir, 'trunk.list');
  // "<set> <uri>" per gateway.
  writeFileSync(trunkList, gateways.map((g) => `1 ${g}\n`).join(''));
  const didDir = path.join(dir, 'dids');
  mkdirSync(didDir, { recursive: true });
  // db_text: a header of typed columns, then one row per key (key_type 0 and
  // value_type 0: a string value that never expires).
  writeFileSync(
    path.join(didDir, 'did'),
    'key_name(str) key_type(int) value_type(int) key_value(str) expires(int)\n' +
      Object.entries(dids)
        .map(([num, user]) => `${num}:0:0:${user}:0\n`)
        .join(''),
  );
  return { trunkList, didDb: `text://${didDir}` };
}
