import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort, uniqueTopicPrefix } from '@softphone/testing';
import { createTopics, startTestEdge, type RunningEdge } from './support.js';

/** Plays a service: answers with what it received. */
function echoServer(): Promise<Server> {
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      response.writeHead(207, { 'content-type': 'application/json', 'x-upstream': 'echo' });
      response.end(JSON.stringify({ method: request.method, url: request.url, authorization: request.headers.authorization, body }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('edge: one origin for pages and REST', () => {
  const prefix = uniqueTopicPrefix('edge-proxy');
  let upstream: Server;
  let edge: RunningEdge;

  beforeAll(async () => {
    await createTopics(prefix);
    upstream = await echoServer();
    const echo = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    edge = await startTestEdge(prefix, 'edge-proxy', {
      TENANT_SVC_URL: echo,
      CALL_SVC_URL: echo,
      AGENT_SVC_URL: `http://127.0.0.1:${await freePort()}`,
    });
  });

  afterAll(async () => {
    await edge?.app.close();
    await new Promise((resolve) => upstream?.close(resolve));
  });

  it("passes a request to the service under its prefix untouched: method, path, query, token, body, the service's status", async () => {
    const response = await fetch(`${edge.url}/api/call/calls/c-1/media?x=1`, {
      method: 'POST',
      headers: { authorization: 'Bearer abc', 'content-type': 'application/json' },
      body: JSON.stringify({ change: 'muted' }),
    });
    expect(response.status).toBe(207);
    expect(response.headers.get('x-upstream')).toBe('echo');
    expect(await response.json()).toEqual({
      method: 'POST',
      url: '/calls/c-1/media?x=1',
      authorization: 'Bearer abc',
      body: JSON.stringify({ change: 'muted' }),
    });
  });

  it('answers 503 in the error shape when the service does not answer', async () => {
    const response = await fetch(`${edge.url}/api/agent/agents/a-1`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
  });

  it('serves both pages and uPlot from the same origin, with a content security policy', async () => {
    for (const path of ['/softphone/', '/dashboard/', '/shared/live.js', '/vendor/uplot/uPlot.esm.js']) {
      const response = await fetch(`${edge.url}${path}`);
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    }
    expect(await (await fetch(`${edge.url}/softphone/`)).text()).toContain('<title>Agent softphone</title>');
    expect((await fetch(`${edge.url}/api/nothing/x`)).status).toBe(404);
  });
});
