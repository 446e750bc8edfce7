import { chromium, type Browser } from 'playwright-core';
import { ensureChromium } from '#infra/chromium';

/** Flags that work on this machine (closed network, root, no GPU), plus Chromium's fake camera and microphone. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  // Host candidates with the real address (the relay rewrites them), not mDNS names.
  '--disable-features=WebRtcHideLocalIpsWithMdns',
];

/** Debian's Chromium (installed by scripts/infra/chromium.mjs when missing): its path. */
export async function chromiumExecutable(): Promise<string> {
  return ensureChromium();
}

/**
 * One headless Chromium (Playwright gives it a fresh temporary --user-data-dir); share it per test file,
 * open a context per user and close pages when done.
 */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: await chromiumExecutable(), headless: true, args: CHROMIUM_FLAGS });
}
