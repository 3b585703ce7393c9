import { normalizeDialString } from '../../core/dial-string.js';
import type { WidgetState } from '../../core/types.js';
import type { TabCommand } from '../../multi-tab/protocol.js';
import type { PhoneSnapshot } from '../phone-context.js';
import type { PhoneBackend } from './backend.js';
import type { LocalUi } from './local-backend.js';
import { ForwardingBackend } from './forwarding.js';

export interface FollowerLink {
  /** The leader's snapshot, as this tab mirrors it. */
  snapshot(): PhoneSnapshot;
  /** Sends a command to the leader's tab; false when no leader is known yet. */
  command(name: TabCommand, args?: unknown[]): boolean;
  fail(code: 'invalid-number', message: string): void;
}

/**
 * Multi-tab, a follower: the phone is in the leader's tab. Commands go there
 * (fire-and-forget, like the popup's: outcomes arrive as the leader's events
 * and snapshot); the panel opens and closes here.
 */
export class FollowerBackend extends ForwardingBackend implements PhoneBackend {
  constructor(
    private readonly link: FollowerLink,
    private readonly ui: LocalUi,
  ) {
    super();
  }

  private get s(): PhoneSnapshot {
    return this.link.snapshot();
  }

  get registrationState() {
    return this.s.registrationState;
  }

  get volumes() {
    return this.s.volumes;
  }

  get calls() {
    return [this.s.call, this.s.waiting]
      .filter((c): c is NonNullable<typeof c> => !!c && c.state !== 'completed' && c.state !== 'failed')
      .map((c) => ({ id: c.id, state: c.state, direction: c.direction, number: c.number, name: c.remote.name }));
  }

  call(number: string): boolean {
    if (normalizeDialString(String(number), this.s.identity?.domain ?? '') === null) {
      this.link.fail('invalid-number', `cannot dial ${JSON.stringify(String(number).slice(0, 100))}`);
      return false;
    }
    const sent = this.s.ready && this.run('call', number);
    if (sent) this.ui.dial('', false);
    return sent;
  }

  isMuted = (): boolean => this.s.call?.muted ?? false;
  isOnHold = (): boolean => this.s.call?.held.local ?? false;
  isReady = (): boolean => this.s.ready;
  getState = (): WidgetState => this.s.state;
  getCallStats = () => null;

  protected run(name: TabCommand, ...args: unknown[]): boolean {
    return this.link.command(name, args);
  }

  show(number?: string): boolean {
    this.ui.setPanelOpen(true);
    if (number !== undefined) this.ui.dial(String(number), true);
    return true;
  }

  hide(): void {
    this.ui.setPanelOpen(false);
  }

  setOpen(open: boolean): boolean {
    return open;
  }

  callFromPage(number: string): void {
    if (this.call(number)) this.ui.setPanelOpen(true);
    else this.show(number);
  }
}
