import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, mimeType, resolveInside } from './static-files';
import { isLoopbackHost, tokensEqual } from './auth';

describe('static files', () => {
  it('keeps every resolved path inside the renderer directory', () => {
    expect(resolveInside('/srv/app', '/assets/a.js')).toBe('/srv/app/assets/a.js');
    expect(resolveInside('/srv/app', '/../secret')).toBeNull();
    expect(resolveInside('/srv/app', '/..%2f..%2fetc/passwd')).toBeNull();
    expect(resolveInside('/srv/app', '/%2e%2e/app2/x')).toBeNull();
    expect(resolveInside('/srv/app', '/a%00.js')).toBeNull();
    expect(resolveInside('/srv/app', '/%E0%A4%A')).toBeNull();
  });

  it('names MIME types and a CSP that allows only this origin', () => {
    expect(mimeType('x/index.HTML')).toBe('text/html; charset=utf-8');
    expect(mimeType('a.mjs')).toBe('text/javascript; charset=utf-8');
    expect(mimeType('a.woff2')).toBe('font/woff2');
    expect(mimeType('a.unknown')).toBe('application/octet-stream');
    const csp = contentSecurityPolicy('127.0.0.1:4000');
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:4000");
    expect(csp).not.toContain('unsafe-eval');
  });

  it('accepts only loopback Host headers and exact tokens', () => {
    expect(isLoopbackHost('127.0.0.1:4000', 4000)).toBe(true);
    expect(isLoopbackHost('localhost:4000', 4000)).toBe(true);
    expect(isLoopbackHost('evil.example:4000', 4000)).toBe(false);
    expect(isLoopbackHost('127.0.0.1:4001', 4000)).toBe(false);
    expect(isLoopbackHost(undefined, 4000)).toBe(false);
    expect(tokensEqual('abc', 'abc')).toBe(true);
    expect(tokensEqual('abd', 'abc')).toBe(false);
    expect(tokensEqual('ab', 'abc')).toBe(false);
    expect(tokensEqual(null, 'abc')).toBe(false);
  });
});
