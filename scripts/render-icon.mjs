// Renders media/icon.svg to the 128x128 media/icon.png that the Marketplace shows, in Debian's
// Chromium through playwright-core (transparent corners). Run it after editing the SVG; the PNG
// is committed. CHROMIUM overrides the browser path.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const media = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'media');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
  const svg = fs.readFileSync(path.join(media, 'icon.svg'), 'utf8');
  await page.setContent(`<style>html,body{margin:0;background:transparent}svg{display:block}</style>${svg}`);
  await page.screenshot({ path: path.join(media, 'icon.png'), omitBackground: true });
} finally {
  await browser.close();
}
