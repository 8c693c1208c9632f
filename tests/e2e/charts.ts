/** Checks on uPlot charts (canvas): that a series was really drawn, by its colour. */
import { mkdirSync } from 'node:fs';
import { expect, type Page } from '@playwright/test';
import { SHOTS } from './helpers.ts';

/** The palette's first colours (src/lib/components/charts/uplotOptions.ts). */
export const BLUE: [number, number, number] = [0, 114, 178];
export const ORANGE: [number, number, number] = [230, 159, 0];
export const PINK: [number, number, number] = [204, 121, 167];
/** The fault shading, rgba(213, 94, 0, 0.10) over white, as read back from the canvas. */
export const FAULT: [number, number, number] = [213, 94, 0];

/**
 * How many pixels of the chart's canvas have this colour (any opacity, ±12 per channel, as
 * getImageData returns colours un-premultiplied). Grid and axes are grey, so a count above a
 * few dozen means the series (or band, or shading) of that colour was drawn.
 */
export async function pixelsOf(page: Page, testid: string, rgb: [number, number, number]): Promise<number> {
  const canvas = page.getByTestId(testid).locator('canvas').first();
  await expect(canvas).toBeVisible();
  return canvas.evaluate((c: HTMLCanvasElement, [r, g, b]) => {
    const ctx = c.getContext('2d');
    if (!ctx) return 0;
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] > 0 && Math.abs(d[i] - r) <= 12 && Math.abs(d[i + 1] - g) <= 12 && Math.abs(d[i + 2] - b) <= 12) n++;
    }
    return n;
  }, rgb);
}

/** Wait until a chart is on the page and its first series colour is drawn. */
export async function expectDrawn(page: Page, testid: string, rgb: [number, number, number] = BLUE): Promise<void> {
  await expect(page.getByTestId(testid)).toBeVisible();
  await expect.poll(() => pixelsOf(page, testid, rgb), { message: `${testid} draws its series` }).toBeGreaterThan(40);
}

/** A PNG of one part of the page (charts are easier to look at than in a full-page shot). */
export async function shotOf(page: Page, testid: string, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const el = page.getByTestId(testid).first();
  await el.scrollIntoViewIfNeeded();
  await el.screenshot({ path: `${SHOTS}/${name}.png` });
}
