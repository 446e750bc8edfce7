/** npm run docs:events: regenerates docs/event-catalog.md and docs/asyncapi.json from the contracts. */
import { writeFileSync } from 'node:fs';
import { asyncApiDocument } from '@softphone/contracts';
import { renderEventCatalog } from './event-catalog.js';

writeFileSync(new URL('../../../docs/event-catalog.md', import.meta.url), renderEventCatalog());
writeFileSync(new URL('../../../docs/asyncapi.json', import.meta.url), `${JSON.stringify(asyncApiDocument(), null, 2)}\n`);
process.stdout.write('docs/event-catalog.md and docs/asyncapi.json written\n');
