import { expect } from '@open-wc/testing';
import { watchNetwork, type ConnectionInfo } from '../../src/core/phone/network-watch.js';

/** A window and a `navigator.connection` whose type and online state the test sets. */
function fakeNetwork(type: string | undefined) {
  const connection = Object.assign(new EventTarget(), { type }) as ConnectionInfo & { type: string | undefined };
  const net = { window: new EventTarget(), connection, online: true };
  const calls: boolean[] = [];
  const stop = watchNetwork((online) => calls.push(online), { window: net.window, connection, onLine: () => net.online });
  const change = (next: string | undefined) => {
    connection.type = next;
    connection.dispatchEvent(new Event('change'));
  };
  return { net, calls, stop, change };
}

describe('watchNetwork', () => {
  it('offline and online of the window', () => {
    const { net, calls } = fakeNetwork(undefined);
    net.window.dispatchEvent(new Event('offline'));
    net.window.dispatchEvent(new Event('online'));
    expect(calls).to.deep.equal([false, true]);
  });

  it('a new connection type (Wi-Fi to cellular) is a network change; estimates moving on the same type are not', () => {
    const { calls, change } = fakeNetwork('wifi');
    change('wifi'); // round-trip time or bandwidth estimates changed
    expect(calls).to.deep.equal([]);
    change('cellular');
    expect(calls).to.deep.equal([true]);
    change('wifi');
    expect(calls).to.deep.equal([true, true]);
  });

  it('no type (desktop Chromium): its changes are estimates only, never a network change', () => {
    const { calls, change } = fakeNetwork(undefined);
    change(undefined);
    change(undefined);
    expect(calls).to.deep.equal([]);
  });

  it('to or from `none`, or while offline, is left to online/offline', () => {
    const { net, calls, change } = fakeNetwork('wifi');
    change('none');
    change('cellular');
    net.online = false;
    change('wifi');
    expect(calls).to.deep.equal([]);
  });

  it('stops watching', () => {
    const { net, calls, stop, change } = fakeNetwork('wifi');
    stop();
    change('cellular');
    net.window.dispatchEvent(new Event('online'));
    expect(calls).to.deep.equal([]);
  });

  it('the browser defaults: the window, and navigator.connection where Chromium has it', () => {
    const calls: boolean[] = [];
    const stop = watchNetwork((online) => calls.push(online));
    window.dispatchEvent(new Event('online'));
    stop();
    window.dispatchEvent(new Event('online'));
    expect(calls).to.deep.equal([true]);
  });
});
