/** npm run docs:events: regenerates docs/event-catalog.md from the contracts. */
import { writeFileSync } from 'node:fs';
import { renderEventCatalog } from './event-catalog.js';

writeFileSync(new URL('../../../docs/event-catalog.md', import.meta.url), renderEventCatalog());
process.stdout.write('docs/event-catalog.md written\n');
