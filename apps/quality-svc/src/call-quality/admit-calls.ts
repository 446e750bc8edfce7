import { CallSamples, isPlainGatewayCall } from '@softphone/contracts';
import { fieldOf } from '@softphone/platform';
import { clockSkewIssue, type FieldIssue } from './measurement-time.js';

export interface RejectedCall {
  /** The call's id when it could be read. */
  callId: string | null;
  /** The field at fault in the whole body or message: calls[2].samples[0].at. */
  field: string;
  path: Array<string | number>;
  message: string;
}

export interface Admitted {
  calls: CallSamples[];
  rejected: RejectedCall[];
}

/**
 * The calls of a bulk body or a samples topic message, each checked on its
 * own (schema, ranges, clock): one bad call never drops the others' samples.
 * The schema is CallSamples; a gateway's plain call passes isPlainGatewayCall
 * instead (same verdict, no zod on the samples topic's hot path).
 */
export function admitCalls(calls: readonly unknown[], nowMs: number): Admitted {
  const admitted: Admitted = { calls: [], rejected: [] };
  calls.forEach((call, i) => {
    // A gateway's plain call is checked by hand (the hot path); anything else gets zod's verdict and error.
    const parsed = isPlainGatewayCall(call) ? { success: true as const, data: call } : CallSamples.safeParse(call);
    const issue: FieldIssue | null = parsed.success
      ? clockSkewIssue(parsed.data, nowMs)
      : { path: parsed.error.issues[0].path as FieldIssue['path'], message: parsed.error.issues[0].message };
    if (!issue) return void admitted.calls.push(parsed.data!);
    const callId = (call as { callId?: unknown } | null)?.callId;
    const path = ['calls', i, ...issue.path];
    admitted.rejected.push({
      callId: typeof callId === 'string' ? callId : null,
      field: fieldOf({ path, message: issue.message }),
      path,
      message: issue.message,
    });
  });
  return admitted;
}
