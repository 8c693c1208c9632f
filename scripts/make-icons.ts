/**
 * Render the app icons (static/icons/*.png) from the SVG logo with Debian's Chromium, so the
 * web manifest has the PNG sizes browsers want for installing (192 and 512, plus a maskable
 * 512 with the safe-zone padding). Run after changing the logo: `npx tsx scripts/make-icons.ts`.
 */
import { readFileSync } from 'node:fs';
import { chromium } from '@playwright/test';

const svg = readFileSync('static/favicon.svg', 'utf8');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage({ deviceScaleFactor: 1 });

async function render(size: number, file: string, maskable: boolean) {
  await page.setViewportSize({ width: size, height: size });
  // Maskable icons must keep the logo inside the central 80 % circle; the rest is background.
  const inner = maskable ? Math.round(size * 0.7) : size;
  const body = svg.replace('<svg ', `<svg width="${inner}" height="${inner}" `);
  await page.setContent(
    `<html><body style="margin:0;width:${size}px;height:${size}px;display:grid;place-items:center;background:${maskable ? '#1d2430' : 'transparent'}">${body}</body></html>`
  );
  await page.screenshot({ path: `static/icons/${file}`, omitBackground: !maskable });
  console.log(`static/icons/${file}`);
}

await render(192, 'icon-192.png', false);
await render(512, 'icon-512.png', false);
await render(512, 'maskable-512.png', true);
await render(180, 'apple-touch-icon.png', true);
await browser.close();
