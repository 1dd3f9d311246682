import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TranscriptionWorker } from './transcription-worker';
import { TEST_MANIFEST_DECODING } from '../../core/transcription/test-posteriors';

const dir = mkdtempSync(join(tmpdir(), 'seminote-worker-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('TranscriptionWorker start-up errors (real worker thread)', () => {
  it('rejects with NOT_FOUND when the model directory has no manifest', async () => {
    await expect(TranscriptionWorker.start(join(dir, 'missing'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('rejects with CONFLICT when the model file does not match the manifest sha256', async () => {
    writeFileSync(join(dir, 'model.onnx'), 'bytes that are not the model the manifest describes');
    writeFileSync(
      join(dir, 'manifest.json'),
      JSON.stringify({
        version: '0',
        sample_rate: 16000,
        hop: 160,
        model: {
          file: 'model.onnx',
          sha256: '0'.repeat(64),
          inputs: [{ name: 'audio', shape: [1, 'n'] }],
          outputs: ['onset', 'frame', 'offset', 'velocity', 'pedal'].map((name) => ({ name, shape: [1, 't', 88] })),
        },
        decoding: { ...TEST_MANIFEST_DECODING },
      }),
    );
    await expect(TranscriptionWorker.start(dir)).rejects.toThrow(/sha256 .* does not match the manifest/);
  });
});
