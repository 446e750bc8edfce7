import type { INestApplication } from '@nestjs/common';
import express from 'express';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The pages' folder: PAGES_DIR, or apps/edge-svc/public above this module (sources, dist/ or the image). */
export function pagesDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PAGES_DIR) return env.PAGES_DIR;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'apps/edge-svc/public');
    if (existsSync(join(candidate, 'softphone/index.html'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('apps/edge-svc/public not found: set PAGES_DIR');
    dir = parent;
  }
}

/** Serves the softphone page (/softphone/), the ops dashboard (/dashboard/) and uPlot (/vendor/uplot/). */
export function mountPages(app: INestApplication): void {
  const uplot = dirname(createRequire(import.meta.url).resolve('uplot/package.json'));
  const headers = (response: express.Response) => {
    response.setHeader(
      'Content-Security-Policy',
      "default-src 'self'; connect-src 'self'; img-src 'self' data: blob:; media-src 'self' blob: mediastream:",
    );
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Referrer-Policy', 'no-referrer');
  };
  app.use('/vendor/uplot', express.static(join(uplot, 'dist'), { setHeaders: headers, maxAge: '1h' }));
  app.use(express.static(pagesDir(), { setHeaders: headers, redirect: true }));
}
