/**
 * Grace notes on the page: each one is drawn small, in front of the main note it ornaments (the
 * next written note of its staff and voice, which shares its onset in the Score model). Pure
 * data, no VexFlow: measureLayout.ts attaches the groups, drawScore.ts draws them.
 */
import type { ScoreNote } from '../../shared/score';
import type { Beats } from '../../shared/units';
import type { DisplayKey, DisplayVoice } from './measureLayout';
import { spellingOf } from './spelling';

export interface DisplayGrace extends DisplayKey {
  /** VexFlow duration code of the written grace value ("8", "16", ...). */
  code: string;
}

/** A grace note waiting for its main note: staff it is printed on and onset within its bar. */
export interface PendingGrace {
  note: ScoreNote;
  staff: 1 | 2;
  onset: Beats;
}

const EPS = 1e-6;

const CODES: Record<string, string> = { whole: 'w', half: 'h', quarter: 'q', eighth: '8', '16th': '16', '32nd': '32', '64th': '64' };

/** Written grace value; unmarked grace notes are drawn as eighths, the usual acciaccatura. */
export function graceCode(noteType: string | undefined): string {
  return (noteType && CODES[noteType]) || '8';
}

/** A lone grace note of an eighth or shorter is an acciaccatura: drawn with a slash through the stem. */
export function graceSlash(group: readonly Pick<DisplayGrace, 'code'>[]): boolean {
  const only = group.length === 1 ? group[0] : undefined;
  return !!only && ['8', '16', '32', '64'].includes(only.code);
}

/**
 * Attaches grace notes (in written order) to the struck note event at their onset: the same
 * staff and voice first, else another voice of the same staff. Returns the grace notes that have
 * no such note (nothing to ornament on this page), which are left out of the drawing.
 */
export function attachGraces(voices: DisplayVoice[], graces: readonly PendingGrace[], keyFifths: number): ScoreNote[] {
  const unattached: ScoreNote[] = [];
  for (const g of graces) {
    const onStaff = voices.filter((v) => v.staff === g.staff);
    const ordered = [...onStaff.filter((v) => v.voice === g.note.voice), ...onStaff.filter((v) => v.voice !== g.note.voice)];
    const target = ordered
      .flatMap((v) => v.events)
      .find((e) => e.kind === 'note' && Math.abs(e.onset - g.onset) < EPS && e.keys.some((k) => k.struck));
    if (!target) {
      unattached.push(g.note);
      continue;
    }
    const grace: DisplayGrace = {
      noteId: g.note.id,
      hand: g.note.hand,
      spelled: spellingOf(g.note, keyFifths),
      accidental: null,
      tiesToNext: false,
      struck: true,
      code: graceCode(g.note.noteType),
    };
    target.graces = [...(target.graces ?? []), grace];
  }
  return unattached;
}
