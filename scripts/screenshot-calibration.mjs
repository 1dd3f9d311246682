/**
 * Screenshot of "Check your piano" with the shipped model: serve mode in Debian's Chromium, the
 * PulseAudio rig, a rendered 20-note scale (A0-E7) played into the sink during the Play step.
 *   npx tsx scripts/screenshot-calibration.mjs      -> artifacts/live-calibration.png (+ the panel's text)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PulsePlayer, RIG_RATE, startPulseRig } from '../src/main/audio/pulseRig.ts';
import { renderPiano } from '../src/main/live/piano-render.ts';
import { launchChromium, repoRoot } from '../test/e2e/harness.js';
import { startServer } from '../test/e2e/server.js';

const SCALE = [21, 28, 33, 36, 40, 43, 48, 52, 55, 60, 64, 67, 72, 76, 79, 84, 88, 91, 96, 100].map((pitch, i) => ({ pitch, onsetSec: 0.3 + i * 0.45, durationSec: 0.4, velocity: 85 }));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
startPulseRig(repoRoot);
const server = await startServer({ repoRoot, token: 'shot-token' });
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
  await page.goto(server.url);
  await page.getByLabel('New profile').fill('Screenshot');
  await page.getByRole('button', { name: 'Create profile' }).click();
  await page.getByTestId('current-profile').filter({ hasText: 'Screenshot' }).waitFor();
  await page.getByRole('button', { name: 'Settings' }).click();
  const options = await page.getByTestId('test-device').locator('option').allTextContents();
  await page.getByTestId('test-device').selectOption({ label: options.find((o) => o.startsWith('pulse ')) ?? options[0] });
  await page.getByTestId('calibrate-silence').click();
  await sleep(5000);
  const scale = await renderPiano(mkdtempSync(join(tmpdir(), 'shot-')), SCALE, RIG_RATE, 'scale');
  const peak = scale.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
  const gain = 10 ** (-8 / 20) / peak;
  const player = await PulsePlayer.open({ latencyMs: 400 });
  await page.getByTestId('calibrate-play').click();
  await sleep(1200);
  player.play(scale.map((x) => x * gain));
  await sleep(14_000);
  await player.close();
  const panel = page.getByTestId('calibration');
  await panel.scrollIntoViewIfNeeded();
  await panel.screenshot({ path: join(repoRoot, 'artifacts', 'live-calibration.png') });
  console.log(await panel.innerText());
} finally {
  await browser.close();
  await server.stop();
}
