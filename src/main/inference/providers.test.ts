import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { createWithFallback, parseProviderPreference, planExecutionProviders } from './providers';

const CPU_ONLY = [{ name: 'cpu', bundled: true }];
const WITH_CUDA = [...CPU_ONLY, { name: 'cuda', bundled: false }];

describe('planExecutionProviders', () => {
  it('tries CUDA first then CPU on auto when CUDA is listed, CPU alone otherwise', () => {
    expect(planExecutionProviders(WITH_CUDA, 'auto')).toEqual(['cuda', 'cpu']);
    expect(planExecutionProviders(CPU_ONLY, 'auto')).toEqual(['cpu']);
    expect(planExecutionProviders(WITH_CUDA, 'cpu')).toEqual(['cpu']);
    expect(planExecutionProviders(WITH_CUDA, 'cuda')).toEqual(['cuda']);
    expect(() => planExecutionProviders(CPU_ONLY, 'cuda')).toThrow(AppError);
  });
  it('reads this machine’s real onnxruntime backend list', () => {
    const plan = planExecutionProviders(ort.listSupportedBackends(), 'auto');
    expect(plan[plan.length - 1]).toBe('cpu');
  });
  it('parses preferences', () => {
    expect(parseProviderPreference(undefined)).toBe('auto');
    expect(parseProviderPreference('cuda')).toBe('cuda');
    expect(() => parseProviderPreference('tpu')).toThrow(/unknown execution provider/);
  });
});

describe('createWithFallback', () => {
  it('falls back to the next provider when creation fails, recording why', async () => {
    const tried: string[] = [];
    const choice = await createWithFallback(['cuda', 'cpu'], async (p) => {
      tried.push(p);
      if (p === 'cuda') throw new Error('libcudart.so.12: cannot open shared object file');
      return `session on ${p}`;
    });
    expect(tried).toEqual(['cuda', 'cpu']);
    expect(choice).toMatchObject({ value: 'session on cpu', provider: 'cpu', fallbacks: [{ provider: 'cuda' }] });
    expect(choice.fallbacks[0]?.error).toMatch(/libcudart/);
  });
  it('uses the first provider that works without trying the rest', async () => {
    const choice = await createWithFallback(['cuda', 'cpu'], async (p) => p);
    expect(choice).toEqual({ value: 'cuda', provider: 'cuda', fallbacks: [] });
  });
  it('names every failure when none works, and does not mask non-device errors', async () => {
    await expect(createWithFallback(['cuda', 'cpu'], async (p) => Promise.reject(new Error(`${p} broke`)))).rejects.toThrow(/cuda: cuda broke; cpu: cpu broke/);
    await expect(
      createWithFallback(['cuda', 'cpu'], async () => Promise.reject(new AppError('CONFLICT', 'sha256 mismatch'))),
    ).rejects.toThrow(/sha256/);
  });
});
