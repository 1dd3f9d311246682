/**
 * Shared by the microphone-take integration tests: the services' dispatch with errors thrown, and
 * one practice take on the PulseAudio rig (practice.start with the rig's input, rendered audio
 * played into the sink, practice.stop), as the UI drives it.
 */
import type { PracticeStopped } from '../../src/shared/api';
import type { PracticeOptions } from '../../src/shared/practice';
import { dispatch } from '../../src/main/dispatch';
import type { Services } from '../../src/main/services';
import { PulsePlayer, RIG_RATE } from '../../src/main/audio/pulseRig';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const PLAY_THROUGH: PracticeOptions = { mode: 'play-through', hands: 'both', loop: null, tempoFactor: 1, metronome: false };

export function caller(services: Services) {
  return async <T>(method: string, args: unknown): Promise<T> => {
    const result = await dispatch(services, method, args);
    if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
    return result.value as T;
  };
}

export interface RigTake {
  sessionId: string;
  stopped: PracticeStopped;
  /** Seconds the take ran (signal + tail). */
  takeSec: number;
}

/** A play-through take from the rig's input while `signal` (mono, RIG_RATE) plays into the sink. */
export async function rigTake(services: Services, profileId: number, pieceId: number, signal: Float32Array, playerLatencyMs = 200): Promise<RigTake> {
  const call = caller(services);
  const { sessionId } = await call<{ sessionId: string }>('practice.start', {
    profileId,
    pieceId,
    options: PLAY_THROUGH,
    input: { kind: 'audio-device', deviceName: 'pulse', sampleRate: RIG_RATE, bufferFrames: 256 },
  });
  const player = await PulsePlayer.open({ latencyMs: playerLatencyMs });
  player.play(signal);
  const takeSec = signal.length / RIG_RATE + 1.5;
  await sleep(takeSec * 1000);
  await player.close();
  const stopped = await call<PracticeStopped>('practice.stop', { sessionId });
  return { sessionId, stopped, takeSec };
}
