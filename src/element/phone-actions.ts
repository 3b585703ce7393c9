import { createContext } from '@lit/context';

/** The panel's screens while no call fills it. */
export type PanelView = 'dialer' | 'history' | 'settings';

/**
 * What the views may do: the backend's commands and the root's UI actions.
 * One object for the element's life (the context never changes), so a view
 * re-renders for the phone's snapshot only.
 */
export interface PhoneActions {
  answer(): boolean;
  reject(): boolean;
  hangup(): boolean;
  sendDtmf(digits: string): boolean;
  setMuted(muted: boolean): boolean;
  setHeld(held: boolean): boolean;
  transfer(number: string): boolean;
  acceptTransfer(): boolean;
  declineTransfer(): boolean;
}

export const actionsContext = createContext<PhoneActions>(Symbol.for('voice-widget.actions'));
