/** A new probe is begun this often while none has answered… */
export const PROBE_EVERY_MS = 1_000;
/** …each lives this long (a slow answer still counts), and the whole look gives up after it. */
export const PROBE_LIFE_MS = 8_000;

/**
 * Whether a relay-only call's TURN server answers now, before an ICE restart
 * is sent. Why: a restart begun while the network is down gathers nothing
 * until its TURN allocation gets through, and the browser retransmits that
 * request at growing intervals (0.25 s, doubling up to 8 s), so the network's
 * return was noticed up to 8 s late (measured: a candidate 7 s after it).
 * Throwaway peer connections begun each second, each with a fresh
 * allocation, notice it within about a second; the restart then gathers at
 * once. Each lives 8 s, so a slow server (a loaded machine) still answers.
 * Other policies do not wait: host candidates send their offer within 0.3 s
 * (ice-policy.ts), and a restart that does not connect is sent again.
 */
export function turnAnswers(peer: RTCPeerConnection): Promise<boolean> {
  const { iceServers, iceTransportPolicy } = peer.getConfiguration();
  if (iceTransportPolicy !== 'relay' || !iceServers?.length) return Promise.resolve(true);
  return new Promise<boolean>((resolve) => {
    const probes = new Set<RTCPeerConnection>();
    const done = (answered: boolean) => {
      clearInterval(every);
      clearTimeout(giveUp);
      for (const p of probes) close(p);
      probes.clear();
      resolve(answered);
    };
    const close = (p: RTCPeerConnection) => {
      p.onicecandidate = null;
      p.close();
    };
    const probe = () => {
      let p: RTCPeerConnection;
      try {
        p = new RTCPeerConnection({ iceServers, iceTransportPolicy });
      } catch {
        return done(true); // cannot probe: restart as before
      }
      probes.add(p);
      p.onicecandidate = (e) => e.candidate?.type === 'relay' && done(true);
      p.createDataChannel('probe');
      p.createOffer()
        .then((offer) => p.setLocalDescription(offer))
        .catch(() => done(true));
      setTimeout(() => probes.delete(p) && close(p), PROBE_LIFE_MS);
    };
    const every = setInterval(probe, PROBE_EVERY_MS);
    const giveUp = setTimeout(() => done(false), PROBE_LIFE_MS);
    probe();
  });
}
