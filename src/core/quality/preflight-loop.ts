/**
 * Preflight's browser measurements: which ICE candidates a configuration
 * gathers, and a short media loop between two peer connections in this page
 * (forced through the TURN server by `relayOnly`) sampled like a call.
 */
import { classifyCandidates, networkFigures, type GatheredCandidate, type PreflightIce, type PreflightNetwork } from './preflight.js';
import { QualitySampler } from './sampler.js';
import type { QualitySample } from './stats-sample.js';

export const GATHER_TIMEOUT_MS = 5000;
export const LOOP_CONNECT_TIMEOUT_MS = 5000;
export const LOOP_DURATION_MS = 3000;
export const LOOP_SAMPLE_MS = 500;

/** The configuration that lets media go only through the TURN servers. */
export function relayOnly(iceServers: RTCIceServer[]): RTCConfiguration {
  return { iceServers, iceTransportPolicy: 'relay' };
}

/** Gathers candidates for one audio transceiver under `config` (gathering ends, or the timeout). */
export async function gatherCandidates(config: RTCConfiguration, timeoutMs = GATHER_TIMEOUT_MS): Promise<PreflightIce> {
  const pc = new RTCPeerConnection(config);
  const found: GatheredCandidate[] = [];
  try {
    const done = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      pc.onicecandidate = (e) => {
        if (e.candidate) {
          const { type, address, relatedAddress, relayProtocol } = e.candidate as RTCIceCandidate & { relayProtocol?: string | null };
          found.push({ type, address, relatedAddress, relayProtocol });
        } else {
          clearTimeout(timer);
          resolve();
        }
      };
    });
    pc.addTransceiver('audio', { direction: 'sendrecv' });
    await pc.setLocalDescription();
    await done;
    return classifyCandidates(found);
  } finally {
    pc.close();
  }
}

export interface LoopOptions {
  durationMs?: number;
  intervalMs?: number;
  connectTimeoutMs?: number;
}

/**
 * Sends `track` from one local peer connection to another and back under
 * `config`, samples the first for `durationMs`, and gives the figures; all
 * null when the two never connected (the relay carried nothing).
 */
export async function measureMediaLoop(config: RTCConfiguration, track: MediaStreamTrack, options: LoopOptions = {}): Promise<PreflightNetwork> {
  const a = new RTCPeerConnection(config);
  const b = new RTCPeerConnection(config);
  const samples: QualitySample[] = [];
  const sampler = new QualitySampler(
    { peerConnection: () => a, held: () => false, muted: () => false },
    { sample: (s) => samples.push(s) },
    { intervalMs: options.intervalMs ?? LOOP_SAMPLE_MS },
  );
  try {
    a.onicecandidate = (e) => e.candidate && void b.addIceCandidate(e.candidate).catch(() => {});
    b.onicecandidate = (e) => e.candidate && void a.addIceCandidate(e.candidate).catch(() => {});
    a.addTrack(track);
    b.addTrack(track.clone());
    await a.setLocalDescription();
    await b.setRemoteDescription(a.localDescription!);
    await b.setLocalDescription();
    await a.setRemoteDescription(b.localDescription!);
    if (!(await connected(a, options.connectTimeoutMs ?? LOOP_CONNECT_TIMEOUT_MS))) return networkFigures([]);
    sampler.start();
    await new Promise((resolve) => setTimeout(resolve, options.durationMs ?? LOOP_DURATION_MS));
    sampler.stop();
    // A last sample, so a short loop still has its figures.
    await sampler.tick();
    return networkFigures(samples.filter((s) => s.totals.packetsReceived > 0));
  } finally {
    sampler.stop();
    b.getSenders().forEach((s) => s.track?.stop());
    a.close();
    b.close();
  }
}

function connected(pc: RTCPeerConnection, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const check = () => {
      if (pc.connectionState === 'connected') finish(true);
      else if (pc.connectionState === 'failed' || pc.connectionState === 'closed') finish(false);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    const finish = (ok: boolean) => {
      clearTimeout(timer);
      pc.removeEventListener('connectionstatechange', check);
      resolve(ok);
    };
    pc.addEventListener('connectionstatechange', check);
    check();
  });
}
