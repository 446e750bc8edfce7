import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { renderEventCatalog } from './event-catalog.js';

describe('docs/event-catalog.md', () => {
  it('matches the contracts (run npm run docs:events after changing an event)', () => {
    const onDisk = readFileSync(new URL('../../docs/event-catalog.md', import.meta.url), 'utf8');
    expect(onDisk).toBe(renderEventCatalog());
  });
});
