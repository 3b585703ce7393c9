import { isIceServerList, type TokenClaims } from '../../shared/token-claims.js';
import type { DtmfMode, ErrorCode } from '../types.js';
import type { PhoneConfig } from '../phone.js';
import { QualityThresholdsError, resolveThresholds, type QualityThresholds } from '../quality/thresholds.js';
import { ConfigError, parseServers, policies, type ConfigField } from './config-checks.js';
import { VoiceProcessing } from '../voice-processing.js';

/**
 * The phone's configuration that is not the token: the servers, the media
 * settings, and the fields whose last value was refused (the phone is in
 * `error` while any is). A refused value keeps the previous good one.
 */
export class PhoneSettings {
  servers: string[] = [];
  dtmfMode: DtmfMode = 'info';
  private hostIceServers: RTCIceServer[] | null = null;
  private iceTransportPolicy: RTCIceTransportPolicy = 'all';
  private qualityThresholds: QualityThresholds = resolveThresholds(null);
  private readonly bad = new Set<ConfigField>();
  /** The microphone's voice processing; the phone takes its fields (a change reopens the calls' microphones). */
  readonly voice = new VoiceProcessing();

  constructor(private readonly error: (code: ErrorCode, message: string) => void) {}

  get valid(): boolean {
    return this.bad.size === 0;
  }

  /** Takes the fields it owns from `config`; each is checked on its own. */
  take(config: PhoneConfig): void {
    if (config.dtmfMode !== undefined) this.dtmfMode = policies.dtmfMode(config.dtmfMode);
    if (config.iceTransportPolicy !== undefined) this.iceTransportPolicy = policies.iceTransportPolicy(config.iceTransportPolicy);
    if (config.iceServers !== undefined) {
      const iceServers = config.iceServers;
      this.check('ice-servers', () => {
        if (iceServers !== null && !isIceServerList(iceServers)) {
          throw new ConfigError('ice-servers', 'invalid-attribute', 'ice-servers must be a JSON array of RTCIceServer objects');
        }
        this.hostIceServers = iceServers;
      });
    }
    if (config.qualityThresholds !== undefined) this.takeThresholds(config.qualityThresholds);
    if (config.server !== undefined) this.check('server', () => (this.servers = parseServers(config.server ?? null)));
  }

  /**
   * A refused `qualityThresholds` is reported and the previous value kept, but
   * does not put the phone in `error`: calls work without quality warnings tuned.
   */
  private takeThresholds(value: unknown): void {
    try {
      this.qualityThresholds = resolveThresholds(value);
    } catch (e) {
      if (!(e instanceof QualityThresholdsError)) throw e;
      this.error(e.code, e.message);
    }
  }

  /** Runs one field's check: a ConfigError refuses the value (the previous one stays). */
  check(field: ConfigField, take: () => void): void {
    try {
      take();
      this.bad.delete(field);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      this.refuse(e.field, e.code, e.message);
    }
  }

  refuse(field: ConfigField, code: ErrorCode, message: string): void {
    this.bad.add(field);
    this.error(code, message);
  }

  /** A call's media settings: the host's ICE servers, else the token's; `relay` forces TURN. */
  media(claims: TokenClaims | null): {
    iceServers: RTCIceServer[];
    pcConfig: RTCConfiguration;
    dtmfMode: DtmfMode;
    qualityThresholds: QualityThresholds;
    voice: VoiceProcessing;
  } {
    const iceServers = this.hostIceServers ?? (claims?.ice_servers as RTCIceServer[] | undefined) ?? [];
    return {
      iceServers,
      pcConfig: { iceServers, iceTransportPolicy: this.iceTransportPolicy },
      dtmfMode: this.dtmfMode,
      qualityThresholds: this.qualityThresholds,
      voice: this.voice,
    };
  }
}
