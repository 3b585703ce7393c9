import type { Command } from '../../dialog/protocol.js';

/**
 * The commands of a backend whose phone is elsewhere (the popup in dialog mode,
 * the leader tab in multi-tab): each goes there by name, fire-and-forget; the
 * outcomes come back as that phone's events and snapshot.
 */
export abstract class ForwardingBackend {
  answer = (): boolean => this.run('answer');
  reject = (): boolean => this.run('reject');
  hangup = (): boolean => this.run('hangup');
  sendDtmf = (digits: string): boolean => this.run('sendDtmf', digits);
  setMuted = (muted: boolean): boolean => this.run(muted ? 'mute' : 'unmute');
  setHeld = (held: boolean): boolean => this.run(held ? 'hold' : 'unhold');
  transfer = (number: string): boolean => this.run('transfer', number);
  acceptTransfer = (): boolean => this.run('acceptTransfer');
  declineTransfer = (): boolean => this.run('declineTransfer');
  consult = (number: string): boolean => this.run('consult', number);
  completeTransfer = (): boolean => this.run('completeTransfer');
  cancelConsult = (): boolean => this.run('cancelConsult');
  selectOutboundNumber = (number: string | null): boolean => this.run('selectOutboundNumber', number);
  clearHistory = (): void => void this.run('clearHistory');
  reset = (): void => void this.run('reset');
  setDnd = (on: boolean): boolean => this.run('setDnd', on);
  setVolume = (kind: 'ring' | 'call', level: number): boolean => this.run('setVolume', kind, level);
  merge = (): boolean => this.run('merge');
  split = (): boolean => this.run('split');
  startRecording = (): boolean => this.run('startRecording');
  stopRecording = (): boolean => this.run('stopRecording');

  /** Sends command `name` to where the phone is; false when it cannot go now. */
  protected abstract run(name: Command, ...args: unknown[]): boolean;
}
