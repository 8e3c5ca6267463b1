import { AnnotationError } from '../types';
import { ParsedValue } from './values';

/**
 * Reads annotations through value parsers and collects at most one error per
 * annotation, so that an entity gets one precise message for each bad value.
 */
export class AnnotationReader {
  private readonly errorsByAnnotation = new Map<string, AnnotationError>();

  constructor(private readonly annotations: Record<string, string>) {}

  has(name: string): boolean {
    return this.annotations[name] !== undefined;
  }

  raw(name: string): string | undefined {
    return this.annotations[name];
  }

  /** The parsed value; undefined when absent or invalid (then an error is recorded). */
  read<T>(
    name: string,
    parse: (text: string) => ParsedValue<T>,
  ): T | undefined {
    const value = this.annotations[name];
    if (value === undefined) {
      return undefined;
    }
    const parsed = parse(value);
    if (!parsed.ok) {
      this.reject(name, parsed.problem, parsed.allowed);
      return undefined;
    }
    return parsed.value;
  }

  /**
   * Records that the annotation's value, or its absence, is not acceptable.
   * `problem` completes a sentence: "is not a duration", "is required when …".
   */
  reject(name: string, problem: string, allowed: string) {
    if (this.errorsByAnnotation.has(name)) {
      return;
    }
    const value = this.annotations[name];
    const subject =
      value === undefined ? name : `${name}: ${JSON.stringify(value)}`;
    this.errorsByAnnotation.set(name, {
      annotation: name,
      ...(value === undefined ? {} : { value }),
      message: `${subject} ${problem}. Allowed: ${allowed}.`,
      allowed,
    });
  }

  get errors(): AnnotationError[] {
    return [...this.errorsByAnnotation.values()];
  }
}
