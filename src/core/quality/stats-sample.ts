/**
 * One quality sample from one `RTCStatsReport` and the sample before it.
 * Field names follow the W3C stats spec as Chromium fills it in; the
 * counters are cumulative there, so rates and loss come from the change
 * since the previous sample.
 */
import { mos } from './mos.js';

export type CandidateType = 'host' | 'srflx' | 'prflx' | 'relay';

export interface QualitySample {
  /** When it was taken, ms (the sampler's clock). */
  timestamp: number;
  /** Round trip in ms: RTCP's `remote-inbound-rtp.roundTripTime`, else the ICE pair's STUN round trip. */
  rtt: number | null;
  /** Inbound jitter in ms. */
  jitter: number | null;
  /** Inbound packets lost in this interval, as a percentage of those expected. */
  packetLoss: number | null;
  /** Bytes sent and received in this interval. */
  bytesSent: number;
  bytesReceived: number;
  /** kbit/s over this interval, or null on the first sample. */
  bitrate: { send: number; receive: number } | null;
  /** The send codec's MIME type (`audio/opus`), else the receive codec's. */
  codec: string | null;
  /** Microphone (`media-source`) and far-end (`inbound-rtp`) levels, 0–1. */
  audioInputLevel: number | null;
  audioOutputLevel: number | null;
  localCandidateType: CandidateType | null;
  remoteCandidateType: CandidateType | null;
  /** The selected ICE pair's transport state (`connected`, `disconnected`, …), when the browser says. */
  iceState: string | null;
  mos: number | null;
  /** Cumulative counters, for the next sample's differences. */
  totals: { bytesSent: number; bytesReceived: number; packetsReceived: number; packetsLost: number };
  /** What the call was doing, for the warnings (no low-bytes while held, no flat-level while muted). */
  held: boolean;
  muted: boolean;
}

export interface SampleContext {
  timestamp: number;
  held?: boolean;
  muted?: boolean;
  /** `RTCPeerConnection.iceConnectionState`; preferred over the transport stats' `iceState`. */
  iceState?: string | null;
}

/** The stats fields read here; every one optional, as browsers differ. */
interface Stat {
  id: string;
  type: string;
  kind?: string;
  mediaType?: string;
  roundTripTime?: number;
  currentRoundTripTime?: number;
  jitter?: number;
  packetsLost?: number;
  packetsReceived?: number;
  bytesSent?: number;
  bytesReceived?: number;
  codecId?: string;
  mimeType?: string;
  audioLevel?: number;
  mediaSourceId?: string;
  selectedCandidatePairId?: string;
  localCandidateId?: string;
  remoteCandidateId?: string;
  candidateType?: string;
  state?: string;
  nominated?: boolean;
  selected?: boolean;
  iceState?: string;
}

const CANDIDATE_TYPES: readonly string[] = ['host', 'srflx', 'prflx', 'relay'] satisfies CandidateType[];

const isAudio = (s: Stat) => (s.kind ?? s.mediaType) === 'audio';
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const candidateType = (s: Stat | undefined): CandidateType | null =>
  s && CANDIDATE_TYPES.includes(s.candidateType ?? '') ? (s.candidateType as CandidateType) : null;

/** The pair ICE is using: the transport names it; Firefox marks it `selected`; else a nominated, succeeded one. */
function selectedPair(stats: Map<string, Stat>, all: Stat[]): Stat | undefined {
  for (const s of all) if (s.type === 'transport' && s.selectedCandidatePairId) return stats.get(s.selectedCandidatePairId);
  return all.find((s) => s.type === 'candidate-pair' && s.selected) ?? all.find((s) => s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded');
}

/** Builds a sample; `previous` is null for the call's first one. */
export function toSample(report: RTCStatsReport | Map<string, unknown>, previous: QualitySample | null, context: SampleContext): QualitySample {
  const stats = new Map<string, Stat>();
  report.forEach((value: unknown, key: string) => stats.set(key, value as Stat));
  const all = [...stats.values()];
  const first = (type: string) => all.find((s) => s.type === type && isAudio(s));
  const outbound = first('outbound-rtp');
  const inbound = first('inbound-rtp');
  const remoteInbound = first('remote-inbound-rtp');
  const pair = selectedPair(stats, all);
  const source = (outbound?.mediaSourceId && stats.get(outbound.mediaSourceId)) || first('media-source');
  const transport = all.find((s) => s.type === 'transport');

  const totals = {
    bytesSent: num(outbound?.bytesSent) ?? 0,
    bytesReceived: num(inbound?.bytesReceived) ?? 0,
    packetsReceived: num(inbound?.packetsReceived) ?? 0,
    packetsLost: num(inbound?.packetsLost) ?? 0,
  };
  const before = previous?.totals ?? { bytesSent: 0, bytesReceived: 0, packetsReceived: 0, packetsLost: 0 };
  // Counters restart when a track is replaced: a negative change counts as none.
  const delta = (key: keyof typeof totals) => Math.max(0, totals[key] - before[key]);
  const bytesSent = delta('bytesSent');
  const bytesReceived = delta('bytesReceived');
  const lost = delta('packetsLost');
  const expected = delta('packetsReceived') + lost;
  const packetLoss = inbound ? (expected > 0 ? (100 * lost) / expected : 0) : null;

  const rttSeconds = num(remoteInbound?.roundTripTime) ?? num(pair?.currentRoundTripTime);
  const rtt = rttSeconds === null ? null : rttSeconds * 1000;
  const jitterSeconds = num(inbound?.jitter);
  const jitter = jitterSeconds === null ? null : jitterSeconds * 1000;

  const seconds = previous ? (context.timestamp - previous.timestamp) / 1000 : 0;
  const kbps = (bytes: number) => (bytes * 8) / 1000 / seconds;
  const codecStat = stats.get(outbound?.codecId ?? '') ?? stats.get(inbound?.codecId ?? '');

  return {
    timestamp: context.timestamp,
    rtt,
    jitter,
    packetLoss,
    bytesSent,
    bytesReceived,
    bitrate: seconds > 0 ? { send: kbps(bytesSent), receive: kbps(bytesReceived) } : null,
    codec: codecStat?.mimeType ?? null,
    audioInputLevel: num(source?.audioLevel),
    audioOutputLevel: num(inbound?.audioLevel),
    localCandidateType: candidateType(stats.get(pair?.localCandidateId ?? '')),
    remoteCandidateType: candidateType(stats.get(pair?.remoteCandidateId ?? '')),
    iceState: context.iceState ?? transport?.iceState ?? null,
    mos: mos(rtt, jitter, packetLoss),
    totals,
    held: context.held ?? false,
    muted: context.muted ?? false,
  };
}
