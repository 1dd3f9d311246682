export * from './posteriors';
export * from './decoding-config';
export * from './offline-decoder';
export * from './streaming-decoder';
export * from './pedal';
export * from './midi-export';
