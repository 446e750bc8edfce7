import type { NetworkMetrics } from './network-level.js';

/**
 * Estimated MOS of one second: a simplified ITU-T G.107 E-model with the
 * default values for everything but delay and loss (R0 - Is + A = 93.2), the
 * codec taken as G.711 with packet loss concealment (G.113 Appendix I: Ie = 0,
 * Bpl = 25.1) and random loss (BurstR = 1). Jitter enters as the delay the
 * receiver's jitter buffer adds (2 × jitter) plus 10 ms of packetization.
 */
export const E_MODEL = { r: 93.2, ie: 0, bpl: 25.1, burstR: 1, codecDelayMs: 10 } as const;

/** Delay impairment Id for a mouth-to-ear delay in ms (Cole & Rosenbluth's fit of G.107). */
export function delayImpairment(delayMs: number): number {
  return 0.024 * delayMs + (delayMs > 177.3 ? 0.11 * (delayMs - 177.3) : 0);
}

/** Effective equipment impairment Ie,eff for a packet loss rate (fraction). */
export function lossImpairment(lossRate: number): number {
  const ppl = lossRate * 100;
  return E_MODEL.ie + ((95 - E_MODEL.ie) * ppl) / (ppl / E_MODEL.burstR + E_MODEL.bpl);
}

/** G.107 Annex B: MOS from the rating factor R. */
export function mosFromR(r: number): number {
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  return Math.min(4.5, Math.max(1, 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6));
}

export function estimateMos(metrics: NetworkMetrics): number {
  const delayMs = metrics.oneWayDelayMs + 2 * metrics.jitterMs + E_MODEL.codecDelayMs;
  const r = E_MODEL.r - delayImpairment(delayMs) - lossImpairment(metrics.lossRate);
  return Math.round(mosFromR(r) * 100) / 100;
}
