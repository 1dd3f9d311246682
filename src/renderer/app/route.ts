/** Hash routes (#/practice/3): they survive a reload and need no server support. */

export type Route =
  | { name: 'practice'; pieceId: number | null }
  | { name: 'library' }
  | { name: 'progress'; pieceId: number | null; attemptId: number | null }
  | { name: 'lessons'; lessonId: number | null }
  | { name: 'settings' }
  | { name: 'diagnostics' };

export type RouteName = Route['name'];

function positiveInt(text: string | undefined): number | null {
  if (!text || !/^\d+$/.test(text)) return null;
  const n = Number(text);
  return n > 0 ? n : null;
}

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  switch (parts[0]) {
    case 'practice':
      return { name: 'practice', pieceId: positiveInt(parts[1]) };
    case 'progress':
      // #/progress, #/progress/piece/4, #/progress/attempt/9
      return {
        name: 'progress',
        pieceId: parts[1] === 'piece' ? positiveInt(parts[2]) : null,
        attemptId: parts[1] === 'attempt' ? positiveInt(parts[2]) : null,
      };
    case 'lessons':
      // #/lessons, #/lessons/12 (one lesson's review)
      return { name: 'lessons', lessonId: positiveInt(parts[1]) };
    case 'settings':
    case 'diagnostics':
      return { name: parts[0] };
    default:
      return { name: 'library' };
  }
}

export function formatRoute(route: Route): string {
  switch (route.name) {
    case 'practice':
      return route.pieceId ? `#/practice/${route.pieceId}` : '#/practice';
    case 'progress':
      if (route.attemptId) return `#/progress/attempt/${route.attemptId}`;
      return route.pieceId ? `#/progress/piece/${route.pieceId}` : '#/progress';
    case 'lessons':
      return route.lessonId ? `#/lessons/${route.lessonId}` : '#/lessons';
    default:
      return `#/${route.name}`;
  }
}
