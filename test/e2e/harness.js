/**
 * What every e2e suite shares: paths, the step runner with its pass/fail tally, assertions,
 * screenshots, and launching Debian's Chromium (never a downloaded browser).
 */
import { copyFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = join(repoRoot, 'artifacts/e2e');
export const DOC_SHOTS = join(repoRoot, 'docs/screenshots');
// Screenshots always go to artifacts/e2e; docs/screenshots is refreshed only on request, so a
// test run leaves the working tree clean.
const UPDATE_DOC_SHOTS = process.env.UPDATE_SCREENSHOTS === '1';

/** Steps passed and failed in this process. */
export const tally = { passed: 0, failed: 0 };

/** A failing step stops the run (later steps depend on it) unless it is marked soft (a pure assertion). */
export async function check(name, fn, { soft = false } = {}) {
  try {
    await fn();
    tally.passed++;
    console.log(`  ok   ${name}`);
  } catch (error) {
    tally.failed++;
    console.log(`  FAIL ${name}\n       ${String(error?.message ?? error).split('\n').join('\n       ')}`);
    if (!soft) throw error;
  }
}

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}

export function assertEqual(actual, expected, what) {
  if (actual !== expected) throw new Error(`${what}: expected ${expected}, got ${actual}`);
}

export async function shot(page, name, { doc = false, fullPage = false, locator = null } = {}) {
  const file = join(ARTIFACTS, `${name}.png`);
  if (locator) await locator.screenshot({ path: file });
  else await page.screenshot({ path: file, fullPage });
  if (doc && UPDATE_DOC_SHOTS) copyFileSync(file, join(DOC_SHOTS, `${name}.png`));
}

export function launchChromium() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}
