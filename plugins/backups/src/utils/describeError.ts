import { ResponseError } from '@backstage/errors';

/**
 * One line saying why a call failed: for a backend answer, the server's own
 * message and the status code (`No entity component:default/orders in the
 * catalog (404)`) rather than the generic `Request failed with 404`.
 */
export function describeError(error: Error): string {
  if (error.name === 'ResponseError') {
    const { cause, statusCode } = error as ResponseError;
    if (cause?.message) {
      return `${cause.message} (${statusCode})`;
    }
  }
  return error.message;
}
