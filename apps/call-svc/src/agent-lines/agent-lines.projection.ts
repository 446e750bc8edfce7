import { Injectable } from '@nestjs/common';
import type { CallEvent, Envelope } from '@softphone/contracts';
import type { InlineProjection, RecordedEvent, Sql } from '@softphone/event-store';

/** agent_lines: the call holding each agent's line, and since when a free line is free (longest idle is offered first). */
@Injectable()
export class AgentLinesProjection implements InlineProjection {
  readonly name = 'agent_lines';

  handles(type: string): boolean {
    return type.startsWith('call.agent-line-');
  }

  async apply(sql: Sql, recorded: RecordedEvent): Promise<void> {
    const event = recorded as Envelope<CallEvent>;
    if (event.type === 'call.agent-line-reserved') {
      await sql.execute(
        `INSERT INTO agent_lines (agent_id, call_id, free_since) VALUES ($1, $2, NULL)
         ON CONFLICT (agent_id) DO UPDATE SET call_id = EXCLUDED.call_id, free_since = NULL`,
        [event.data.agentId, event.data.callId],
      );
    } else if (event.type === 'call.agent-line-released') {
      await sql.execute('UPDATE agent_lines SET call_id = NULL, free_since = $2 WHERE agent_id = $1', [
        event.data.agentId,
        event.occurredAt,
      ]);
    }
  }

  async reset(sql: Sql): Promise<void> {
    await sql.execute('DELETE FROM agent_lines');
  }
}
