/** How long one probe waits for the TURN server; a failed probe is begun again at once. */
export const PROBE_MS = 1_000;

/**
 * Whether a relay-only call's TURN server answers now, before an ICE restart
 * is sent. Why: a restart begun while the network is down gathers nothing
 * until its TURN allocation gets through, and the browser retransmits that
 * request at growing intervals (0.25 s, doubling up to 8 s), so the network's
 * return was noticed up to 8 s late (measured: a candidate 7 s after it).
 * A throwaway peer connection that gives up after a second, begun again,
 * notices it within a second; the restart then gathers at once.
 * Other policies do not wait: host candidates send their offer within 0.3 s
 * (ice-policy.ts), and a restart that does not connect is sent again.
 */
export function turnAnswers(peer: RTCPeerConnection, ms = PROBE_MS): Promise<boolean> {
  const { iceServers, iceTransportPolicy } = peer.getConfiguration();
  if (iceTransportPolicy !== 'relay' || !iceServers?.length) return Promise.resolve(true);
  let probe: RTCPeerConnection;
  try {
    probe = new RTCPeerConnection({ iceServers, iceTransportPolicy });
  } catch {
    return Promise.resolve(true); // cannot probe: restart as before
  }
  return new Promise<boolean>((resolve) => {
    const done = (answered: boolean) => {
      clearTimeout(timer);
      probe.onicecandidate = null;
      probe.close();
      resolve(answered);
    };
    const timer = setTimeout(() => done(false), ms);
    probe.onicecandidate = (e) => e.candidate?.type === 'relay' && done(true);
    probe.createDataChannel('probe');
    probe
      .createOffer()
      .then((offer) => probe.setLocalDescription(offer))
      .catch(() => done(true));
  });
}
