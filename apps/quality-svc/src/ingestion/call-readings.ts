import type { CallSamples } from '@softphone/contracts';
import { DEFAULT_ALERT_RULE } from '../metering/alert-rule.js';
import type { CallReading } from '../metering/cadence.js';
import { readingOfSample, secondMetrics, type Metered } from '../metering/call-meter.js';
import { readingOfReport } from '../metering/getstats-reading.js';
import type { CallQualityCommand } from '../call-quality/call-quality.decider.js';

export type SecondCommand = Extract<CallQualityCommand, { type: 'ChangeLevel' | 'RaiseAlert' | 'ClearAlert' }>;

/** A call's samples or getStats reports as readings; reports without media are counted apart. */
export function readingsOf(call: CallSamples): { readings: CallReading[]; noMedia: number } {
  if (call.samples) return { readings: call.samples.map(readingOfSample), noMedia: 0 };
  const readings = (call.reports ?? []).map(readingOfReport);
  return { readings: readings.filter((r): r is CallReading => r !== null), noMedia: readings.filter((r) => r === null).length };
}

/** The commands metered seconds give the call quality stream, in time order. */
export function commandsOf(callId: string, agentId: string | null, metered: Metered): SecondCommand[] {
  if (metered.changes.length === 0 && metered.alerts.length === 0) return [];
  const iso = (ms: number) => new Date(ms).toISOString();
  const commands: Array<{ atMs: number; command: SecondCommand }> = [];
  for (const { to, second } of metered.changes) {
    const command: SecondCommand = {
      type: 'ChangeLevel',
      callId,
      agentId,
      to,
      second: iso(second.atMs),
      metrics: secondMetrics(second.worst),
    };
    commands.push({ atMs: second.atMs, command });
  }
  for (const alert of metered.alerts) {
    const { poorSeconds, ofLastSeconds } = DEFAULT_ALERT_RULE;
    const command: SecondCommand =
      alert.type === 'went-poor'
        ? {
            type: 'RaiseAlert',
            callId,
            agentId,
            second: iso(alert.atMs),
            rule: { poorSeconds, ofLastSeconds },
            level: alert.level,
            reasons: alert.reasons,
            metrics: alert.metrics,
          }
        : { type: 'ClearAlert', callId, agentId, second: iso(alert.atMs) };
    commands.push({ atMs: alert.atMs, command });
  }
  return commands.sort((a, b) => a.atMs - b.atMs).map((c) => c.command);
}
