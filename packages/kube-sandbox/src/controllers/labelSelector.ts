import { LabelRequirement, matchesLabels } from '../store/selectors';
import { Fields } from './runtime';

/** A metav1.LabelSelector: matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist). */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{
    key: string;
    operator: string;
    values?: string[];
  }>;
}

const OPERATORS: Record<string, LabelRequirement['operator']> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

/** The selector as requirements; an empty selector has none and matches everything. */
export function selectorRequirements(
  selector: LabelSelector | Fields,
): LabelRequirement[] {
  const requirements: LabelRequirement[] = Object.entries(
    selector.matchLabels ?? {},
  ).map(([key, value]) => ({
    key,
    operator: 'in' as const,
    values: [String(value)],
  }));
  for (const expression of selector.matchExpressions ?? []) {
    const operator = OPERATORS[expression.operator];
    if (!operator) {
      throw new Error(
        `${JSON.stringify(
          expression.operator,
        )} is not a valid label selector operator`,
      );
    }
    requirements.push({
      key: expression.key,
      operator,
      values: expression.values ?? [],
    });
  }
  return requirements;
}

export function selectorMatches(
  selector: LabelSelector | Fields,
  labels: Record<string, string> | undefined,
): boolean {
  return matchesLabels(selectorRequirements(selector), labels);
}
