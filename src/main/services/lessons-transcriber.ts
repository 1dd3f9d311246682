/**
 * Audio file → performance for lessons: the inference worker (model loaded once, on first use,
 * kept for later lessons). Injected as a function so services stay testable and the model dir
 * configurable.
 */
import type { Performance } from '../../shared/performance';
import type { TranscriptionStage } from '../inference/pipeline';
import { TranscriptionWorker } from '../inference/transcription-worker';

export interface TranscribeOptions {
  signal: AbortSignal;
  onProgress: (stage: TranscriptionStage, fraction: number) => void;
}

export interface LessonTranscriber {
  transcribe(path: string, options: TranscribeOptions): Promise<Performance>;
  dispose(): Promise<void>;
}

export function workerTranscriber(modelDir: () => string): LessonTranscriber {
  let worker: Promise<TranscriptionWorker> | null = null;
  return {
    async transcribe(path, options) {
      if (!worker) {
        worker = TranscriptionWorker.start(modelDir());
        // A failed load is not cached: the next lesson tries again (the model may be installed since).
        worker.catch(() => (worker = null));
      }
      const ready = await worker;
      const result = await ready.transcribeFile(path, { signal: options.signal, onProgress: options.onProgress });
      return result.performance;
    },
    async dispose() {
      const started = worker;
      worker = null;
      if (started) await started.then((w) => w.dispose(), () => undefined);
    },
  };
}
