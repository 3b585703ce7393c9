import { expect } from '@open-wc/testing';
import { GRACE_WITHOUT_SERVERS_MS, GRACE_WITH_SERVERS_MS, IceGatheringPolicy } from '../../src/core/ice-policy.js';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('IceGatheringPolicy', () => {
  it('with no ICE servers, is ready a short grace after the first candidate', async () => {
    let ready = 0;
    const p = new IceGatheringPolicy([], () => ready++);
    p.candidate({ type: 'host' });
    p.candidate({ type: 'host' });
    expect(ready).to.equal(0);
    await wait(GRACE_WITHOUT_SERVERS_MS + 30);
    expect(ready).to.equal(1);
  });

  it('is ready at once when every ICE server has answered (by URL)', () => {
    let ready = 0;
    const p = new IceGatheringPolicy([{ urls: 'stun:a.test' }, { urls: ['turn:b.test', 'turns:b.test'] }], () => ready++);
    p.candidate({ type: 'host' });
    p.candidate({ type: 'srflx', url: 'stun:a.test' });
    expect(ready).to.equal(0);
    p.candidate({ type: 'relay', url: 'turns:b.test' });
    expect(ready).to.equal(1);
    p.candidate({ type: 'relay', url: 'turn:b.test' });
    expect(ready).to.equal(1);
  });

  it('counts server candidates when the browser gives no URL', () => {
    let ready = 0;
    const p = new IceGatheringPolicy([{ urls: 'stun:a.test' }, { urls: 'stun:b.test' }], () => ready++);
    p.candidate({ type: 'srflx' });
    expect(ready).to.equal(0);
    p.candidate({ type: 'srflx' });
    expect(ready).to.equal(1);
  });

  it('with an unreachable ICE server, gives up waiting after the grace period', async () => {
    let ready = 0;
    const p = new IceGatheringPolicy([{ urls: 'stun:unreachable.test' }], () => ready++);
    p.candidate({ type: 'host' });
    await wait(GRACE_WITHOUT_SERVERS_MS + 30);
    expect(ready).to.equal(0);
    await wait(GRACE_WITH_SERVERS_MS);
    expect(ready).to.equal(1);
  });

  it('does nothing once disposed', async () => {
    let ready = 0;
    const p = new IceGatheringPolicy([], () => ready++);
    p.candidate({ type: 'host' });
    p.dispose();
    await wait(GRACE_WITHOUT_SERVERS_MS + 30);
    expect(ready).to.equal(0);
  });
});
