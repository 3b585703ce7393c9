/**
 * The pure parts of `runPreflight`: the report's shape, the verdict from
 * the measured parts, what the gathered ICE candidates say, and the network
 * figures from a media loop's samples. The measuring is in preflight-loop.ts.
 */
import { mos } from './mos.js';
import type { CandidateType, QualitySample } from './stats-sample.js';
import { DEFAULT_THRESHOLDS, type QualityThresholds } from './thresholds.js';

export type PreflightVerdict = 'ready' | 'degraded' | 'blocked' | 'permission-denied';

export interface PreflightMicrophone {
  /** The device's label, or null when none could be opened. */
  device: string | null;
  /** Peak level heard during the test, 0–1. */
  level: number | null;
}

export interface PreflightSignalling {
  /** WebSocket open, ms; null when the SIP server could not be reached. */
  connectMs: number | null;
  /** OPTIONS to its answer, ms. */
  roundTripMs: number | null;
}

export interface PreflightIce {
  host: boolean;
  srflx: boolean;
  relay: boolean;
  /** Only a relay route showed up: calls will need the TURN server. */
  turnRequired: boolean;
}

export interface PreflightNetwork {
  rtt: number | null;
  jitter: number | null;
  loss: number | null;
  mos: number | null;
}

export interface PreflightReport {
  verdict: PreflightVerdict;
  microphone: PreflightMicrophone;
  signalling: PreflightSignalling;
  ice: PreflightIce;
  network: PreflightNetwork;
}

/** Why the verdict is not `ready`, for the plain-words view. */
export type PreflightProblem =
  | 'microphone-denied'
  | 'microphone-missing'
  | 'microphone-silent'
  | 'signalling-unreachable'
  | 'signalling-slow'
  | 'no-media-route'
  | 'turn-unreachable'
  | 'relay-failed'
  | 'poor-network';

/** Peak level under which the microphone counts as giving nothing (a muted or dead input). */
export const SILENT_LEVEL = 0.001;

/** Problems that make calls impossible; the others only make them worse. */
const BLOCKING: ReadonlySet<PreflightProblem> = new Set(['microphone-missing', 'signalling-unreachable', 'no-media-route', 'relay-failed']);

export interface VerdictInput {
  microphone: PreflightMicrophone;
  /** The browser refused the microphone (the user or a policy said no). */
  microphoneDenied: boolean;
  signalling: PreflightSignalling;
  ice: PreflightIce;
  network: PreflightNetwork;
  /** A TURN server was configured (so relay candidates and a loop were expected). */
  turnConfigured: boolean;
}

/** The problems found in the measured parts, most serious first. */
export function preflightProblems(input: VerdictInput, thresholds: QualityThresholds = DEFAULT_THRESHOLDS): PreflightProblem[] {
  const { microphone, signalling, ice, network } = input;
  const problems: PreflightProblem[] = [];
  if (input.microphoneDenied) problems.push('microphone-denied');
  else if (microphone.device === null) problems.push('microphone-missing');
  else if (microphone.level !== null && microphone.level < SILENT_LEVEL) problems.push('microphone-silent');
  if (signalling.connectMs === null) problems.push('signalling-unreachable');
  else if (signalling.roundTripMs !== null && signalling.roundTripMs > thresholds.rtt) problems.push('signalling-slow');
  if (!ice.host && !ice.srflx && !ice.relay) problems.push('no-media-route');
  if (input.turnConfigured && !ice.relay) problems.push('turn-unreachable');
  const measured = network.rtt !== null || network.mos !== null;
  // When only the relay can carry media, a relay loop that carried none means calls will be silent.
  if (input.turnConfigured && ice.relay && !measured && ice.turnRequired) problems.push('relay-failed');
  if (
    (network.rtt !== null && network.rtt > thresholds.rtt) ||
    (network.jitter !== null && network.jitter > thresholds.jitter) ||
    (network.loss !== null && network.loss > thresholds.packetLoss) ||
    (network.mos !== null && network.mos < thresholds.mos)
  ) {
    problems.push('poor-network');
  }
  return problems;
}

export function preflightVerdict(problems: readonly PreflightProblem[]): PreflightVerdict {
  if (problems.includes('microphone-denied')) return 'permission-denied';
  if (problems.some((p) => BLOCKING.has(p))) return 'blocked';
  return problems.length ? 'degraded' : 'ready';
}

export interface GatheredCandidate {
  type: CandidateType | string | null;
  address?: string | null;
  /** A relay candidate's: this client's address as the TURN server saw it. */
  relatedAddress?: string | null;
  /** A relay candidate's: how this client reached the TURN server (`udp`, `tcp`, `tls`). */
  relayProtocol?: string | null;
}

/**
 * What gathering says about routes. UDP gets through directly when a
 * server-reflexive candidate came (a STUN answer), or when the TURN server,
 * reached over UDP, saw this client at one of its host addresses (no NAT
 * between them; the browser drops a srflx equal to a host). Without either
 * (a TURN server reached only over TCP or TLS), only the relay can carry
 * calls: `turnRequired`.
 */
export function classifyCandidates(candidates: readonly GatheredCandidate[]): PreflightIce {
  const of = (type: CandidateType) => candidates.filter((c) => c.type === type);
  const hosts = of('host');
  const srflx = of('srflx').length + of('prflx').length > 0;
  const relays = of('relay');
  const overUdp = relays.filter((r) => r.relayProtocol !== 'tcp' && r.relayProtocol !== 'tls');
  const hostSeen = overUdp.some((r) => !!r.relatedAddress && hosts.some((h) => h.address === r.relatedAddress));
  return { host: hosts.length > 0, srflx, relay: relays.length > 0, turnRequired: relays.length > 0 && !srflx && !hostSeen };
}

/** The loop's figures from its samples: mean RTT and jitter, loss over the whole loop, MOS of those. */
export function networkFigures(samples: readonly QualitySample[]): PreflightNetwork {
  const mean = (values: Array<number | null>) => {
    const known = values.filter((v): v is number => v !== null);
    return known.length ? known.reduce((a, b) => a + b, 0) / known.length : null;
  };
  const last = samples[samples.length - 1];
  if (!last) return { rtt: null, jitter: null, loss: null, mos: null };
  const rtt = mean(samples.map((s) => s.rtt));
  const jitter = mean(samples.map((s) => s.jitter));
  const { packetsLost, packetsReceived } = last.totals;
  const loss = packetsReceived + packetsLost > 0 ? (100 * packetsLost) / (packetsReceived + packetsLost) : null;
  return { rtt, jitter, loss, mos: mos(rtt, jitter, loss) };
}
