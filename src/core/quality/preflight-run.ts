/**
 * `runPreflight`: tests the setup without a call and without registering.
 * The microphone (opened, its level heard for a second), the SIP server (an
 * OPTIONS on a WebSocket of its own: a REGISTER would add or replace a
 * binding), the ICE routes (candidates gathered), and the network (a short
 * media loop through the TURN server, when one is configured). Loaded as the
 * `preflight` lazy chunk: most pages never run it.
 */
import { microphoneErrorCode } from '../call/media.js';
import {
  preflightProblems,
  preflightVerdict,
  type PreflightIce,
  type PreflightMicrophone,
  type PreflightNetwork,
  type PreflightProblem,
  type PreflightReport,
  type PreflightSignalling,
} from './preflight.js';
import { gatherCandidates, measureMediaLoop, relayOnly } from './preflight-loop.js';
import type { QualityThresholds } from './thresholds.js';

/** What the phone's configuration gives the test. */
export interface PreflightSetup {
  /** The SIP servers' WebSocket URLs, in order (the first is tested). */
  servers: readonly string[];
  /** The SIP domain the OPTIONS is addressed to (else the server's host). */
  domain: string | null;
  iceServers: RTCIceServer[];
  /** getUserMedia's constraints: the chosen microphone, with the voice processing in force. */
  microphone: MediaStreamConstraints;
  thresholds: QualityThresholds;
}

export interface PreflightOptions {
  /** How long the media loop runs, ms (default 3000, 1000 – 10000). */
  duration?: number;
}

export const PREFLIGHT_STEPS = ['microphone', 'signalling', 'ice', 'network'] as const;
export type PreflightStep = (typeof PREFLIGHT_STEPS)[number];

/** `preflight-progress`: a step is done; `done` of `total`. */
export interface PreflightProgress {
  step: PreflightStep;
  done: number;
  total: number;
}

const LEVEL_MS = 1000;
const SIGNALLING_TIMEOUT_MS = 5000;

/** `runPreflight` on an element: its steps fired as `preflight-progress`, its report as `preflight-complete`. */
export async function runPreflightOn(element: HTMLElement, setup: PreflightSetup, options?: PreflightOptions): Promise<PreflightReport> {
  const fire = (type: string, detail: unknown) => element.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  const report = await runPreflight(setup, options, (p) => fire('preflight-progress', p));
  fire('preflight-complete', report);
  return report;
}

/** Why a report's verdict is not `ready`, for the plain-words view (the report carries figures, not reasons). */
export function reportProblems(report: PreflightReport): PreflightProblem[] {
  return preflightProblems({ ...report, microphoneDenied: report.verdict === 'permission-denied', turnConfigured: report.ice.relay });
}

export async function runPreflight(
  setup: PreflightSetup,
  options: PreflightOptions = {},
  progress: (p: PreflightProgress) => void = () => {},
): Promise<PreflightReport> {
  const step = (name: PreflightStep) => progress({ step: name, done: PREFLIGHT_STEPS.indexOf(name) + 1, total: PREFLIGHT_STEPS.length });
  const mic = await openMicrophone(setup.microphone);
  try {
    step('microphone');
    const signalling = await measureSignalling(setup.servers[0] ?? null, setup.domain);
    step('signalling');
    const config: RTCConfiguration = { iceServers: setup.iceServers };
    const ice: PreflightIce = await gatherCandidates(config);
    step('ice');
    const turnConfigured = hasTurn(setup.iceServers);
    let network: PreflightNetwork = { rtt: null, jitter: null, loss: null, mos: null };
    if (turnConfigured && ice.relay) {
      const duration = Math.min(10_000, Math.max(1000, Number(options.duration) || 3000));
      network = await measureMediaLoop(relayOnly(setup.iceServers), mic.track ?? silentTrack(), { durationMs: duration });
    }
    step('network');
    const input = { microphone: mic.part, microphoneDenied: mic.denied, signalling, ice, network, turnConfigured };
    return { verdict: preflightVerdict(preflightProblems(input, setup.thresholds)), microphone: mic.part, signalling, ice, network };
  } finally {
    mic.track?.stop();
  }
}

function hasTurn(iceServers: readonly RTCIceServer[]): boolean {
  return iceServers.some((s) => [s.urls].flat().some((u) => /^turns?:/i.test(String(u))));
}

interface OpenedMicrophone {
  part: PreflightMicrophone;
  denied: boolean;
  track: MediaStreamTrack | null;
}

async function openMicrophone(constraints: MediaStreamConstraints): Promise<OpenedMicrophone> {
  let track: MediaStreamTrack;
  try {
    [track] = (await navigator.mediaDevices.getUserMedia(constraints)).getAudioTracks();
  } catch (e) {
    return { part: { device: null, level: null }, denied: microphoneErrorCode(e) === 'microphone-denied', track: null };
  }
  return { part: { device: track.label || 'default', level: await peakLevel(track) }, denied: false, track };
}

/** The loudest the microphone got over a second, 0–1; null when the page may not run audio yet. */
async function peakLevel(track: MediaStreamTrack): Promise<number | null> {
  const context = new AudioContext();
  try {
    await Promise.race([context.resume(), new Promise((r) => setTimeout(r, 200))]);
    if (context.state !== 'running') return null;
    const analyser = context.createAnalyser();
    context.createMediaStreamSource(new MediaStream([track])).connect(analyser);
    const data = new Float32Array(analyser.fftSize);
    let peak = 0;
    const until = performance.now() + LEVEL_MS;
    while (performance.now() < until) {
      await new Promise((r) => setTimeout(r, 50));
      analyser.getFloatTimeDomainData(data);
      for (const v of data) peak = Math.max(peak, Math.abs(v));
    }
    return Math.min(1, Math.round(peak * 1000) / 1000);
  } finally {
    void context.close();
  }
}

/** A silent track for the media loop when there is no microphone. */
function silentTrack(): MediaStreamTrack {
  const context = new AudioContext();
  const [track] = context.createMediaStreamDestination().stream.getAudioTracks();
  track.addEventListener('ended', () => void context.close());
  return track;
}

const token = () => Math.random().toString(36).slice(2, 12);

/**
 * Opens a WebSocket of its own to `url` and sends one OPTIONS: the time to
 * open, and to the answer (any status: the server is there). Never a
 * REGISTER, so the user's bindings stay as they are.
 */
export function measureSignalling(url: string | null, domain: string | null): Promise<PreflightSignalling> {
  const result: PreflightSignalling = { connectMs: null, roundTripMs: null };
  if (!url) return Promise.resolve(result);
  return new Promise((resolve) => {
    let ws: WebSocket;
    const started = performance.now();
    const finish = () => {
      clearTimeout(timer);
      try {
        ws?.close();
      } catch {
        // already closed
      }
      resolve(result);
    };
    const timer = setTimeout(finish, SIGNALLING_TIMEOUT_MS);
    let host: string;
    try {
      host = domain || new URL(url).hostname;
      ws = new WebSocket(url, 'sip');
    } catch {
      finish();
      return;
    }
    const callId = token();
    let sentAt = 0;
    ws.onopen = () => {
      result.connectMs = Math.round(performance.now() - started);
      sentAt = performance.now();
      ws.send(
        [
          `OPTIONS sip:${host} SIP/2.0`,
          `Via: SIP/2.0/WSS ${token()}.invalid;branch=z9hG4bK${token()}`,
          'Max-Forwards: 70',
          `To: <sip:${host}>`,
          `From: <sip:preflight@${host}>;tag=${token()}`,
          `Call-ID: ${callId}`,
          'CSeq: 1 OPTIONS',
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n'),
      );
    };
    ws.onmessage = (e) => {
      const text = typeof e.data === 'string' ? e.data : '';
      if (/^SIP\/2\.0 \d{3}/.test(text) && text.includes(callId)) {
        result.roundTripMs = Math.round(performance.now() - sentAt);
        finish();
      }
    };
    ws.onerror = finish;
    ws.onclose = finish;
  });
}
