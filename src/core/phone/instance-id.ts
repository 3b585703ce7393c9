import { readStorage, writeStorage } from '../../shared/storage.js';

/**
 * Multi-tab: one SIP instance id per user in this browser (localStorage, shared by the tabs of the
 * origin), so whichever tab leads registers the same binding. Undefined without storage (JsSIP makes one).
 */
export function userInstanceId(user: string, domain: string): string | undefined {
  const key = `voice-widget:instance-id:${user}@${domain}`;
  const saved = readStorage('local', key);
  if (saved) return saved;
  const id = crypto.randomUUID();
  return writeStorage('local', key, id) ? id : undefined;
}
