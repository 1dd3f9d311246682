/**
 * Services end to end on a real SQLite file: profile, MusicXML import, a practice take replayed
 * from a real .mid file with deliberate mistakes through the MIDI byte path, the saved attempt.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Profile, PieceRecord } from '../../src/shared/api';
import type { FeedbackEvent, AttemptDetail, PracticeOptions } from '../../src/shared/practice';
import type { Score } from '../../src/shared/score';
import { createServices } from '../../src/main/services';
import type { Services } from '../../src/main/services';
import { dispatch } from '../../src/main/dispatch';
import { midiUnavailableReason } from '../../src/main/midi/devices';
import { VirtualMidiSystem } from './virtual-midi';
import { BASIC_MUSICXML, call, performanceMidi, performanceWithMistakes, tempDir } from './helpers';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});

function open(dataDir: string): Services {
  const services = createServices({ dataDir, watchMidiDevices: false });
  cleanups.push(() => services.dispose());
  return services;
}

const playThrough: PracticeOptions = { mode: 'play-through', hands: 'both', loop: null, tempoFactor: 1, metronome: false };

describe('services on a real database', () => {
  it('stores the microphone latency offset rounded, and answers exactly what it stored (no -0)', async () => {
    const dir = tempDir('services-latency');
    cleanups.push(dir.remove);
    const services = open(dir.path);
    for (const [given, stored] of [[31.6, 32], [-0.3, 0], [-12.4, -12]] as const) {
      const saved = await call<{ offsetMs: number }>(services, 'audio.setLatencyOffset', { offsetMs: given });
      const settings = await call<Record<string, unknown>>(services, 'settings.get', {});
      expect(Object.is(saved.offsetMs, stored)).toBe(true);
      expect(settings['audio.latencyOffsetMs']).toBe(saved.offsetMs);
    }
  });

  it('imports a score, replays a performance with mistakes, grades and saves the attempt', async () => {
    const dir = tempDir('services');
    cleanups.push(dir.remove);
    const services = open(dir.path);
    const starters = (await call<PieceRecord[]>(services, 'library.list', {})).filter((p) => p.origin === 'starter');
    expect(starters.length).toBeGreaterThan(5);
    expect(starters.every((p) => p.noteCount > 0 && p.difficulty !== null)).toBe(true);
    const profile = await call<Profile>(services, 'profiles.create', { name: 'Ana' });
    const xml = readFileSync(BASIC_MUSICXML);
    const piece = await call<PieceRecord>(services, 'library.import', {
      fileName: 'test_basic_midi.musicxml',
      dataBase64: xml.toString('base64'),
    });
    expect(piece.origin).toBe('import');
    const { score } = await call<{ score: Score }>(services, 'library.getScore', { pieceId: piece.id });
    expect(score.notes.length).toBe(piece.noteCount);

    const mistakes = { wrong: 3, missed: 6, extraPitch: 100, extraAfter: 1 };
    const midi = performanceMidi(performanceWithMistakes(score, mistakes));
    const feedback: FeedbackEvent[] = [];
    services.events.on('practice.feedback', (e) => feedback.push(e));
    const finished = new Promise<AttemptDetail | null>((resolve) =>
      services.events.on('practice.finished', (e) => resolve(e.attempt)),
    );
    const { sessionId } = await call<{ sessionId: string }>(services, 'practice.start', {
      profileId: profile.id,
      pieceId: piece.id,
      options: playThrough,
      input: { kind: 'replay', midiBase64: Buffer.from(midi).toString('base64'), speed: 8 },
    });
    const attempt = await finished;
    expect(attempt).not.toBeNull();
    if (!attempt) return;

    const byId = new Map(attempt.verdicts.map((v) => [v.scoreNoteId, v]));
    const wrongNote = score.notes[mistakes.wrong]!;
    expect(byId.get(wrongNote.id)?.verdict).toBe('wrong');
    expect(byId.get(wrongNote.id)?.playedPitch).toBe(wrongNote.pitch + 1);
    expect(byId.get(score.notes[mistakes.missed]!.id)?.verdict).toBe('missed');
    const extras = attempt.verdicts.filter((v) => v.verdict === 'extra');
    expect(extras.map((v) => v.playedPitch)).toEqual([100]);
    const correct = score.notes.length - 2;
    expect(attempt.summary).toMatchObject({ correct, wrong: 1, missed: 1, extra: 1 });
    expect(attempt.accuracy).toBeCloseTo(correct / (score.notes.length + 1), 6);

    // Live feedback went out for each note as it was played, stamped for latency.
    expect(feedback.every((f) => f.sessionId === sessionId)).toBe(true);
    expect(feedback.find((f) => f.scoreNoteId === wrongNote.id)?.verdict).toBe('wrong');
    expect(feedback.some((f) => f.verdict === 'extra' && f.pitch === 100)).toBe(true);
    for (const f of feedback) expect(f.stamps.decidedMs).toBeGreaterThanOrEqual(f.stamps.receivedMs);

    // The attempt survives a restart of the services on the same file.
    services.dispose();
    const reopened = open(dir.path);
    const list = await call<{ id: number }[]>(reopened, 'attempts.list', { profileId: profile.id, pieceId: piece.id });
    expect(list.map((a) => a.id)).toEqual([attempt.id]);
    const detail = await call<AttemptDetail>(reopened, 'attempts.get', { attemptId: attempt.id });
    expect(detail.verdicts).toEqual(attempt.verdicts);
    // Seeding is idempotent: the starter pieces are not added a second time.
    const after = await call<PieceRecord[]>(reopened, 'library.list', {});
    expect(after.filter((p) => p.origin === 'starter')).toHaveLength(starters.length);
    expect(after).toHaveLength(starters.length + 1);
  });

  it('stores nothing for a bad file and says why', async () => {
    const dir = tempDir('services-bad');
    cleanups.push(dir.remove);
    const services = open(dir.path);
    const before = await call<PieceRecord[]>(services, 'library.list', {});
    const broken = await dispatch(services, 'library.import', {
      fileName: 'broken.musicxml',
      dataBase64: Buffer.from('<score-partwise><part id="P1"><measure>').toString('base64'),
    });
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.error.code).toBe('PARSE_ERROR');
    const wrongType = await dispatch(services, 'library.import', { fileName: 'notes.txt', dataBase64: 'aGVsbG8=' });
    expect(!wrongType.ok && wrongType.error.code).toBe('UNSUPPORTED');
    expect(await call<PieceRecord[]>(services, 'library.list', {})).toEqual(before);
  });

  it('stop() ends a running take early and saves what was played; a device take needs a MIDI system', async () => {
    const dir = tempDir('services-stop');
    cleanups.push(dir.remove);
    const services = open(dir.path);
    const profile = await call<Profile>(services, 'profiles.create', { name: 'Ben' });
    const piece = await call<PieceRecord>(services, 'library.import', {
      fileName: 'test_basic_midi.musicxml',
      dataBase64: readFileSync(BASIC_MUSICXML).toString('base64'),
    });
    const { score } = await call<{ score: Score }>(services, 'library.getScore', { pieceId: piece.id });
    const midi = performanceMidi(performanceWithMistakes(score, { wrong: -1, missed: -1, extraPitch: 0, extraAfter: -1 }, 0));
    const firstFeedback = new Promise<void>((resolve) => services.events.on('practice.feedback', () => resolve()));
    const { sessionId } = await call<{ sessionId: string }>(services, 'practice.start', {
      profileId: profile.id,
      pieceId: piece.id,
      options: playThrough,
      input: { kind: 'replay', midiBase64: Buffer.from(midi).toString('base64'), speed: 1 },
    });
    await firstFeedback;
    const { attempt } = await call<{ attempt: AttemptDetail | null }>(services, 'practice.stop', { sessionId });
    expect(attempt).not.toBeNull();
    expect(attempt!.summary.correct).toBeGreaterThanOrEqual(1);
    expect(attempt!.summary.missed).toBeGreaterThanOrEqual(1);
    // A second stop (e.g. racing the take's own end) gets the same attempt, not an error.
    const again = await call<{ attempt: AttemptDetail | null }>(services, 'practice.stop', { sessionId });
    expect(again.attempt?.id).toBe(attempt!.id);
    const unknown = await dispatch(services, 'practice.stop', { sessionId: 'no-such-session' });
    expect(!unknown.ok && unknown.error.code).toBe('NOT_FOUND');

    const device = await dispatch(services, 'practice.start', {
      profileId: profile.id,
      pieceId: piece.id,
      options: playThrough,
      input: { kind: 'midi-device', deviceId: 'Digital Piano' },
    });
    expect(device.ok).toBe(false);
    if (!device.ok && midiUnavailableReason() !== null) {
      // This machine (like CI) has no ALSA sequencer.
      expect(device.error.code).toBe('DEVICE_UNAVAILABLE');
      expect(device.error.message).toBe('No MIDI system available: ALSA sequencer /dev/snd/seq not found');
    } else if (!device.ok) {
      expect(device.error.code).toBe('NOT_FOUND');
    }
  });

  it('a keyboard unplugged mid-take ends the take with a clear message and keeps what was played', async () => {
    const dir = tempDir('services-unplug');
    cleanups.push(dir.remove);
    const midi = new VirtualMidiSystem();
    midi.devices = ['Digital Piano'];
    const services = createServices({ dataDir: dir.path, midi, watchMidiDevices: true });
    cleanups.push(() => services.dispose());
    const changes: string[][] = [];
    services.events.on('midi.devicesChanged', (l) => changes.push(l.devices.map((d) => d.id)));
    expect(await call(services, 'midi.listDevices', {})).toMatchObject({ available: true, devices: [{ id: 'Digital Piano' }] });
    const profile = await call<Profile>(services, 'profiles.create', { name: 'Finn' });
    const piece = await call<PieceRecord>(services, 'library.import', {
      fileName: 'test_basic_midi.musicxml',
      dataBase64: readFileSync(BASIC_MUSICXML).toString('base64'),
    });
    const { score } = await call<{ score: Score }>(services, 'library.getScore', { pieceId: piece.id });
    const errors: string[] = [];
    services.events.on('error', (e) => errors.push(`${e.code}: ${e.message}`));
    const finished = new Promise<AttemptDetail | null>((resolve) => services.events.on('practice.finished', (e) => resolve(e.attempt)));
    await call(services, 'practice.start', {
      profileId: profile.id,
      pieceId: piece.id,
      options: { ...playThrough, mode: 'wait' },
      input: { kind: 'midi-device', deviceId: 'Digital Piano' },
    });
    // The first three notes, right, with running status, then the cable is pulled.
    const [a, b, c] = score.notes;
    midi.play('Digital Piano', [0x90, a!.pitch, 90, b!.pitch, 90]);
    midi.play('Digital Piano', [c!.pitch, 90, a!.pitch, 0]);
    midi.devices = [];
    const attempt = await finished;
    expect(errors).toEqual(['DEVICE_UNAVAILABLE: MIDI device "Digital Piano" was disconnected. The take ended; the notes you played were kept.']);
    expect(attempt?.verdicts.filter((v) => v.verdict === 'correct').map((v) => v.scoreNoteId)).toEqual([a!.id, b!.id, c!.id]);
    await new Promise((r) => setTimeout(r, 1100));
    expect(changes).toContainEqual([]);
  });

  it('runs two takes at once without mixing their notes', async () => {
    const dir = tempDir('services-two');
    cleanups.push(dir.remove);
    const services = open(dir.path);
    const profile = await call<Profile>(services, 'profiles.create', { name: 'Gus' });
    const piece = await call<PieceRecord>(services, 'library.import', {
      fileName: 'test_basic_midi.musicxml',
      dataBase64: readFileSync(BASIC_MUSICXML).toString('base64'),
    });
    const { score } = await call<{ score: Score }>(services, 'library.getScore', { pieceId: piece.id });
    const clean = performanceMidi(performanceWithMistakes(score, { wrong: -1, missed: -1, extraPitch: 0, extraAfter: -1 }));
    const messy = performanceMidi(performanceWithMistakes(score, { wrong: 0, missed: 9, extraPitch: 90, extraAfter: 4 }));
    const attempts = new Map<string, AttemptDetail | null>();
    const bothDone = new Promise<void>((resolve) =>
      services.events.on('practice.finished', (e) => {
        attempts.set(e.sessionId, e.attempt);
        if (attempts.size === 2) resolve();
      }),
    );
    const start = (midi: Uint8Array) =>
      call<{ sessionId: string }>(services, 'practice.start', {
        profileId: profile.id,
        pieceId: piece.id,
        options: playThrough,
        input: { kind: 'replay', midiBase64: Buffer.from(midi).toString('base64'), speed: 8 },
      });
    const [a, b] = await Promise.all([start(clean), start(messy)]);
    await bothDone;
    expect(attempts.get(a.sessionId)?.summary).toMatchObject({ correct: 10, wrong: 0, missed: 0, extra: 0 });
    expect(attempts.get(b.sessionId)?.summary).toMatchObject({ correct: 8, wrong: 1, missed: 1, extra: 1 });
    expect(await call<unknown[]>(services, 'attempts.list', { profileId: profile.id })).toHaveLength(2);
  });
});
