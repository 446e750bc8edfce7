import type { INestApplication } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import { createServiceApp, type CreateOptions } from '@softphone/platform';
import type { EdgeConfig } from './edge-config.js';
import { edgeServiceModule } from './edge-service.js';
import { mountPages } from './pages/pages.js';
import { mountRestProxy } from './rest-proxy/rest-proxy.js';

/** Builds and starts the edge (pages, REST proxy, live channel) on its port (0: any free port). */
export async function startEdge(config: EdgeConfig, options: CreateOptions = {}): Promise<INestApplication> {
  // No body parsing: request bodies stream through the proxy untouched.
  const app = await createServiceApp(edgeServiceModule(config), config, { ...options, bodyParser: false });
  app.useWebSocketAdapter(new WsAdapter(app));
  mountRestProxy(app, config);
  mountPages(app);
  await app.listen(config.port, config.host);
  return app;
}
