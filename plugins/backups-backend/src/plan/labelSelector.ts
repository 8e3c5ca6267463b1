import { LabelSelectorRequirement } from '@backups-for-backstage/plugin-backups-common';

/** A `metav1.LabelSelector`, as Velero and SnapScheduler CRDs model it. */
export interface KubernetesLabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{
    key: string;
    operator: LabelSelectorRequirement['operator'];
    values?: string[];
  }>;
}

/**
 * Converts parsed selector requirements into a `metav1.LabelSelector`.
 * `key In (v)` with exactly one value becomes `matchLabels` (the usual and most
 * readable form); everything else becomes `matchExpressions`. `values` is left
 * out for `Exists`/`DoesNotExist`, which the API server requires to be empty.
 * A second `In` requirement on a key already in `matchLabels` stays a
 * requirement of its own, so no requirement is lost by the map.
 */
export function toLabelSelector(
  requirements: LabelSelectorRequirement[],
): KubernetesLabelSelector {
  const matchLabels: Record<string, string> = {};
  const matchExpressions: NonNullable<
    KubernetesLabelSelector['matchExpressions']
  > = [];
  for (const requirement of requirements) {
    const { key, operator, values } = requirement;
    if (
      operator === 'In' &&
      values.length === 1 &&
      !Object.prototype.hasOwnProperty.call(matchLabels, key)
    ) {
      matchLabels[key] = values[0];
    } else if (operator === 'In' || operator === 'NotIn') {
      matchExpressions.push({ key, operator, values: [...values] });
    } else {
      matchExpressions.push({ key, operator });
    }
  }
  return {
    ...(Object.keys(matchLabels).length > 0 ? { matchLabels } : {}),
    ...(matchExpressions.length > 0 ? { matchExpressions } : {}),
  };
}

/** Whether labels satisfy every requirement, as the API server matches a selector. */
export function matchesLabelSelector(
  requirements: LabelSelectorRequirement[],
  labels: Record<string, string>,
): boolean {
  return requirements.every(({ key, operator, values }) => {
    const value = labels[key];
    switch (operator) {
      case 'In':
        return value !== undefined && values.includes(value);
      case 'NotIn':
        return value === undefined || !values.includes(value);
      case 'Exists':
        return value !== undefined;
      default:
        return value === undefined;
    }
  });
}
