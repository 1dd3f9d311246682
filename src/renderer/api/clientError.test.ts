import { describe, expect, it } from 'vitest';
import { ClientError, describeError, toClientError } from './clientError';

describe('toClientError', () => {
  it('keeps known codes and messages from plain error data', () => {
    expect(toClientError({ code: 'PARSE_ERROR', message: 'Bad XML at line 3' })).toMatchObject({ code: 'PARSE_ERROR', message: 'Bad XML at line 3' });
  });

  it('strips the Electron invoke prefix and maps unknown codes to INTERNAL', () => {
    const e = toClientError(Object.assign(new Error("Error invoking remote method 'seminote:invoke': Error: Piece 4 not found"), { code: 'NOT_FOUND' }));
    expect(e).toMatchObject({ code: 'NOT_FOUND', message: 'Piece 4 not found' });
    expect(toClientError({ code: 'WHATEVER', message: 'x' }).code).toBe('INTERNAL');
    expect(toClientError('boom')).toMatchObject({ code: 'INTERNAL', message: 'boom' });
  });

  it('describes errors for banners', () => {
    expect(describeError(new ClientError('UNSUPPORTED', 'Only .mid files'))).toBe('Only .mid files (UNSUPPORTED)');
  });
});
