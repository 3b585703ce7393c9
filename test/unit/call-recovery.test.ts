import { expect } from '@open-wc/testing';
import { CallRecovery, type RecoveryHooks, type RecoveryReason, type RecoveryTiming, type ReinviteResult } from '../../src/core/call/recovery.js';

/** Short timings: the logic, not the clock, is under test. */
const TIMING: RecoveryTiming = { window: 400, iceGrace: 40, restartAgain: 60, retry: 30, glare: (owner) => (owner ? 50 : 20) };
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A fake network under one call: signaling and media flags, and scripted answers to its re-INVITEs. */
function fakeCall(answers: ReinviteResult[] = []) {
  const log = {
    reconnecting: [] as RecoveryReason[],
    reconnected: [] as number[],
    ended: 0,
    restarts: 0,
    iceRestarts: [] as boolean[],
    probes: 0,
  };
  const net = { signaling: true, media: true, answers, log, turn: [] as boolean[], probeWait: 0 };
  const hooks: RecoveryHooks = {
    reconnecting: (reason) => log.reconnecting.push(reason),
    reconnected: (after) => log.reconnected.push(after),
    end: () => (log.ended += 1),
    reinvite: async (iceRestart: boolean) => {
      log.restarts += 1;
      log.iceRestarts.push(iceRestart);
      return net.answers.shift() ?? { ok: true };
    },
    iceServersAnswer: async () => {
      log.probes += 1;
      if (net.probeWait) await tick(net.probeWait);
      return net.turn.shift() ?? true;
    },
    signalingUp: () => net.signaling,
    mediaUp: () => net.media,
  };
  return { net, log, recovery: new CallRecovery(true, hooks, TIMING) };
}

describe('CallRecovery', () => {
  it('ICE lost with signaling up: reconnecting, an ICE restart after the grace, reconnected once media is back', async () => {
    const { net, log, recovery } = fakeCall();
    net.media = false;
    recovery.begin('media-lost');
    expect(log.reconnecting).to.deep.equal(['media-lost']);
    expect(recovery.active).to.be.true;
    await tick(10);
    expect(log.restarts, 'waits for the grace').to.equal(0);
    await tick(50);
    expect(log.restarts).to.equal(1);
    net.media = true;
    recovery.update();
    expect(log.reconnected).to.have.length(1);
    expect(log.reconnected[0]).to.be.greaterThan(0);
    expect(recovery.active).to.be.false;
    await tick(TIMING.window + 20);
    expect(log.ended, 'the window closed with the recovery').to.equal(0);
  });

  it('ICE back by itself within the grace: no re-INVITE', async () => {
    const { net, log, recovery } = fakeCall();
    net.media = false;
    recovery.begin('media-lost');
    net.media = true;
    recovery.update();
    await tick(80);
    expect(log.restarts).to.equal(0);
    expect(log.reconnected).to.have.length(1);
  });

  it('the socket dropped with media flowing: no events; once signaling is back one quiet re-INVITE refreshes the route', async () => {
    const { net, log, recovery } = fakeCall();
    net.signaling = false;
    recovery.signalingLost();
    recovery.update();
    expect(log.restarts).to.equal(0);
    net.signaling = true;
    recovery.update();
    await tick(0);
    expect(log.restarts).to.equal(1);
    recovery.update();
    await tick(0);
    expect(log.restarts, 'refreshed once').to.equal(1);
    expect(log.reconnecting).to.deep.equal([]);
    expect(log.reconnected).to.deep.equal([]);
  });

  it('a quiet refresh that meets glare is tried again', async () => {
    const { log, recovery } = fakeCall([
      { ok: false, status: 491 },
      { ok: false, status: 503 },
    ]);
    recovery.signalingLost();
    recovery.update();
    await tick(0);
    expect(log.restarts).to.equal(1);
    await tick(TIMING.glare(true) + TIMING.retry + 30);
    expect(log.restarts).to.equal(3);
    expect(log.reconnecting).to.deep.equal([]);
  });

  it('a quiet refresh the server refuses (it lost the dialog) leaves the call alone', async () => {
    const { net, log, recovery } = fakeCall([{ ok: false, status: 481 }]);
    recovery.signalingLost();
    recovery.update();
    await tick(0);
    expect(log.restarts).to.equal(1);
    expect(log.ended).to.equal(0);
    void net;
  });

  it('media never comes back: ICE restarts are retried, and the window ends the call once', async () => {
    const { net, log, recovery } = fakeCall();
    net.media = false;
    recovery.begin('media-lost');
    recovery.now();
    await tick(TIMING.window + 50);
    expect(log.ended).to.equal(1);
    expect(log.restarts).to.be.greaterThan(2);
    expect(log.reconnected).to.deep.equal([]);
    expect(recovery.active).to.be.false;
    recovery.begin('media-lost');
    expect(log.reconnecting, 'nothing after the end').to.have.length(1);
  });

  it('waits for signaling before a re-INVITE, and retries one refused for a passing reason', async () => {
    const { net, log, recovery } = fakeCall([{ ok: false, status: 503 }]);
    net.media = false;
    net.signaling = false;
    recovery.begin('media-lost');
    await tick(60);
    expect(log.restarts).to.equal(0);
    net.signaling = true;
    recovery.update();
    await tick(0);
    expect(log.restarts).to.equal(1);
    await tick(TIMING.retry + 15);
    expect(log.restarts).to.equal(2);
    net.media = true;
    recovery.update();
    expect(log.reconnected).to.have.length(1);
  });

  it('481 (the far end has no such dialog any more) ends the call at once', async () => {
    const { net, log, recovery } = fakeCall([{ ok: false, status: 481 }]);
    net.media = false;
    recovery.begin('media-lost');
    recovery.now();
    await tick(0);
    expect(log.ended).to.equal(1);
  });

  it('glare (491) waits as RFC 3261 §14.1 says, then tries again', async () => {
    const { net, log, recovery } = fakeCall([{ ok: false, status: 491 }]);
    net.media = false;
    recovery.begin('media-lost');
    recovery.now();
    await tick(0);
    expect(log.restarts).to.equal(1);
    await tick(30);
    expect(log.restarts, 'the owner waits its glare time').to.equal(1);
    await tick(40);
    expect(log.restarts).to.equal(2);
  });

  it('a network change with media flowing: reconnecting, a re-INVITE on the new route, then reconnected', async () => {
    const { net, log, recovery } = fakeCall();
    net.signaling = false;
    recovery.begin('network-change');
    expect(log.reconnecting).to.deep.equal(['network-change']);
    expect(log.reconnected, 'not before the far end has our new route').to.deep.equal([]);
    net.signaling = true;
    recovery.update();
    await tick(0);
    expect(log.restarts).to.equal(1);
    expect(log.reconnected).to.have.length(1);
  });

  it('socket dropped and media lost: back once media is and the route refresh went through', async () => {
    const { net, log, recovery } = fakeCall();
    net.signaling = false;
    net.media = false;
    recovery.signalingLost();
    recovery.begin('media-lost');
    net.media = true;
    recovery.update();
    expect(log.reconnected, 'not before the far end has our route').to.have.length(0);
    net.signaling = true;
    recovery.update();
    await tick(0);
    expect(log.restarts).to.equal(1);
    expect(log.reconnected).to.have.length(1);
    expect(log.reconnecting).to.have.length(1);
  });

  it('a route refresh with media flowing keeps the media (no ICE restart); media lost restarts ICE', async () => {
    const { net, log, recovery } = fakeCall();
    recovery.signalingLost();
    recovery.update();
    await tick(0);
    expect(log.iceRestarts).to.deep.equal([false]);
    net.media = false;
    recovery.begin('media-lost');
    recovery.now();
    await tick(0);
    expect(log.iceRestarts).to.deep.equal([false, true]);
  });

  it('a network change restarts ICE even with media flowing (the old path is suspect)', async () => {
    const { log, recovery } = fakeCall();
    recovery.begin('network-change');
    await tick(0);
    expect(log.iceRestarts).to.deep.equal([true]);
  });

  it('an ICE restart waits for the TURN server (the probe), looking again at once while it does not answer', async () => {
    const { net, log, recovery } = fakeCall();
    net.turn = [false, false];
    net.media = false;
    recovery.begin('media-lost');
    recovery.now();
    await tick(5);
    expect(log.probes).to.equal(3);
    expect(log.restarts, 'sent once the probe answered').to.equal(1);
    net.media = true;
    recovery.update();
    expect(log.reconnected).to.have.length(1);
  });

  it('media back by itself while the probe waited: no restart (the network did not change)', async () => {
    const { net, log, recovery } = fakeCall();
    net.media = false;
    net.probeWait = 20;
    recovery.begin('media-lost');
    recovery.now();
    await tick(5);
    net.media = true;
    recovery.update();
    expect(log.reconnected).to.have.length(1);
    await tick(30);
    expect(log.restarts).to.equal(0);
  });

  it('dispose (the call ended) stops the window', async () => {
    const { net, log, recovery } = fakeCall();
    net.media = false;
    recovery.begin('media-lost');
    recovery.dispose();
    await tick(TIMING.window + 20);
    expect(log.ended).to.equal(0);
  });
});
