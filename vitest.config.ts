import { defineConfig } from 'vitest/config';

/**
 * Tests that play into and capture from the one PulseAudio null sink must not overlap: two of them
 * at once hear each other. They run as their own project, one file at a time; everything else
 * runs in parallel beside them.
 */
const AUDIO_RIG_TESTS = ['test/integration/audio-capture.test.ts', 'test/integration/live-*.test.ts'];

const shared = {
  environment: 'node' as const,
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    // Two cores here and in CI: keep workers bounded so heavy suites don't thrash.
    maxWorkers: 2,
    projects: [
      {
        test: {
          ...shared,
          name: 'unit+integration',
          include: ['src/**/*.test.ts', 'test/integration/**/*.test.ts'],
          exclude: ['**/node_modules/**', ...AUDIO_RIG_TESTS],
        },
      },
      {
        test: {
          ...shared,
          name: 'audio-rig',
          include: AUDIO_RIG_TESTS,
          fileParallelism: false,
        },
      },
    ],
  },
});
