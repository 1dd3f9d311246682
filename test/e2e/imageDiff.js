/* global createImageBitmap, OffscreenCanvas -- used inside page.evaluate, which runs in the browser */
/**
 * Compares a fresh screenshot with a saved reference image inside the browser (canvas pixels),
 * so no image library is needed. A pixel counts as different when any channel differs by more
 * than `channelTolerance`; anti-aliasing noise stays under `maxDifferentShare`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** `page` should be a blank page (no CSP): the comparison decodes both images there. */
export async function compareWithReference(page, actualPng, referencePath, { channelTolerance = 64, maxDifferentShare = 0.005 } = {}) {
  if (!existsSync(referencePath) || process.env.UPDATE_REFERENCES === '1') {
    mkdirSync(dirname(referencePath), { recursive: true });
    writeFileSync(referencePath, actualPng);
    return { created: true, differentShare: 0 };
  }
  const reference = readFileSync(referencePath);
  const result = await page.evaluate(
    async ({ a, b, tol }) => {
      const load = async (b64) => createImageBitmap(await (await fetch(`data:image/png;base64,${b64}`)).blob());
      const [ia, ib] = await Promise.all([load(a), load(b)]);
      if (ia.width !== ib.width || ia.height !== ib.height) return { sizeMismatch: `${ia.width}x${ia.height} vs ${ib.width}x${ib.height}` };
      const pixels = (img) => {
        const canvas = new OffscreenCanvas(img.width, img.height);
        const ctx = canvas.getContext('2d');
        ctx.drawImage(img, 0, 0);
        return ctx.getImageData(0, 0, img.width, img.height).data;
      };
      const pa = pixels(ia);
      const pb = pixels(ib);
      let different = 0;
      for (let i = 0; i < pa.length; i += 4) {
        if (Math.abs(pa[i] - pb[i]) > tol || Math.abs(pa[i + 1] - pb[i + 1]) > tol || Math.abs(pa[i + 2] - pb[i + 2]) > tol) different++;
      }
      return { differentShare: different / (pa.length / 4) };
    },
    { a: actualPng.toString('base64'), b: reference.toString('base64'), tol: channelTolerance },
  );
  if (result.sizeMismatch) throw new Error(`image size differs from ${referencePath}: ${result.sizeMismatch}`);
  if (result.differentShare > maxDifferentShare) {
    throw new Error(`${(result.differentShare * 100).toFixed(2)} % of pixels differ from ${referencePath} (allowed ${(maxDifferentShare * 100).toFixed(2)} %); if the change is intended, rerun with UPDATE_REFERENCES=1 and look at the new image`);
  }
  return { created: false, differentShare: result.differentShare };
}
