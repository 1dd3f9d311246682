/**
 * A transcription model's manifest.json (written by models/training at export): rates, I/O names
 * and shapes, which output is which head, decoding constants, sha256. Nothing here is a model
 * constant of our own: every number the TS side uses comes from this file.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { decodingConfigFromManifest } from '../../core/transcription/decoding-config';
import type { DecodingConfig } from '../../core/transcription/decoding-config';
import { AppError } from '../../shared/errors';

const HEAD_NAMES = ['onset', 'frame', 'offset', 'velocity', 'pedal'] as const;
export type HeadName = (typeof HEAD_NAMES)[number];

const tensorSpec = z.object({
  name: z.string().min(1),
  shape: z.array(z.union([z.number().int(), z.string(), z.null()])),
});

/** A recurrent-state tensor of the step model: fed as `input`, returned updated as `output`. */
const stateSpec = z.object({
  input: z.string().min(1),
  output: z.string().min(1),
  shape: z.array(z.number().int().positive()),
});

const graphSpec = z.object({
  file: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/i, 'sha256 must be 64 hex digits'),
  inputs: z.array(tensorSpec).min(1),
  outputs: z.array(tensorSpec).min(1),
  /** Step model only: state carried from call to call (zeros at the start of a take). */
  state: z.array(stateSpec).optional(),
});

const manifestSchema = z.object({
  name: z.string().optional(),
  version: z.string().min(1),
  sample_rate: z.number().int().positive(),
  hop: z.number().int().positive(),
  frame_rate_hz: z.number().positive().optional(),
  model: graphSpec,
  step_model: graphSpec.optional(),
  heads: z.record(z.string(), z.string()).optional(),
  decoding: z.record(z.string(), z.unknown()),
});

export type TensorSpec = z.infer<typeof tensorSpec>;
export type GraphSpec = z.infer<typeof graphSpec>;
export type StateSpec = z.infer<typeof stateSpec>;

export interface TranscriptionManifest {
  dir: string;
  name: string;
  version: string;
  sampleRate: number;
  hop: number;
  frameRateHz: number;
  model: GraphSpec;
  stepModel?: GraphSpec;
  /** Output name of each head of the offline model. */
  heads: Record<HeadName, string>;
  decoding: DecodingConfig;
  /** The manifest as read, for reporting (training data, evaluation figures...). */
  raw: Record<string, unknown>;
}

/** Parses and checks a manifest object; `dir` is where its files live. */
export function parseManifest(json: unknown, dir: string): TranscriptionManifest {
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.join('.') || '(root)' : '(root)';
    throw new AppError('PARSE_ERROR', `${join(dir, 'manifest.json')}: ${where}: ${issue?.message ?? 'invalid manifest'}`);
  }
  const m = parsed.data;
  const frameRateHz = m.frame_rate_hz ?? m.sample_rate / m.hop;
  if (Math.abs(frameRateHz - m.sample_rate / m.hop) > 1e-9) {
    throw new AppError('PARSE_ERROR', `manifest frame_rate_hz ${frameRateHz} disagrees with sample_rate / hop`);
  }
  const outputNames = new Set(m.model.outputs.map((o) => o.name));
  const heads = {} as Record<HeadName, string>;
  for (const head of HEAD_NAMES) {
    // Without a `heads` map the outputs must be named after the heads.
    const name = m.heads?.[head] ?? head;
    if (!outputNames.has(name)) {
      throw new AppError('PARSE_ERROR', `manifest: head "${head}" maps to output "${name}", which the model does not list`);
    }
    heads[head] = name;
  }
  return {
    dir,
    name: m.name ?? 'transcription',
    version: m.version,
    sampleRate: m.sample_rate,
    hop: m.hop,
    frameRateHz,
    model: m.model,
    ...(m.step_model ? { stepModel: m.step_model } : {}),
    heads,
    decoding: decodingConfigFromManifest(m.decoding, frameRateHz),
    raw: json as Record<string, unknown>,
  };
}

export async function loadManifest(dir: string): Promise<TranscriptionManifest> {
  const path = join(dir, 'manifest.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new AppError('NOT_FOUND', `no model manifest at ${path}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AppError('PARSE_ERROR', `${path}: not valid JSON (${(error as Error).message})`);
  }
  return parseManifest(json, dir);
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  } catch {
    throw new AppError('NOT_FOUND', `model file missing: ${path}`);
  }
  return hash.digest('hex');
}

/** Checks the graph file against the manifest's sha256; returns its path. */
export async function verifiedGraphPath(manifest: TranscriptionManifest, graph: GraphSpec): Promise<string> {
  const path = join(manifest.dir, graph.file);
  const actual = await sha256OfFile(path);
  if (actual.toLowerCase() !== graph.sha256.toLowerCase()) {
    throw new AppError('CONFLICT', `${path}: sha256 ${actual} does not match the manifest (${graph.sha256}); the model file is damaged or from another version`);
  }
  return path;
}

/** Session I/O as onnxruntime reports it. */
export interface SessionSignature {
  inputs: Array<{ name: string; rank: number | null }>;
  outputs: Array<{ name: string; rank: number | null }>;
}

/** Compares a session's inputs and outputs (names, ranks) with the manifest; throws on any mismatch. */
export function checkSignature(graph: GraphSpec, actual: SessionSignature, label: string): void {
  const compare = (kind: 'input' | 'output', expected: TensorSpec[], got: SessionSignature['inputs']) => {
    const gotByName = new Map(got.map((g) => [g.name, g]));
    for (const spec of expected) {
      const found = gotByName.get(spec.name);
      if (!found) {
        throw new AppError('CONFLICT', `${label}: the model has no ${kind} "${spec.name}" (it has: ${got.map((g) => g.name).join(', ')})`);
      }
      if (found.rank !== null && found.rank !== spec.shape.length) {
        throw new AppError('CONFLICT', `${label}: ${kind} "${spec.name}" has rank ${found.rank}, the manifest says ${spec.shape.length}`);
      }
    }
    const extra = got.filter((g) => !expected.some((s) => s.name === g.name));
    if (kind === 'input' && extra.length > 0) {
      throw new AppError('CONFLICT', `${label}: the model takes inputs the manifest does not list: ${extra.map((g) => g.name).join(', ')}`);
    }
  };
  compare('input', graph.inputs, actual.inputs);
  compare('output', graph.outputs, actual.outputs);
}
