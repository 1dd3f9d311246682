/**
 * "Send to lessons": a practice attempt's microphone recording (a real WAV linked the way a take
 * links it) becomes an audio lesson through the ordinary import path, on a real SQLite file, and is
 * transcribed by the real model in the inference worker. Checks the mechanics (copy, job, review on
 * the attempt's score), not what the model hears.
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PieceRecord, Profile } from '../../src/shared/api';
import type { LessonDetail, LessonProgress, LessonRecord } from '../../src/shared/lessons';
import type { AttemptSummary } from '../../src/shared/evaluation';
import { createServices } from '../../src/main/services';
import type { Services } from '../../src/main/services';
import { encodeWav } from '../../src/main/audio/decode';
import { saveAttempt } from '../../src/main/db';
import { linkRecording, newTakeRecordingPath } from '../../src/main/live/recordings-store';
import { sha256Hex } from '../../src/main/services/lessons-files';
import { call, failure, tempDir } from './helpers';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});

/** A microphone-like take: mono 48 kHz, plucked tones rising by thirds, a little noise floor. */
function takeWav(seconds: number, sampleRate = 48_000): Uint8Array {
  const samples = new Float32Array(Math.round(seconds * sampleRate));
  const pitches = [60, 64, 67, 72, 67, 64];
  const step = 0.5;
  let seed = 7;
  for (let i = 0; i < samples.length; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    samples[i] = 0.002 * (seed / 2 ** 30 - 1);
  }
  for (let k = 0; k * step < seconds - step; k++) {
    const f0 = 440 * 2 ** ((pitches[k % pitches.length]! - 69) / 12);
    const from = Math.round(k * step * sampleRate);
    for (let i = 0; i < step * sampleRate; i++) {
      const t = i / sampleRate;
      samples[from + i]! += 0.3 * Math.exp(-4 * t) * (Math.sin(2 * Math.PI * f0 * t) + 0.4 * Math.sin(4 * Math.PI * f0 * t));
    }
  }
  return encodeWav([samples], sampleRate);
}

const summary: AttemptSummary = { correct: 0, wrong: 0, missed: 0, extra: 0, accuracy: 0, meanAbsTimingErrorMs: null, p90AbsTimingErrorMs: null, durationSec: 3, bars: [] };

async function setup() {
  const dir = tempDir('lessons-from-attempt');
  cleanups.push(dir.remove);
  const services = createServices({ dataDir: dir.path, watchMidiDevices: false });
  cleanups.push(() => services.dispose());
  const profile = await call<Profile>(services, 'profiles.create', { name: 'Ines' });
  const piece = (await call<PieceRecord[]>(services, 'library.list', {})).find((p) => p.origin === 'starter')!;
  const attempt = (finishedAt = Date.UTC(2026, 10, 27, 9, 12)) =>
    saveAttempt(services.db, { profileId: profile.id, pieceId: piece.id, startedAt: finishedAt - 3000, finishedAt, mode: 'play-through', hands: 'both', tempoFactor: 1, summary }, []);
  /** An attempt with its take's WAV linked exactly as LiveAudioService links a finished take. */
  const recordedAttempt = (seconds = 3) => {
    const saved = attempt();
    const path = newTakeRecordingPath(dir.path);
    const wav = takeWav(seconds);
    writeFileSync(path, wav);
    linkRecording(services.db, dir.path, { attemptId: saved.id, path, sampleRate: 48_000, frames: seconds * 48_000 });
    return { attempt: saved, path, wav };
  };
  return { dir, services, profile, piece, attempt, recordedAttempt };
}

function ended(services: Services, lessonId: number): Promise<LessonProgress> {
  return new Promise((resolve) => {
    const off = services.events.on('lessons.progress', (p) => {
      if (p.lessonId === lessonId && ['ready', 'failed', 'cancelled'].includes(p.status)) {
        off();
        resolve(p);
      }
    });
  });
}

describe('lessons.fromAttempt', () => {
  it('copies the take into the lessons, transcribes it in the background and reviews it on the attempt score', { timeout: 180_000 }, async () => {
    const { dir, services, profile, piece, recordedAttempt } = await setup();
    const { attempt, path, wav } = recordedAttempt();
    const lesson = await call<LessonRecord>(services, 'lessons.fromAttempt', { attemptId: attempt.id });
    expect(lesson).toMatchObject({ profileId: profile.id, pieceId: piece.id, sourceKind: 'audio', sourceFileName: `attempt-${attempt.id}.wav`, sourceSha256: sha256Hex(wav) });
    expect(lesson.title).toBe(`${piece.title} · practice 2026-11-27 09:12`);
    expect(['pending', 'transcribing']).toContain(lesson.status);
    const done = ended(services, lesson.id);
    // A copy: the practice history keeps its own recording.
    expect(sha256Hex(readFileSync(join(dir.path, 'lessons', `${lesson.id}.wav`)))).toBe(sha256Hex(wav));
    expect(existsSync(path)).toBe(true);

    expect(await done).toMatchObject({ status: 'ready', progress: 1 });
    const detail = await call<LessonDetail>(services, 'lessons.get', { lessonId: lesson.id });
    expect(detail.performance!.durationSec).toBeGreaterThan(2);
    const scoreNotes = (await call<{ score: { notes: unknown[] } }>(services, 'library.getScore', { pieceId: piece.id })).score.notes.length;
    const s = detail.review!.evaluation.summary;
    expect(s.correct + s.wrong + s.missed).toBe(scoreNotes);
    expect((await call<LessonRecord[]>(services, 'lessons.list', { profileId: profile.id })).map((l) => l.id)).toEqual([lesson.id]);

    // Sending the same take again points at the first lesson instead of making a twin.
    const again = await failure(services, 'lessons.fromAttempt', { attemptId: attempt.id, title: 'Twin' });
    expect(again.code).toBe('CONFLICT');
    expect(again.message).toContain(`already lesson ${lesson.id}`);
  });

  it('refuses a MIDI take, a missing file, an unknown attempt and a bad id with clear errors, storing nothing', async () => {
    const { dir, services, attempt, recordedAttempt } = await setup();
    const midiTake = attempt();
    const noRecording = await failure(services, 'lessons.fromAttempt', { attemptId: midiTake.id });
    expect(noRecording.code).toBe('CONFLICT');
    expect(noRecording.message).toMatch(/has no recording: only microphone takes/);

    const { attempt: gone, path } = recordedAttempt(1);
    rmSync(path);
    const missing = await failure(services, 'lessons.fromAttempt', { attemptId: gone.id });
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toContain(`recording of attempt ${gone.id} is missing`);

    expect((await failure(services, 'lessons.fromAttempt', { attemptId: gone.id + 100 })).code).toBe('NOT_FOUND');
    expect((await failure(services, 'lessons.fromAttempt', { attemptId: 0 })).code).toBe('INVALID_ARGUMENT');
    expect((await failure(services, 'lessons.fromAttempt', { attemptId: '1' })).code).toBe('INVALID_ARGUMENT');
    expect((await failure(services, 'lessons.fromAttempt', { attemptId: midiTake.id, title: '   ' })).code).toBe('INVALID_ARGUMENT');

    expect(await call<LessonRecord[]>(services, 'lessons.list', {})).toEqual([]);
    expect(existsSync(join(dir.path, 'lessons'))).toBe(true);
  });
});

describe('m4a/AAC lessons', () => {
  it('are refused with what to convert to, by name or by an MPEG-4 header under another name, storing nothing', async () => {
    const { dir, services, profile } = await setup();
    // The first box of an iTunes-style .m4a: size, "ftyp", major brand "M4A ", version, compatible brands.
    const header = Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from('ftypM4A \0\0\0\0M4A mp42isom\0\0\0\0', 'latin1'), Buffer.alloc(64)]);
    for (const fileName of ['voice memo.m4a', 'take.AAC', 'renamed.mp3']) {
      const error = await failure(services, 'lessons.import', { profileId: profile.id, fileName, dataBase64: header.toString('base64') });
      expect(error.code).toBe('UNSUPPORTED');
      expect(error.message).toBe(`${fileName}: m4a/AAC is not decodable here: convert to wav/flac/mp3/ogg.`);
    }
    expect(await call<LessonRecord[]>(services, 'lessons.list', {})).toEqual([]);
    expect(readdirSync(join(dir.path, 'lessons'))).toEqual([]);
  });
});
