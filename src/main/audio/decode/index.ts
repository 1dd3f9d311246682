export * from './decode-audio';
export * from './resampler';
export { encodeWav, parseWavHeader } from './wav';
export type { AudioContainer } from './codecs';
