import { describe, expect, it } from '@jest/globals';
import { createServer } from 'node:net';
import { launchService } from './launcher.js';
import { DOMAIN_SERVICES, SERVICE_NAMES, SERVICES } from './services.js';

describe('the service launcher (over the compiled services, npm run build)', () => {
  it('rejects a service that exits before it is healthy, with its last output lines', async () => {
    const launching = launchService({ service: 'tenant-svc', port: 0, env: { DATABASE_URL: 'mysql://nowhere/x' } });
    await expect(launching).rejects.toThrow(/tenant-svc exited \(code 1\)[\s\S]*invalid configuration of tenant-svc: DATABASE_URL/);
  });

  it('refuses a port something else answers on (its /health would pass for the service)', async () => {
    const squatter = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => squatter.once('listening', resolve));
    const { port } = squatter.address() as { port: number };
    try {
      await expect(launchService({ service: 'call-svc', port })).rejects.toThrow(`port ${port} for call-svc is already in use`);
    } finally {
      squatter.close();
    }
  });

  it('has one entry per service, with distinct ports, and a database of its own for each domain service', () => {
    expect(SERVICE_NAMES).toEqual(['tenant-svc', 'agent-svc', 'call-svc', 'quality-svc', 'edge-svc']);
    expect(DOMAIN_SERVICES).toEqual(['tenant-svc', 'agent-svc', 'call-svc', 'quality-svc']);
    expect(new Set(SERVICE_NAMES.map((s) => SERVICES[s].port)).size).toBe(5);
    expect(new Set(DOMAIN_SERVICES.map((s) => SERVICES[s].database)).size).toBe(4);
  });
});
