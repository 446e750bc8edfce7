import type { MeteredSecond, StreamSecond } from './call-meter.js';

/** For specs: one stream's measured second, Medium unless `over` says otherwise. */
export const streamSecond = (over: Partial<StreamSecond> = {}): StreamSecond => ({
  kind: 'audio',
  side: 'agent-receive',
  packetsReceived: 48,
  packetsSent: 50,
  lossRate: 0.04,
  jitterMs: 2.5,
  oneWayDelayMs: 15,
  level: 'medium',
  mos: 3.912345678901234,
  noAudio: false,
  oneWay: false,
  silentSeconds: 0,
  ...over,
});

/** For specs: a call's measured second at `atMs`, rated by its worst stream. */
export const meteredSecond = (atMs: number, worst: StreamSecond, flags: MeteredSecond['flags'] = [], streams = [worst]): MeteredSecond => ({
  atMs,
  level: worst.level,
  flags,
  worst,
  streams,
});
