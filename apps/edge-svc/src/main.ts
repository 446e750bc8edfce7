import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { startEdge } from './edge-app.js';
import { loadEdgeConfig } from './edge-config.js';

const config = loadEdgeConfig();
const app = await startEdge(config, { shutdownHooks: true });
new Logger('Bootstrap').log(
  `edge-svc (${config.instanceId}) listening on :${(app.getHttpServer() as { address(): { port: number } }).address().port}`,
);
