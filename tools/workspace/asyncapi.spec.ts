import { describe, expect, it } from '@jest/globals';
import { Parser, DiagnosticSeverity } from '@asyncapi/parser';
import { readFileSync } from 'node:fs';
import { asyncApiDocument, eventCatalog } from '@softphone/contracts';

describe('AsyncAPI document (docs/asyncapi.json, served at /docs/asyncapi.json)', () => {
  const document = asyncApiDocument();

  const problems = async (candidate: unknown) =>
    (await new Parser().parse(JSON.stringify(candidate))).diagnostics
      .filter((d) => Number(d.severity) <= Number(DiagnosticSeverity.Information))
      .map((d) => `${d.code} at ${d.path.join('.')}: ${d.message}`);

  it('is a valid AsyncAPI 3 document for @asyncapi/parser, without a single remark', async () => {
    expect(await problems(document)).toEqual([]);
    expect((await new Parser().parse(JSON.stringify(document))).document?.version()).toBe('3.1.0');
  });

  it('(the parser does refuse a broken document: an unknown action, a payload that is no schema)', async () => {
    const broken = structuredClone(document) as {
      operations: Record<string, { action: string }>;
      channels: Record<string, { messages: Record<string, unknown> }>;
    };
    broken.operations.publishTenantEvents.action = 'publish';
    broken.channels.tenantEvents.messages['tenant.created'] = { payload: { type: 'nope' } };
    expect((await problems(broken)).length).toBeGreaterThan(0);
  });

  it('has every topic, and every event of the contracts with its version and data schema', async () => {
    const { document: parsed } = await new Parser().parse(JSON.stringify(document));
    expect(
      parsed
        ?.channels()
        .all()
        .map((c) => c.address())
        .sort(),
    ).toEqual([
      'softphone.agent.events',
      'softphone.call.events',
      'softphone.dlq.{consumerGroup}',
      'softphone.quality.events',
      'softphone.quality.samples.{tenantId}',
      'softphone.quality.seconds',
      'softphone.tenant.events',
    ]);
    const messages = new Map(
      parsed
        ?.components()
        .messages()
        .all()
        .map((m) => [m.id(), m]),
    );
    for (const definition of eventCatalog) {
      const message = messages.get(definition.type);
      expect({ type: definition.type, title: message?.title() }).toEqual({
        type: definition.type,
        title: `${definition.type} v${definition.schemaVersion}`,
      });
      const payload = message?.payload()?.json() as { allOf: Array<{ properties?: Record<string, unknown> }> };
      expect(payload.allOf[1].properties).toMatchObject({
        type: { const: definition.type },
        schemaVersion: { const: definition.schemaVersion },
      });
    }
  });

  it('matches docs/asyncapi.json (run npm run docs:events after changing a contract)', () => {
    const onDisk = readFileSync(new URL('../../docs/asyncapi.json', import.meta.url), 'utf8');
    expect(JSON.parse(onDisk)).toEqual(document);
  });
});
