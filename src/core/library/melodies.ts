/**
 * Public-domain tunes encoded by hand (traditional melodies, Beethoven, Petzold). Left-hand parts
 * are simple accompaniments written for this library, not historical editions.
 */
import { buildScore, type PieceSpec } from './build';
import type { StarterPiece } from './exercises';

interface MelodySpec extends PieceSpec {
  slug: string;
  difficulty: number;
}

const TWINKLE_RIGHT =
  'C4:q C4:q G4:q G4:q | A4:q A4:q G4:h | F4:q F4:q E4:q E4:q | D4:q D4:q C4:h | ' +
  'G4:q G4:q F4:q F4:q | E4:q E4:q D4:h | G4:q G4:q F4:q F4:q | E4:q E4:q D4:h | ' +
  'C4:q C4:q G4:q G4:q | A4:q A4:q G4:h | F4:q F4:q E4:q E4:q | D4:q D4:q C4:h';

const ODE_RIGHT =
  'F#4:q F#4:q G4:q A4:q | A4:q G4:q F#4:q E4:q | D4:q D4:q E4:q F#4:q | F#4:q. E4:e E4:h | ' +
  'F#4:q F#4:q G4:q A4:q | A4:q G4:q F#4:q E4:q | D4:q D4:q E4:q F#4:q | E4:q. D4:e D4:h';
const ODE_LEFT = 'D3:w | A2:w | D3:w | A2:w | D3:w | A2:w | D3:w | A2:h D3:h';

const MARY_RIGHT =
  'E4:q D4:q C4:q D4:q | E4:q E4:q E4:h | D4:q D4:q D4:h | E4:q G4:q G4:h | ' +
  'E4:q D4:q C4:q D4:q | E4:q E4:q E4:q E4:q | D4:q D4:q E4:q D4:q | C4:w';

const FRERE_RIGHT =
  'F4:q G4:q A4:q F4:q | F4:q G4:q A4:q F4:q | A4:q Bb4:q C5:h | A4:q Bb4:q C5:h | ' +
  'C5:e D5:e C5:e Bb4:e A4:q F4:q | C5:e D5:e C5:e Bb4:e A4:q F4:q | F4:q C4:q F4:h | F4:q C4:q F4:h';

const LIGHTLY_ROW_RIGHT =
  'G4:q E4:q E4:h | F4:q D4:q D4:h | C4:q D4:q E4:q F4:q | G4:q G4:q G4:h | ' +
  'G4:q E4:q E4:h | F4:q D4:q D4:h | C4:q E4:q G4:q G4:q | C4:w | ' +
  'D4:q D4:q D4:q D4:q | D4:q E4:q F4:h | E4:q E4:q E4:q E4:q | E4:q F4:q G4:h | ' +
  'G4:q E4:q E4:h | F4:q D4:q D4:h | C4:q E4:q G4:q G4:q | C4:w';
const LIGHTLY_ROW_LEFT =
  'C3:w | G2:w | C3:w | C3:w | C3:w | G2:w | C3:h G2:h | C3:w | ' +
  'G2:w | G2:w | C3:w | C3:w | C3:w | G2:w | C3:h G2:h | C3:w';

const MINUET_RIGHT =
  'D5:q G4:e A4:e B4:e C5:e | D5:q G4:q G4:q | E5:q C5:e D5:e E5:e F#5:e | G5:q G4:q G4:q | ' +
  'C5:q D5:e C5:e B4:e A4:e | B4:q C5:e B4:e A4:e G4:e | F#4:q G4:e A4:e B4:e G4:e | A4:h.';
const MINUET_LEFT =
  'G3+B3+D4:h A3:q | B3:h. | C4:h. | B3:h. | A3:h. | G3:h. | D4:q B3:q G3:q | D4:q D3:q C4:q';

const MELODIES: MelodySpec[] = [
  { slug: 'twinkle-twinkle', title: 'Twinkle, Twinkle, Little Star', composer: 'Traditional', difficulty: 1, keyFifths: 0, time: { numerator: 4, denominator: 4 }, qpm: 90, right: TWINKLE_RIGHT },
  { slug: 'mary-had-a-little-lamb', title: 'Mary Had a Little Lamb', composer: 'Traditional', difficulty: 1, keyFifths: 0, time: { numerator: 4, denominator: 4 }, qpm: 96, right: MARY_RIGHT },
  { slug: 'ode-to-joy', title: 'Ode to Joy', composer: 'Ludwig van Beethoven', difficulty: 2, keyFifths: 2, time: { numerator: 4, denominator: 4 }, qpm: 100, right: ODE_RIGHT },
  { slug: 'ode-to-joy-hands-together', title: 'Ode to Joy (hands together)', composer: 'Ludwig van Beethoven', difficulty: 3, keyFifths: 2, time: { numerator: 4, denominator: 4 }, qpm: 92, right: ODE_RIGHT, left: ODE_LEFT },
  { slug: 'frere-jacques', title: 'Frère Jacques', composer: 'Traditional', difficulty: 2, keyFifths: -1, time: { numerator: 4, denominator: 4 }, qpm: 100, right: FRERE_RIGHT },
  { slug: 'lightly-row', title: 'Lightly Row', composer: 'Traditional', difficulty: 2, keyFifths: 0, time: { numerator: 4, denominator: 4 }, qpm: 100, right: LIGHTLY_ROW_RIGHT },
  { slug: 'lightly-row-hands-together', title: 'Lightly Row (hands together)', composer: 'Traditional', difficulty: 3, keyFifths: 0, time: { numerator: 4, denominator: 4 }, qpm: 92, right: LIGHTLY_ROW_RIGHT, left: LIGHTLY_ROW_LEFT },
  { slug: 'minuet-in-g-opening', title: 'Minuet in G, BWV Anh. 114 (opening)', composer: 'Christian Petzold', difficulty: 4, keyFifths: 1, time: { numerator: 3, denominator: 4 }, qpm: 112, right: MINUET_RIGHT, left: MINUET_LEFT },
];

export function melodies(): StarterPiece[] {
  return MELODIES.map(({ slug, difficulty, ...spec }) => ({
    slug,
    title: spec.title,
    composer: spec.composer,
    category: 'melody',
    difficulty,
    score: buildScore(spec),
  }));
}
