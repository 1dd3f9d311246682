import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from './dispatch';
import { createServices } from './services';
import type { Services } from './services';

let dir: string;
let services: Services;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'seminote-dispatch-'));
  services = createServices({ dataDir: dir, watchMidiDevices: false, starterPieces: () => [] });
});
afterAll(() => {
  services.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const practiceArgs = {
  profileId: 1,
  pieceId: 1,
  options: { mode: 'wait', hands: 'both', loop: null, tempoFactor: 1, metronome: false },
  input: { kind: 'replay', midiBase64: 'TVRoZA==', speed: 1 },
};

describe('dispatch', () => {
  it.each([
    ['profiles.create', { name: '' }, 'name'],
    ['profiles.create', { name: 'x'.repeat(81) }, 'name'],
    ['profiles.create', null, 'name'],
    ['profiles.delete', { profileId: 1.5 }, 'profileId'],
    ['profiles.delete', { profileId: '1' }, 'profileId'],
    ['attempts.list', { profileId: 0 }, 'profileId'],
    ['library.import', { fileName: 'a.xml' }, 'dataBase64'],
    ['practice.start', { ...practiceArgs, options: { ...practiceArgs.options, tempoFactor: 5 } }, 'options.tempoFactor'],
    ['practice.start', { ...practiceArgs, options: { ...practiceArgs.options, loop: { fromMeasure: 4, toMeasure: 2 } } }, 'options.loop'],
    ['practice.start', { ...practiceArgs, input: { kind: 'microphone' } }, 'input.kind'],
    ['practice.start', { ...practiceArgs, input: { kind: 'replay', midiBase64: 'TVRoZA==', speed: 0 } }, 'input.speed'],
    ['settings.set', { key: '', value: 1 }, 'key'],
  ])('rejects invalid %s args %j with INVALID_ARGUMENT naming %s', async (method, args, path) => {
    const result = await dispatch(services, method, args);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('INVALID_ARGUMENT');
    expect(result.error.message).toContain(`Invalid arguments for ${method}: ${path}`);
  });

  it('app.info reports the package version, the mode and the data dir', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(await dispatch(services, 'app.info', {})).toEqual({ ok: true, value: { version: pkg.version, mode: 'electron', dataDir: dir } });
  });

  it('rejects unknown methods, including inherited object keys', async () => {
    for (const method of ['nope', 'toString', '__proto__', 'constructor']) {
      const result = await dispatch(services, method, {});
      expect(result).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: `Unknown method "${method}".` } });
    }
  });

  it('maps AppErrors from handlers to {code, message} and passes valid calls through', async () => {
    const created = await dispatch(services, 'profiles.create', { name: '  Eve  ' });
    expect(created).toMatchObject({ ok: true, value: { name: 'Eve' } });
    const duplicate = await dispatch(services, 'profiles.create', { name: 'Eve' });
    expect(duplicate).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const missing = await dispatch(services, 'attempts.get', { attemptId: 12345 });
    expect(missing).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'No attempt with id 12345.' } });
    const badBase64 = await dispatch(services, 'library.import', { fileName: 'a.mid', dataBase64: 'not base64!!' });
    expect(badBase64).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', message: 'a.mid is not valid base64.' } });
    expect(await dispatch(services, 'settings.set', { key: 'theme', value: { dark: true } })).toEqual({ ok: true, value: { ok: true } });
    expect(await dispatch(services, 'settings.get', undefined)).toEqual({ ok: true, value: { theme: { dark: true } } });
  });
});
