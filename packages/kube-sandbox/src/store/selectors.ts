import { errors } from '../errors';

/** One requirement of a label selector, as kube-apiserver parses them. */
export interface LabelRequirement {
  key: string;
  operator: 'in' | 'notin' | 'exists' | '!';
  values: string[];
}

const KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

function invalid(selector: string, why: string) {
  return errors.badRequest(
    `unable to parse requirement: ${why} (in label selector "${selector}")`,
  );
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts.map(part => part.trim());
}

function checkKey(selector: string, key: string) {
  if (!KEY.test(key)) {
    throw invalid(selector, `invalid label key "${key}"`);
  }
}

function checkValue(selector: string, value: string) {
  if (!VALUE.test(value)) {
    throw invalid(selector, `invalid label value: "${value}"`);
  }
}

/** Parses `a=b,c!=d,e in (f,g),h notin (i),j,!k`; throws 400 BadRequest when malformed. */
export function parseLabelSelector(
  selector: string | undefined,
): LabelRequirement[] {
  if (!selector || selector.trim() === '') {
    return [];
  }
  return splitTopLevel(selector).map(part => {
    let match = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(part);
    if (match) {
      const [, key, op, list] = match;
      checkKey(selector, key);
      const values = list.split(',').map(v => v.trim());
      if (values.length === 0 || (values.length === 1 && values[0] === '')) {
        throw invalid(
          selector,
          "for 'in', 'notin' operators, values set can't be empty",
        );
      }
      values.forEach(value => checkValue(selector, value));
      return { key, operator: op as 'in' | 'notin', values };
    }
    match = /^([^=!\s]+)\s*(==|=|!=)\s*([^=!\s]*)$/.exec(part);
    if (match) {
      const [, key, op, value] = match;
      checkKey(selector, key);
      checkValue(selector, value);
      return { key, operator: op === '!=' ? 'notin' : 'in', values: [value] };
    }
    match = /^(!?)\s*([^=!\s()]+)$/.exec(part);
    if (match) {
      checkKey(selector, match[2]);
      return { key: match[2], operator: match[1] ? '!' : 'exists', values: [] };
    }
    throw invalid(
      selector,
      `found '${part}', expected: key, !key, key=value, key!=value, key in (…) or key notin (…)`,
    );
  });
}

export function matchesLabels(
  requirements: LabelRequirement[],
  labels: Record<string, string> | undefined,
): boolean {
  const present = labels ?? {};
  return requirements.every(requirement => {
    const has = Object.prototype.hasOwnProperty.call(present, requirement.key);
    const value = present[requirement.key];
    switch (requirement.operator) {
      case 'in':
        return has && requirement.values.includes(value);
      case 'notin':
        return !has || !requirement.values.includes(value);
      case 'exists':
        return has;
      default:
        return !has;
    }
  });
}

/** A field selector requirement on metadata.name or metadata.namespace. */
export interface FieldRequirement {
  field: 'metadata.name' | 'metadata.namespace';
  equals: boolean;
  value: string;
}

export function parseFieldSelector(
  selector: string | undefined,
): FieldRequirement[] {
  if (!selector || selector.trim() === '') {
    return [];
  }
  return selector.split(',').map(part => {
    const match = /^\s*([^=!\s]+)\s*(==|=|!=)\s*([^=!\s]*)\s*$/.exec(part);
    if (!match) {
      throw errors.badRequest(
        `invalid selector: '${selector}'; can't understand '${part}'`,
      );
    }
    const [, field, op, value] = match;
    if (field !== 'metadata.name' && field !== 'metadata.namespace') {
      throw errors.badRequest(`field label not supported: ${field}`);
    }
    return { field, equals: op !== '!=', value };
  });
}

export function matchesFields(
  requirements: FieldRequirement[],
  metadata: { name?: string; namespace?: string },
): boolean {
  return requirements.every(requirement => {
    const actual =
      requirement.field === 'metadata.name'
        ? metadata.name
        : metadata.namespace ?? '';
    return (actual === requirement.value) === requirement.equals;
  });
}
