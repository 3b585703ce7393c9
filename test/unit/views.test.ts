import { expect, fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import { ContextProvider } from '@lit/context';
import '../../src/define.js';
import { phoneContext, type CallSnapshot, type PhoneSnapshot } from '../../src/element/phone-context.js';
import { actionsContext, type PhoneActions } from '../../src/element/phone-actions.js';
import { announcement } from '../../src/element/announcement.js';
import { en } from '../../src/element/strings.js';
import { inCallViews } from '../../src/element/views/lazy-views.js';

/** A stand-in for the root: provides a fake snapshot and an actions object that records each call. */
class FakePhone extends LitElement {
  readonly phone = new ContextProvider(this, { context: phoneContext, initialValue: snapshot() });
  readonly calls: string[] = [];
  readonly actions = new ContextProvider(this, {
    context: actionsContext,
    initialValue: new Proxy({} as PhoneActions, {
      get:
        (_, name: string) =>
        (...args: unknown[]) => {
          this.calls.push(args.length ? `${name}(${args.map((a) => JSON.stringify(a)).join(',')})` : name);
          return true;
        },
    }),
  });
  get view(): LitElement {
    return this.firstElementChild as LitElement;
  }
  protected override createRenderRoot(): HTMLElement {
    return this;
  }
  /** A new frozen snapshot, as the backend emits one. */
  set(change: Partial<PhoneSnapshot>, call: Partial<CallSnapshot> = {}): Promise<unknown> {
    const current = this.phone.value;
    const next = 'call' in change ? (change.call ?? null) : current.call && { ...current.call, ...call };
    this.phone.setValue(Object.freeze({ ...current, ...change, call: next }));
    return this.view.updateComplete;
  }
}
customElements.define('vw-test-fake-phone', FakePhone);

function snapshot(): PhoneSnapshot {
  return Object.freeze({
    state: 'in-progress',
    phoneState: 'ready',
    registrationState: 'registered',
    ready: true,
    identity: { user: '1001', domain: 'voice.test', name: 'Ada' },
    call: {
      id: 'c1',
      state: 'in-progress',
      direction: 'inbound',
      number: '1002',
      remote: { name: 'Grace', address: 'sip:1002@voice.test' },
      connectedAt: performance.now(),
      duration: 0,
      cause: null,
      muted: false,
      held: { local: false, remote: false },
      answering: false,
      holdPending: false,
      transferPending: false,
      silent: false,
      warnings: [],
      reconnecting: false,
    },
    waiting: null,
    transferRequest: null,
    problem: null,
    history: [],
    missed: 0,
    callerIds: [],
    outboundNumber: null,
    audioBlocked: false,
    audioDevices: { microphone: null, speaker: null, ringer: null },
  } as PhoneSnapshot);
}

async function mount(view: ReturnType<typeof html>): Promise<FakePhone> {
  const phone = await fixture<FakePhone>(html`<vw-test-fake-phone>${view}</vw-test-fake-phone>`);
  await phone.view.updateComplete;
  return phone;
}

const part = (phone: FakePhone, name: string) => phone.querySelector<HTMLElement>(`[part~="${name}"]`);

describe('views against a provided phone context', () => {
  // The in-call screen is the `in-call` lazy chunk (a dynamic import in this build).
  before(() => inCallViews.load());

  it('the in-call view renders into itself (no shadow root) and its tools call the actions', async () => {
    const phone = await mount(html`<vw-in-call-view></vw-in-call-view>`);
    expect(phone.view.shadowRoot).to.equal(null);
    expect(phone.querySelector('.name')!.textContent!.trim()).to.equal('Grace');
    part(phone, 'mute-button')!.click();
    part(phone, 'hold-button')!.click();
    part(phone, 'hangup-button')!.click();
    expect(phone.calls).to.deep.equal(['setMuted(true)', 'setHeld(true)', 'hangup']);
  });

  it('the in-call view re-renders on a new snapshot: muted, held, no audio', async () => {
    const phone = await mount(html`<vw-in-call-view></vw-in-call-view>`);
    await phone.set({}, { muted: true, held: { local: true, remote: false }, silent: true });
    expect(part(phone, 'mute-button')!.getAttribute('aria-pressed')).to.equal('true');
    expect(part(phone, 'hold-button')!.getAttribute('aria-pressed')).to.equal('true');
    expect(phone.querySelector('.progress.held')!.textContent).to.equal('On hold');
    expect(part(phone, 'no-audio')).to.not.equal(null);
    part(phone, 'mute-button')!.click();
    part(phone, 'hold-button')!.click();
    expect(phone.calls).to.deep.equal(['setMuted(false)', 'setHeld(false)']);
  });

  it("the in-call view's signal indicator: good, then poor naming the cause in plain words", async () => {
    const phone = await mount(html`<vw-in-call-view></vw-in-call-view>`);
    await phone.set({}, {});
    expect(part(phone, 'signal')!.dataset.quality).to.equal('good');
    expect(part(phone, 'signal')!.textContent!.trim()).to.equal('Good connection');
    await phone.set({}, { warnings: ['low-mos', 'high-packet-loss'] });
    expect(part(phone, 'signal')!.dataset.quality).to.equal('poor');
    expect(part(phone, 'signal')!.title).to.equal('Your network is dropping audio');
    expect(part(phone, 'signal')!.textContent!.replace(/\s+/g, ' ').trim()).to.equal('Poor connection: Your network is dropping audio');
  });

  it('the in-call view says "Reconnecting…" while a call recovers, in place of the no-audio warning', async () => {
    const phone = await mount(html`<vw-in-call-view></vw-in-call-view>`);
    await phone.set({}, { silent: true, reconnecting: true });
    expect(part(phone, 'reconnecting')!.textContent).to.equal('Reconnecting…');
    expect(part(phone, 'no-audio')).to.equal(null);
    await phone.set({}, { silent: false, reconnecting: false });
    expect(part(phone, 'reconnecting')).to.equal(null);
    // The live region says it too.
    expect(announcement({ ...snapshot().call!, reconnecting: true }, en)).to.equal('Reconnecting the call with Grace');
  });

  it('the in-call view owns its keypad and transfer field: digits and the target go to the actions', async () => {
    const phone = await mount(html`<vw-in-call-view></vw-in-call-view>`);
    part(phone, 'keypad-button')!.click();
    await phone.view.updateComplete;
    const pad = phone.querySelector('vw-dialpad')!;
    pad.dispatchEvent(new CustomEvent('vw-digit', { detail: { digit: '5' } }));
    part(phone, 'transfer-button')!.click();
    await phone.view.updateComplete;
    const input = phone.querySelector<HTMLInputElement>('#transfer-to')!;
    expect(phone.querySelector('label[for="transfer-to"]')).to.not.equal(null);
    input.value = '1003';
    input.dispatchEvent(new InputEvent('input'));
    await phone.view.updateComplete;
    part(phone, 'transfer')!.querySelector('button')!.click();
    expect(phone.calls).to.deep.equal(['sendDtmf("5")', 'transfer("1003")']);
  });

  it('a second call shows in the in-call view; its buttons answer and decline', async () => {
    const phone = await mount(html`<vw-in-call-view></vw-in-call-view>`);
    expect(part(phone, 'call-waiting')).to.equal(null);
    await phone.set({ waiting: { ...phone.phone.value.call!, id: 'c2', state: 'incoming', remote: { name: 'Linus', address: 'sip:1004@voice.test' } } });
    const waiting = phone.querySelector<LitElement>('vw-call-waiting-view')!;
    await waiting.updateComplete;
    expect(part(phone, 'call-waiting')!.querySelector('strong')!.textContent).to.equal('Linus');
    part(phone, 'call-waiting')!.querySelector<HTMLButtonElement>('.accept')!.click();
    part(phone, 'call-waiting')!.querySelector<HTMLButtonElement>('.decline')!.click();
    expect(phone.calls).to.deep.equal(['answer', 'reject']);
  });

  it('the incoming view answers and declines, and disables both while an answer connects', async () => {
    const phone = await mount(html`<vw-incoming-view></vw-incoming-view>`);
    await phone.set({ state: 'incoming' }, { state: 'incoming', connectedAt: null });
    expect(part(phone, 'incoming')!.getAttribute('aria-label')).to.equal('Incoming call');
    part(phone, 'answer-button')!.click();
    part(phone, 'hangup-button')!.click();
    expect(phone.calls).to.deep.equal(['answer', 'reject']);
    await phone.set({}, { answering: true });
    expect(part(phone, 'answer-button')!.hasAttribute('disabled')).to.equal(true);
    expect(part(phone, 'hangup-button')!.hasAttribute('disabled')).to.equal(true);
  });
});

describe('panel views against a provided phone context', () => {
  it('the dialer types through setNumber and calls the number shown', async () => {
    const phone = await mount(html`<vw-dialer-view .number=${'12'}></vw-dialer-view>`);
    const pad = phone.querySelector('vw-dialpad')!;
    pad.dispatchEvent(new CustomEvent('vw-digit', { detail: { digit: '3' } }));
    pad.dispatchEvent(new CustomEvent('vw-digit', { detail: { digit: '4' } }));
    await phone.view.updateComplete;
    part(phone, 'call-button')!.click();
    expect(phone.calls).to.deep.equal(['setNumber("123")', 'setNumber("1234")', 'call("1234")']);
    await phone.set({ ready: false });
    expect(part(phone, 'call-button')!.hasAttribute('disabled')).to.equal(true);
  });

  it('the navigation switches views and hides while a call fills the panel', async () => {
    const phone = await mount(html`<vw-navigation-view></vw-navigation-view>`);
    expect(part(phone, 'navigation')).to.equal(null);
    await phone.set({ call: null });
    part(phone, 'history-button')!.click();
    part(phone, 'settings-button')!.click();
    expect(phone.calls).to.deep.equal(['showView("history")', 'showView("settings")']);
  });
});
