// Runs baresip (Debian's baresip-core, tested with 1.0.0) as a second,
// non-browser SIP phone for end-to-end tests: SIP over UDP through an
// outbound proxy, ICE + DTLS-SRTP + Opus media, a 440 Hz sine as its
// microphone, and every call's decoded audio written to a WAV file.
// It is driven through its ctrl_tcp module (JSON netstrings on a loopback
// port): commands in, call events (CALL_ESTABLISHED, CALL_DTMF_START...) out.
//
// baresip's ICE never offers loopback candidates, so media must run over a
// real interface: see test/harness/netns.js.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { freePort } from './kamailio.js';
import { releaseGroup, spawnGroup, stopGroup } from './process-groups.js';

const BARESIP_BIN = process.env.BARESIP_BIN || 'baresip';
const MODULE_DIRS = [process.env.BARESIP_MODULES, '/usr/lib/baresip/modules', '/usr/local/lib/baresip/modules', '/usr/lib64/baresip/modules'].filter(Boolean);
const MODULES = ['opus', 'ausine', 'aubridge', 'sndfile', 'ice', 'dtls_srtp', 'account', 'menu', 'ctrl_tcp'];
// A "carrier" (a SIP trunk or desk phone): plain RTP/AVP with G.711 only,
// no ICE, no DTLS, no Opus module loaded at all.
const CARRIER_MODULES = ['g711', 'ausine', 'aubridge', 'sndfile', 'account', 'menu', 'ctrl_tcp'];
const START_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 2_000;
const MAX_LOG_CHARS = 1_000_000;
const TONE_HZ = 440;

function findModuleDir() {
  const dir = MODULE_DIRS.find((d) => [...MODULES, ...CARRIER_MODULES].every((m) => existsSync(path.join(d, `${m}.so`))));
  if (!dir) {
    throw new Error(`baresip modules (${MODULES.join(', ')}) not found in ${MODULE_DIRS.join(', ')}; install baresip-core or set BARESIP_MODULES`);
  }
  return dir;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts baresip with one account and waits for its control socket.
 *
 * @param {{
 *   user: string, domain: string,
 *   authUser: string, password: string,
 *   proxy: { host: string, port: number },
 *   address: string,
 *   answerMode?: 'auto' | 'manual',
 *   startTimeoutMs?: number,
 * }} opts
 *   user/domain: the AOR (sip:user@domain); authUser/password: digest
 *   credentials; proxy: the SIP server, reached over UDP as outbound proxy
 *   (so the domain is never resolved); address: the local IPv4 address for
 *   SIP and media; answerMode: auto answers every incoming call at once.
 *   carrier: a SIP trunk instead of a registered phone: no registration, no
 *   credentials (authUser/password/proxy unused), SIP on carrier.port,
 *   plain RTP with PCMU/PCMA only (modules g711, no ice, no dtls_srtp).
 */
export async function startBaresip({
  user,
  domain,
  authUser,
  password,
  proxy,
  address,
  answerMode = 'auto',
  startTimeoutMs = START_TIMEOUT_MS,
  extraConfig = [],
  verbose = false,
  carrier,
}) {
  if (carrier) ({ authUser, password } = { authUser: 'none', password: 'none' });
  for (const [name, value] of Object.entries({ user, domain, authUser, password })) {
    // The accounts file is "<uri>;param=value;...": no separators in values.
    if (!value || /[\s;<>"]/.test(value)) throw new Error(`baresip: bad ${name} ${JSON.stringify(value)}`);
  }
  const moduleDir = findModuleDir();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'voice-widget-baresip-'));
  const ctrlPort = await freePort('127.0.0.1');
  const aor = `sip:${user}@${domain}`;

  const account = carrier
    ? [`<${aor};transport=udp>`, 'audio_codecs=PCMU/8000/1,PCMA/8000/1', `answermode=${answerMode}`, 'regint=0'].join(';')
    : [
        `<${aor};transport=udp>`,
        `auth_user=${authUser}`,
        `auth_pass=${password}`,
        `outbound="sip:${proxy.host}:${proxy.port};transport=udp"`,
        'mediaenc=dtls_srtp',
        'medianat=ice',
        'audio_codecs=opus/48000/2',
        `answermode=${answerMode}`,
        'regint=600',
      ].join(';');
  const modules = carrier
    ? ['module g711.so', 'module ausine.so', 'module aubridge.so', 'module sndfile.so']
    : ['module opus.so', 'module ausine.so', 'module aubridge.so', 'module sndfile.so', 'module ice.so', 'module dtls_srtp.so'];
  const config = [
    'poll_method epoll',
    `sip_listen ${address}:${carrier?.port ?? 0}`, // any free port unless a carrier's; the Contact says which
    `net_interface ${address}`,
    `audio_source ausine,${TONE_HZ}`,
    // aubridge: a player that needs no sound card (it just swallows the audio).
    'audio_player aubridge,voice-widget-null',
    'audio_alert aubridge,voice-widget-null',
    carrier ? 'rtcp_mux no' : 'rtcp_mux yes', // browsers require RTP/RTCP multiplexing; a carrier may not
    // The sine source runs at 48 kHz stereo; the core resamples for G.711.
    ...(carrier ? ['ausrc_srate 48000', 'auplay_srate 48000', 'ausrc_channels 2', 'auplay_channels 2'] : []),
    'rtp_stats yes', // a packet summary in the log when a call ends
    'statmode_default off',
    'ringback_disabled yes',
    `module_path ${moduleDir}`,
    ...modules, // sndfile: an audio filter that dumps each call's sent and received audio as WAV
    'module_tmp account.so',
    'module_app menu.so',
    'module_app ctrl_tcp.so',
    `ctrl_tcp_listen 127.0.0.1:${ctrlPort}`,
    `snd_path ${dir}`,
    ...extraConfig,
    '',
  ].join('\n');
  await writeFile(path.join(dir, 'accounts'), `${account}\n`);
  await writeFile(path.join(dir, 'config'), config);
  await writeFile(path.join(dir, 'contacts'), '');

  // Own process group: stop() signals all of it.
  const spawned = spawnGroup(BARESIP_BIN, ['-4', ...(verbose ? ['-v'] : []), '-f', dir], { cwd: dir, maxLogChars: MAX_LOG_CHARS, unref: false });
  const { child, exited, exitInfo } = spawned;
  // Terminal colours make the log hard to read and to match.
  const log = () => spawned.log().replace(/\x1b\[[0-9;]*m/g, '');

  /** Every event baresip reported, in order. */
  const events = [];
  const waiters = new Set();
  const pending = new Map();
  let seq = 0;
  let sock = null;

  const onMessage = (msg) => {
    if (msg.event) {
      events.push({ ...msg, at: Date.now() });
      for (const w of waiters) w();
    } else if (msg.response && pending.has(msg.token)) {
      const { resolve, reject } = pending.get(msg.token);
      pending.delete(msg.token);
      if (msg.ok) resolve(msg.data ?? '');
      else reject(new Error(`baresip: command failed: ${msg.data}`));
    }
  };

  let stopped = null;
  const stop = () => {
    stopped ??= (async () => {
      sock?.destroy();
      if (child.pid && !exitInfo()) await stopGroup(child.pid, exited, STOP_GRACE_MS);
      releaseGroup(child.pid);
      for (const { reject } of pending.values()) reject(new Error('baresip stopped'));
      pending.clear();
      await rm(dir, { recursive: true, force: true });
    })();
    return stopped;
  };

  // Connect to ctrl_tcp once baresip listens.
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (exitInfo()) {
      await stop();
      throw new Error(`baresip exited during startup (${JSON.stringify(exitInfo())})\n--- baresip log ---\n${log()}`);
    }
    try {
      sock = await new Promise((resolve, reject) => {
        const s = net.connect(ctrlPort, '127.0.0.1', () => resolve(s));
        s.once('error', reject);
      });
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`baresip's ctrl_tcp did not listen on 127.0.0.1:${ctrlPort} within ${startTimeoutMs} ms\n--- baresip log ---\n${log()}`);
      }
      await sleep(50);
    }
  }
  sock.on('error', () => {});
  // Netstrings: "<length>:<json>,"
  let buf = Buffer.alloc(0);
  sock.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    for (;;) {
      const colon = buf.indexOf(':');
      if (colon < 0) break;
      const len = Number(buf.subarray(0, colon).toString());
      if (buf.length < colon + 1 + len + 1) break;
      const text = buf.subarray(colon + 1, colon + 1 + len).toString('utf8');
      buf = buf.subarray(colon + 2 + len);
      try {
        onMessage(JSON.parse(text));
      } catch {
        spawned.note(`[harness] unparsable ctrl_tcp message: ${text}\n`);
      }
    }
  });

  /**
   * Runs a menu command (as typed after "/" in baresip's console, e.g.
   * "dial", "hangup", "audio_debug"); resolves with its text output.
   */
  const command = (name, params = '', { timeout = 5000 } = {}) =>
    new Promise((resolve, reject) => {
      const token = `t${++seq}`;
      const timer = setTimeout(() => {
        pending.delete(token);
        reject(new Error(`baresip: no answer to "${name} ${params}" in ${timeout} ms`));
      }, timeout);
      pending.set(token, {
        resolve: (v) => (clearTimeout(timer), resolve(v)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      const json = Buffer.from(JSON.stringify({ command: name, params, token }));
      sock.write(`${json.length}:${json},`);
    });

  /**
   * Resolves with the first event of `type` from index `from` on whose
   * fields match `match`; rejects after `timeout` ms.
   */
  const waitForEvent = (type, { from = 0, match = {}, timeout = 10_000 } = {}) =>
    new Promise((resolve, reject) => {
      const find = () => events.slice(from).find((e) => e.type === type && Object.entries(match).every(([k, v]) => e[k] === v));
      const check = () => {
        const hit = find();
        if (hit) {
          done();
          resolve(hit);
        } else if (exitInfo()) {
          done();
          reject(new Error(`baresip exited (${JSON.stringify(exitInfo())}) while waiting for ${type}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(
            `baresip: no ${type} ${JSON.stringify(match)} within ${timeout} ms; events: ${events
              .slice(from)
              .map((e) => `${e.type}(${e.param ?? ''})`)
              .join(' ')}`,
          ),
        );
      }, timeout);
      const done = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });

  /** Live RTP counters of the current call's audio stream (from /audio_debug). */
  const audioStats = async () => {
    const text = await command('audio_debug');
    const num = (re) => Number(text.match(re)?.[1] ?? NaN);
    return {
      /** RTP packets received from the peer (RTCP member table). */
      rxPackets: num(/rcvd=(\d+)/),
      /** RTP packets and bytes sent. */
      txPackets: num(/TX: packets=(\d+)/),
      txBytes: num(/TX: packets=\d+, octets=(\d+)/),
      /** Seconds of audio decoded so far. */
      rxSeconds: num(/rx:[\s\S]*?time = ([\d.]+) sec/),
      decoder: text.match(/decode: (\S+ \d+Hz\/\dch)/)?.[1] ?? null,
      ice: text.match(/mnat: (\S+ \(connected=\w+\))/)?.[1] ?? null,
      encryption: text.match(/menc: (\S+ \(secure=\w+\))/)?.[1] ?? null,
      addresses: text.match(/local: (\S+), remote: (\S+)/)?.slice(1) ?? null,
      text,
    };
  };

  /** WAV files of decoded (received) audio written so far, oldest first. */
  const receivedAudioFiles = async () =>
    (await readdir(dir))
      .filter((f) => /^dump-.*-dec\.wav$/.test(f))
      .sort()
      .map((f) => path.join(dir, f));

  return {
    aor,
    dir,
    events,
    command,
    waitForEvent,
    audioStats,
    receivedAudioFiles,
    log,
    stop,
    get exited() {
      return exitInfo();
    },
  };
}

/**
 * Loudness of a 16-bit PCM WAV, per 100 ms window (RMS, full scale 32768).
 * Reads to the end of the file even if the header's sizes were never
 * finalised (baresip still running).
 * @param {string} file
 * @returns {Promise<{ seconds: number, sampleRate: number, channels: number, windowRms: number[] }>}
 */
export async function wavLoudness(file) {
  const wav = await readFile(file);
  if (wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE') throw new Error(`${file}: not a WAV file`);
  let off = 12;
  let fmt = null;
  let data = null;
  while (off + 8 <= wav.length) {
    const id = wav.toString('ascii', off, off + 4);
    const size = wav.readUInt32LE(off + 4);
    if (id === 'fmt ') {
      fmt = {
        format: wav.readUInt16LE(off + 8),
        channels: wav.readUInt16LE(off + 10),
        sampleRate: wav.readUInt32LE(off + 12),
        bits: wav.readUInt16LE(off + 22),
      };
    } else if (id === 'data') {
      // A file still being written may say 0 (or too much): read what is there.
      const end = size > 0 && off + 8 + size <= wav.length ? off + 8 + size : wav.length;
      data = wav.subarray(off + 8, end);
      break;
    }
    off += 8 + size + (size & 1);
  }
  if (!fmt || !data) throw new Error(`${file}: no fmt/data chunk`);
  if (fmt.format !== 1 || fmt.bits !== 16) throw new Error(`${file}: not 16-bit PCM (${JSON.stringify(fmt)})`);
  const samples = Math.floor(data.length / 2);
  const perWindow = Math.floor(fmt.sampleRate / 10) * fmt.channels;
  const windowRms = [];
  for (let start = 0; start + perWindow <= samples; start += perWindow) {
    let sum = 0;
    for (let i = start; i < start + perWindow; i++) {
      const v = data.readInt16LE(i * 2);
      sum += v * v;
    }
    windowRms.push(Math.round(Math.sqrt(sum / perWindow)));
  }
  return { seconds: samples / fmt.channels / fmt.sampleRate, sampleRate: fmt.sampleRate, channels: fmt.channels, windowRms };
}

/** A baresip's call events on one line, `TYPE(param)`, for a failure message. */
export const eventSummary = (phone) => (phone?.events ?? []).map((e) => `${e.type}(${e.param ?? ''})`).join(' ');
