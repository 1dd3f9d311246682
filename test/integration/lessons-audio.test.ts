/**
 * Audio lessons through the background job with the real transcription model (onnxruntime in the
 * inference worker). The checkpoint is early, so these tests check the job mechanics (progress,
 * queue, cancel, failure, restart recovery), not what the model hears.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PieceRecord, Profile } from '../../src/shared/api';
import type { LessonDetail, LessonProgress, LessonRecord, LessonStatus } from '../../src/shared/lessons';
import { createServices } from '../../src/main/services';
import type { Services, ServicesOptions } from '../../src/main/services';
import { dispatch } from '../../src/main/dispatch';
import { encodeWav } from '../../src/main/audio/decode';
import { INTERRUPTED_ERROR } from '../../src/main/services/lessons';
import { workerTranscriber } from '../../src/main/services/lessons-transcriber';
import { sha256Hex } from '../../src/main/services/lessons-files';
import { call, tempDir } from './helpers';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});

function open(dataDir: string, extra: Partial<ServicesOptions> = {}): Services {
  const services = createServices({ dataDir, watchMidiDevices: false, ...extra });
  cleanups.push(() => services.dispose());
  return services;
}

/** Piano-ish tones (decaying partials) one after another: a C major scale, repeated to `seconds`. */
function scaleWav(seconds: number, sampleRate = 16000): string {
  const samples = new Float32Array(Math.round(seconds * sampleRate));
  const pitches = [60, 62, 64, 65, 67, 69, 71, 72];
  const noteSec = 0.4;
  for (let start = 0, k = 0; start < seconds - noteSec; start += noteSec, k++) {
    const f0 = 440 * 2 ** ((pitches[k % pitches.length]! - 69) / 12);
    const from = Math.round(start * sampleRate);
    for (let i = 0; i < noteSec * sampleRate && from + i < samples.length; i++) {
      const t = i / sampleRate;
      let v = 0;
      for (let h = 1; h <= 4; h++) v += Math.sin(2 * Math.PI * f0 * h * t) / h;
      samples[from + i]! += 0.25 * v * Math.exp(-3 * t);
    }
  }
  return Buffer.from(encodeWav([samples], sampleRate)).toString('base64');
}

function statusOf(services: Services, lessonId: number, wanted: (p: LessonProgress) => boolean, seen: LessonProgress[] = []): Promise<LessonProgress> {
  return new Promise((resolve) => {
    const off = services.events.on('lessons.progress', (p) => {
      if (p.lessonId !== lessonId) return;
      seen.push(p);
      if (wanted(p)) {
        off();
        resolve(p);
      }
    });
  });
}

const ended = (p: LessonProgress) => (['ready', 'failed', 'cancelled'] as LessonStatus[]).includes(p.status);

async function setup(extra: Partial<ServicesOptions> = {}) {
  const dir = tempDir('lessons-audio');
  cleanups.push(dir.remove);
  const services = open(dir.path, extra);
  const profile = await call<Profile>(services, 'profiles.create', { name: 'Dora' });
  const importAudio = (seconds: number, fileName = 'take.wav', pieceId: number | null = null) =>
    call<LessonRecord>(services, 'lessons.import', { profileId: profile.id, pieceId, fileName, dataBase64: scaleWav(seconds) });
  return { dir, services, profile, importAudio };
}

describe('audio lessons', () => {
  it('transcribes in the background: progress rises to 1 and the lesson becomes ready', { timeout: 180_000 }, async () => {
    const { services, importAudio } = await setup();
    const seen: LessonProgress[] = [];
    const scale = (await call<PieceRecord[]>(services, 'library.list', {})).find((p) => p.origin === 'starter')!;
    const lesson = await importAudio(4, 'scale.wav', scale.id);
    expect(lesson.sourceKind).toBe('audio');
    expect(['pending', 'transcribing']).toContain(lesson.status);
    const last = await statusOf(services, lesson.id, ended, seen);
    expect(last).toMatchObject({ status: 'ready', stage: 'done', progress: 1 });
    const values = seen.map((p) => p.progress);
    expect(values.every((v, i) => i === 0 || v >= values[i - 1]!)).toBe(true);
    expect(seen.some((p) => p.stage === 'inference' && p.progress > 0 && p.progress < 1)).toBe(true);
    const detail = await call<LessonDetail>(services, 'lessons.get', { lessonId: lesson.id });
    expect(detail.lesson).toMatchObject({ status: 'ready', progress: 1, error: null });
    expect(Array.isArray(detail.performance?.notes)).toBe(true);
    expect(detail.performance!.durationSec).toBeGreaterThan(0);
    // Graded against the attached score whatever the early model heard: every score note has a verdict.
    const scoreNotes = (await call<{ score: { notes: unknown[] } }>(services, 'library.getScore', { pieceId: scale.id })).score.notes.length;
    const s = detail.review!.evaluation.summary;
    expect(s.correct + s.wrong + s.missed).toBe(scoreNotes);
    expect(detail.lesson.accuracy).toBe(s.accuracy);

    // The recording travels in the bundle byte for byte.
    const bundle = await call<{ dataBase64: string }>(services, 'lessons.exportBundle', { lessonId: lesson.id });
    const other = tempDir('lessons-audio-target');
    cleanups.push(other.remove);
    const target = open(other.path);
    const copy = await call<LessonRecord>(target, 'lessons.importBundle', { dataBase64: bundle.dataBase64 });
    expect(copy).toMatchObject({ sourceKind: 'audio', status: 'ready', sourceSha256: lesson.sourceSha256, sourceBytes: lesson.sourceBytes });
    expect(sha256Hex(readFileSync(join(other.path, 'lessons', `${copy.id}.wav`)))).toBe(lesson.sourceSha256);
    expect((await call<LessonDetail>(target, 'lessons.get', { lessonId: copy.id })).performance).toEqual(detail.performance);
  });

  it('queues jobs one at a time and cancels a queued and a running one', { timeout: 180_000 }, async () => {
    const { services, importAudio } = await setup();
    const first = await importAudio(240, 'long.wav');
    const running = statusOf(services, first.id, (p) => p.stage === 'inference' || p.stage === 'decode');
    const second = await importAudio(240, 'queued.wav');
    await running;
    expect((await call<LessonDetail>(services, 'lessons.get', { lessonId: first.id })).lesson.status).toBe('transcribing');
    expect((await call<LessonDetail>(services, 'lessons.get', { lessonId: second.id })).lesson.status).toBe('pending');
    const droppedQueued = await call<LessonRecord>(services, 'lessons.cancel', { lessonId: second.id });
    expect(droppedQueued).toMatchObject({ status: 'cancelled', progress: 0 });
    const cancelled = await call<LessonRecord>(services, 'lessons.cancel', { lessonId: first.id });
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.progress).toBeLessThan(1);
    const again = await dispatch(services, 'lessons.cancel', { lessonId: first.id });
    expect(again.ok ? null : again.error.code).toBe('CONFLICT');
    expect((await dispatch(services, 'lessons.exportMidi', { lessonId: first.id })).ok).toBe(false);
  });

  it('ends a job whose model cannot load as failed, with the reason, and goes on with the next', { timeout: 120_000 }, async () => {
    const missing = tempDir('no-model');
    cleanups.push(missing.remove);
    const { services, importAudio } = await setup({ lessonTranscriber: workerTranscriber(() => join(missing.path, 'absent')) });
    const a = await importAudio(1, 'a.wav');
    const b = await importAudio(1, 'b.wav');
    const endA = await statusOf(services, a.id, ended);
    const endB = await statusOf(services, b.id, ended);
    expect(endA.status).toBe('failed');
    expect(endA.error).toMatch(/manifest|no such file|not found/i);
    expect(endB.status).toBe('failed');
    expect((await call<LessonDetail>(services, 'lessons.get', { lessonId: a.id })).lesson.error).toBe(endA.error);
  });

  it('marks a job cut off by a restart as failed (interrupted), not transcribing forever, and retries it', { timeout: 180_000 }, async () => {
    const { dir, services, importAudio } = await setup();
    const lesson = await importAudio(30, 'long.wav');
    await statusOf(services, lesson.id, (p) => p.status === 'transcribing');
    services.dispose();
    const reopened = open(dir.path);
    const after = await call<LessonDetail>(reopened, 'lessons.get', { lessonId: lesson.id });
    expect(after.lesson.status).toBe('failed');
    expect(after.lesson.error).toBe(INTERRUPTED_ERROR);
    expect(after.performance).toBeNull();
    // Retried from the stored recording, it completes.
    const done = statusOf(reopened, lesson.id, ended);
    const requeued = await call<LessonRecord>(reopened, 'lessons.retry', { lessonId: lesson.id });
    expect(['pending', 'transcribing']).toContain(requeued.status);
    expect(requeued.error).toBeNull();
    expect((await done).status).toBe('ready');
    const retried = await dispatch(reopened, 'lessons.retry', { lessonId: lesson.id });
    expect(retried.ok ? null : retried.error.code).toBe('CONFLICT');
  });
});
