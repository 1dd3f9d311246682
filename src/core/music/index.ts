/** Score model import: MusicXML (.musicxml/.xml/.mxl) and MIDI into the shared Score type. */
export { parseMusicXml } from './musicxml';
export { parseMxl } from './mxl';
export { parseMidiScore, performanceFromMidi } from './midi';
export { importScore } from './import';
export { summarizeScore, type ScoreSummary } from './summary';
export { buildTempoMap, DEFAULT_QPM, type TempoMap } from './tempo-map';
export { spellMidi, spellingToMidi, keyAlterations, fifthsForKey, type Spelling, type Step } from './pitch';
