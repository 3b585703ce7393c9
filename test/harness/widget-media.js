// The widget's side of a call's media, read from getStats() in its page: ICE
// pair, DTLS, codecs, RTP counters, audio level and playout samples. One copy
// for the interop tests (baresip, the phone network).

/** @param {import('puppeteer-core').Page} page a page with the test widget (`window.vw`) */
export function widgetMedia(page) {
  return page.evaluate(async () => {
    const pc = window.vw.el().getPeerConnection();
    if (!pc) return null;
    const all = new Map();
    (await pc.getStats()).forEach((s) => all.set(s.id, s));
    const of = (type, kind) => [...all.values()].find((s) => s.type === type && (!kind || s.kind === kind));
    const transport = of('transport');
    const pair = all.get(transport?.selectedCandidatePairId);
    const cand = (id) => {
      const c = all.get(id);
      return c && { address: c.address ?? c.ip, port: c.port, type: c.candidateType, protocol: c.protocol };
    };
    const inbound = of('inbound-rtp', 'audio');
    const outbound = of('outbound-rtp', 'audio');
    return {
      dtlsState: transport?.dtlsState,
      srtpCipher: transport?.srtpCipher,
      local: cand(pair?.localCandidateId),
      remote: cand(pair?.remoteCandidateId),
      inboundCodec: all.get(inbound?.codecId)?.mimeType,
      outboundCodec: all.get(outbound?.codecId)?.mimeType,
      bytesReceived: inbound?.bytesReceived ?? 0,
      packetsReceived: inbound?.packetsReceived ?? 0,
      bytesSent: outbound?.bytesSent ?? 0,
      audioLevel: inbound?.audioLevel ?? 0,
      samples: inbound && {
        total: inbound.totalSamplesReceived,
        concealed: inbound.concealedSamples,
        silentConcealed: inbound.silentConcealedSamples,
        discarded: inbound.packetsDiscarded,
        lost: inbound.packetsLost,
        energy: inbound.totalAudioEnergy,
      },
    };
  });
}
