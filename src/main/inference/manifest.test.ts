import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { checkSignature, loadManifest, parseManifest, sha256OfFile, verifiedGraphPath } from './manifest';
import { TEST_MANIFEST_DECODING } from '../../core/transcription/test-posteriors';

const dir = mkdtempSync(join(tmpdir(), 'seminote-manifest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const heads = ['onset', 'frame', 'offset', 'velocity'];
function manifest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'transcription',
    version: '0.1.0',
    sample_rate: 16000,
    hop: 160,
    model: {
      file: 'model.onnx',
      sha256: 'a'.repeat(64),
      inputs: [{ name: 'audio', shape: [1, 'samples'] }],
      outputs: [...heads.map((name) => ({ name, shape: [1, 'frames', 88] })), { name: 'pedal', shape: [1, 'frames'] }],
    },
    decoding: { ...TEST_MANIFEST_DECODING },
    ...overrides,
  };
}

describe('parseManifest', () => {
  it('reads rates, derives the frame rate, maps heads to outputs and reads decoding', () => {
    const m = parseManifest(manifest(), dir);
    expect(m).toMatchObject({ sampleRate: 16000, hop: 160, frameRateHz: 100, heads: { pedal: 'pedal' } });
    expect(m.decoding.noteOffFrames).toBe(2);
  });
  it('follows an explicit heads map', () => {
    const m = manifest();
    const model = m['model'] as { outputs: Array<{ name: string }> };
    model.outputs[0] = { ...model.outputs[0], name: 'onset_probs' } as { name: string };
    expect(parseManifest({ ...m, heads: { onset: 'onset_probs' } }, dir).heads.onset).toBe('onset_probs');
    expect(() => parseManifest(m, dir)).toThrow(/head "onset" maps to output "onset"/);
  });
  it('names the bad field', () => {
    expect(() => parseManifest(manifest({ sample_rate: 'fast' }), dir)).toThrow(/sample_rate/);
    expect(() => parseManifest(manifest({ frame_rate_hz: 50 }), dir)).toThrow(/disagrees/);
    expect(() => parseManifest(manifest({ decoding: {} }), dir)).toThrow(/onset_threshold/);
  });
});

describe('loadManifest and sha256', () => {
  it('reports a missing or broken manifest clearly', async () => {
    await expect(loadManifest(join(dir, 'none'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    writeFileSync(join(dir, 'manifest.json'), '{ not json');
    await expect(loadManifest(dir)).rejects.toMatchObject({ code: 'PARSE_ERROR' });
  });
  it('accepts a file whose sha256 matches and refuses one that does not', async () => {
    writeFileSync(join(dir, 'model.onnx'), 'not really a model, only bytes to hash');
    const sha = await sha256OfFile(join(dir, 'model.onnx'));
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest({ model: { ...(manifest()['model'] as object), sha256: sha } })));
    const m = await loadManifest(dir);
    await expect(verifiedGraphPath(m, m.model)).resolves.toBe(join(dir, 'model.onnx'));
    writeFileSync(join(dir, 'model.onnx'), 'tampered');
    await expect(verifiedGraphPath(m, m.model)).rejects.toThrow(/does not match the manifest/);
  });
});

describe('checkSignature', () => {
  const graph = parseManifest(manifest(), dir).model;
  const outputs = [...heads.map((name) => ({ name, rank: 3 })), { name: 'pedal', rank: 2 }];
  it('passes when names and ranks agree (unknown ranks are not held against it)', () => {
    expect(() => checkSignature(graph, { inputs: [{ name: 'audio', rank: 2 }], outputs }, 'm')).not.toThrow();
    expect(() => checkSignature(graph, { inputs: [{ name: 'audio', rank: null }], outputs }, 'm')).not.toThrow();
  });
  it('throws naming the missing, extra or wrongly shaped tensor', () => {
    expect(() => checkSignature(graph, { inputs: [{ name: 'wave', rank: 2 }], outputs }, 'm')).toThrow(/no input "audio".*wave/);
    expect(() => checkSignature(graph, { inputs: [{ name: 'audio', rank: 3 }], outputs }, 'm')).toThrow(/rank 3, the manifest says 2/);
    expect(() => checkSignature(graph, { inputs: [{ name: 'audio', rank: 2 }], outputs: outputs.slice(1) }, 'm')).toThrow(AppError);
    expect(() =>
      checkSignature(graph, { inputs: [{ name: 'audio', rank: 2 }, { name: 'state', rank: 3 }], outputs }, 'm'),
    ).toThrow(/inputs the manifest does not list: state/);
  });
});
