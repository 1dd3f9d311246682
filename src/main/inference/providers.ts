/**
 * Execution-provider choice: CUDA when onnxruntime lists it and a session can actually be created
 * on it, else CPU. onnxruntime-node lists 'cuda' even where its provider library or the CUDA
 * runtime is missing, so listing alone is not proof: creation is tried and a failure falls back.
 */
import { AppError } from '../../shared/errors';

export type ProviderPreference = 'auto' | 'cpu' | 'cuda';
export type ExecutionProviderName = 'cuda' | 'cpu';

export interface SupportedBackend {
  name: string;
  bundled: boolean;
}

/** Ordered providers to try for a preference, given what onnxruntime says it supports. */
export function planExecutionProviders(supported: readonly SupportedBackend[], preference: ProviderPreference): ExecutionProviderName[] {
  const hasCuda = supported.some((b) => b.name === 'cuda');
  switch (preference) {
    case 'cpu':
      return ['cpu'];
    case 'cuda':
      if (!hasCuda) throw new AppError('DEVICE_UNAVAILABLE', 'CUDA was requested but this onnxruntime build has no CUDA execution provider');
      return ['cuda'];
    case 'auto':
      return hasCuda ? ['cuda', 'cpu'] : ['cpu'];
  }
}

export function parseProviderPreference(value: string | undefined): ProviderPreference {
  if (value === undefined || value === '' || value === 'auto') return 'auto';
  if (value === 'cpu' || value === 'cuda') return value;
  throw new AppError('INVALID_ARGUMENT', `unknown execution provider "${value}" (auto, cpu or cuda)`);
}

export interface ProviderAttempt {
  provider: ExecutionProviderName;
  error: string;
}

export interface ProviderChoice<T> {
  value: T;
  provider: ExecutionProviderName;
  /** Providers tried first that failed, with why. */
  fallbacks: ProviderAttempt[];
}

/**
 * Creates something (an inference session) with each provider in turn until one works. Only when
 * every provider fails does it throw, naming each failure.
 */
export async function createWithFallback<T>(
  providers: readonly ExecutionProviderName[],
  create: (provider: ExecutionProviderName) => Promise<T>,
): Promise<ProviderChoice<T>> {
  const fallbacks: ProviderAttempt[] = [];
  for (const provider of providers) {
    try {
      return { value: await create(provider), provider, fallbacks };
    } catch (error) {
      if (error instanceof AppError && error.code !== 'DEVICE_UNAVAILABLE') throw error;
      fallbacks.push({ provider, error: error instanceof Error ? error.message : String(error) });
    }
  }
  throw new AppError(
    'DEVICE_UNAVAILABLE',
    `no execution provider could load the model: ${fallbacks.map((f) => `${f.provider}: ${f.error}`).join('; ')}`,
  );
}
