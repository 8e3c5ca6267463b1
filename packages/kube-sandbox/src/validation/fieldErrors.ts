import { goJson, goNumber, goQuote } from './goFormat';

/**
 * Field errors as kube-apiserver reports them (k8s.io/apimachinery
 * pkg/util/validation/field, as of Kubernetes 1.34–1.36): each becomes a
 * `StatusCause` `{reason, message, field}` of a 422 Invalid.
 */
export type FieldErrorReason =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueTypeInvalid'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueDuplicate'
  | 'FieldValueForbidden';

export interface FieldError {
  /** The path as the real server writes it, e.g. `spec.template.hooks.resources[0].name`. */
  field: string;
  reason: FieldErrorReason;
  /** The cause's message (Go's `ErrorBody()`), without the field. */
  message: string;
}

/** How a bad value is shown after `Invalid value: ` (ErrorBody). */
export function formatBadValue(value: unknown): string {
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number') return goNumber(value);
  if (typeof value === 'boolean') return String(value);
  return goJson(value);
}

function withDetail(head: string, detail?: string) {
  return detail ? `${head}: ${detail}` : head;
}

export function required(field: string, detail?: string): FieldError {
  return {
    field,
    reason: 'FieldValueRequired',
    message: withDetail('Required value', detail),
  };
}

export function forbidden(field: string, detail?: string): FieldError {
  return {
    field,
    reason: 'FieldValueForbidden',
    message: withDetail('Forbidden', detail),
  };
}

export function invalid(
  field: string,
  value: unknown,
  detail?: string,
): FieldError {
  return {
    field,
    reason: 'FieldValueInvalid',
    message: withDetail(`Invalid value: ${formatBadValue(value)}`, detail),
  };
}

export function typeInvalid(
  field: string,
  value: unknown,
  detail?: string,
): FieldError {
  return {
    field,
    reason: 'FieldValueTypeInvalid',
    message: withDetail(`Invalid value: ${formatBadValue(value)}`, detail),
  };
}

export function notSupported(
  field: string,
  value: unknown,
  supported: string[],
): FieldError {
  const detail = supported.length
    ? `supported values: ${supported.map(goQuote).join(', ')}`
    : undefined;
  return {
    field,
    reason: 'FieldValueNotSupported',
    message: withDetail(`Unsupported value: ${formatBadValue(value)}`, detail),
  };
}

export function duplicate(field: string, value: unknown): FieldError {
  return {
    field,
    reason: 'FieldValueDuplicate',
    message: `Duplicate value: ${formatBadValue(value)}`,
  };
}

/** field.TooLong: the value is left out of the message. */
export function tooLong(field: string, maxLength: number): FieldError {
  const detail =
    maxLength >= 0
      ? `may not be more than ${maxLength} ${
          maxLength === 1 ? 'byte' : 'bytes'
        }`
      : 'value is too long';
  return { field, reason: 'FieldValueTooLong', message: `Too long: ${detail}` };
}

export function tooMany(
  field: string,
  actual: number,
  max: number,
): FieldError {
  const detail =
    max >= 0
      ? `must have at most ${max} ${max === 1 ? 'item' : 'items'}`
      : 'has too many items';
  const head = actual >= 0 ? `Too many: ${actual}` : 'Too many';
  return { field, reason: 'FieldValueTooMany', message: `${head}: ${detail}` };
}

/** `<field>: <message>`, as one error reads inside a Status message. */
export function fieldErrorText(error: FieldError): string {
  return `${error.field}: ${error.message}`;
}

/**
 * The message of a 422 Invalid Status (apierrors.NewInvalid):
 * `Schedule.velero.io "nightly" is invalid: spec.schedule: Invalid value: …`,
 * several errors in brackets, repeated texts once. The core group has no
 * suffix: `CronJob.batch`, but `Pod "x"`.
 */
export function formatInvalidMessage(options: {
  kind: string;
  group: string;
  name: string;
  errors: FieldError[];
}): string {
  const qualifiedKind = options.group
    ? `${options.kind}.${options.group}`
    : options.kind;
  const head = `${qualifiedKind} ${goQuote(options.name)} is invalid`;
  const texts = [...new Set(options.errors.map(fieldErrorText))];
  if (texts.length === 0) return head;
  if (texts.length === 1) return `${head}: ${texts[0]}`;
  return `${head}: [${texts.join(', ')}]`;
}
