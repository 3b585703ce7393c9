import type { CallSnapshot } from './phone-context.js';
import { fill, type Strings } from './strings.js';
import { sayQuality } from './views/signal-indicator.js';

/** What the panel's live region says about the call, so screen readers hear each change. */
export function announcement(call: CallSnapshot | null, t: Strings): string {
  if (!call) return '';
  const name = call.contact?.name ?? call.remote.name;
  const say = (template: string) => fill(template, { name });
  switch (call.state) {
    case 'dialing':
      return say(t.sayCalling);
    case 'ringing':
      return say(t.sayRinging);
    case 'incoming':
      return say(t.sayIncoming);
    case 'in-progress':
      if (call.held.local) return say(t.sayOnHold);
      if (call.held.remote) return say(t.sayHeldByOther);
      if (call.reconnecting) return say(t.sayReconnecting);
      if (call.silent) return say(t.sayNoAudio);
      if (call.warnings.length) return sayQuality(call.warnings, t)!;
      if (call.autoAnswered) return say(t.sayAnsweredAutomatically);
      return say(call.muted ? t.sayConnectedMuted : t.sayConnected);
    default:
      return call.cause ? `${t.outcome[call.cause]}: ${name}` : '';
  }
}
