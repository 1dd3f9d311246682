/**
 * The one entry point both transports call: validates the method name and its arguments against
 * src/shared/api.ts, runs the handler, and turns every failure into `{ code, message }` data.
 */
import { methodArgs } from '../shared/api';
import type { MethodName } from '../shared/api';
import { AppError } from '../shared/errors';
import type { Result } from '../shared/errors';
import type { Services } from './services';

export function isMethodName(method: string): method is MethodName {
  return Object.prototype.hasOwnProperty.call(methodArgs, method);
}

function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

export function toErrorShape(err: unknown): { code: AppError['code']; message: string } {
  if (err instanceof AppError) return { code: err.code, message: err.message };
  console.error('seminote: internal error:', err);
  return { code: 'INTERNAL', message: `Internal error: ${err instanceof Error ? err.message : String(err)}` };
}

export async function dispatch(services: Services, method: string, args: unknown): Promise<Result<unknown>> {
  if (!isMethodName(method)) {
    return { ok: false, error: { code: 'NOT_FOUND', message: `Unknown method "${method}".` } };
  }
  const parsed = methodArgs[method].safeParse(args ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: `Invalid arguments for ${method}: ${describeIssues(parsed.error.issues)}` },
    };
  }
  try {
    const handler = services.handlers[method] as (a: unknown) => unknown;
    const value = await handler(parsed.data);
    return { ok: true, value };
  } catch (err) {
    return { ok: false, error: toErrorShape(err) };
  }
}
