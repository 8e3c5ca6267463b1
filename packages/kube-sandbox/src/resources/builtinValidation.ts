import { validateCronJobSchedule } from '../validation/cronSchedule';
import { FieldError, KubeObject } from './types';

/**
 * The checks of built-in kinds that the plugin's objects must pass on a real
 * cluster. A small subset of kube-apiserver's validation, with its messages.
 */
type Spec = Record<string, any>;

function required(field: string): FieldError {
  return { field, reason: 'FieldValueRequired', message: 'Required value' };
}

function podTemplateErrors(
  template: Spec | undefined,
  path: string,
): FieldError[] {
  const containers = template?.spec?.containers;
  if (!Array.isArray(containers) || containers.length === 0) {
    return [required(`${path}.spec.containers`)];
  }
  return containers.flatMap((container: Spec, index: number) => [
    ...(container?.name
      ? []
      : [required(`${path}.spec.containers[${index}].name`)]),
    ...(container?.image
      ? []
      : [required(`${path}.spec.containers[${index}].image`)]),
  ]);
}

function selectorErrors(object: KubeObject): FieldError[] {
  const spec = object.spec as Spec | undefined;
  const matchLabels: Record<string, string> = spec?.selector?.matchLabels ?? {};
  const labels: Record<string, string> = spec?.template?.metadata?.labels ?? {};
  if (!spec?.selector) {
    return [required('spec.selector')];
  }
  const matches = Object.entries(matchLabels).every(
    ([key, value]) => labels[key] === value,
  );
  return matches
    ? []
    : [
        {
          field: 'spec.template.metadata.labels',
          reason: 'FieldValueInvalid',
          message: `Invalid value: ${JSON.stringify(
            labels,
          )}: \`selector\` does not match template \`labels\``,
        },
      ];
}

export function validateCronJob(object: KubeObject): FieldError[] {
  const spec = object.spec as Spec | undefined;
  const schedule = spec?.schedule;
  const errors: FieldError[] = [];
  if (typeof schedule !== 'string' || schedule === '') {
    errors.push(required('spec.schedule'));
  } else {
    const problem = validateCronJobSchedule(schedule);
    if (problem) {
      errors.push({
        field: 'spec.schedule',
        reason: 'FieldValueInvalid',
        message: problem,
      });
    }
  }
  errors.push(
    ...podTemplateErrors(
      spec?.jobTemplate?.spec?.template,
      'spec.jobTemplate.spec.template',
    ),
  );
  return errors;
}

export function validateJob(object: KubeObject): FieldError[] {
  return podTemplateErrors(
    (object.spec as Spec | undefined)?.template,
    'spec.template',
  );
}

export function validateWorkload(object: KubeObject): FieldError[] {
  return [
    ...selectorErrors(object),
    ...podTemplateErrors(
      (object.spec as Spec | undefined)?.template,
      'spec.template',
    ),
  ];
}

export function validatePersistentVolumeClaim(
  object: KubeObject,
): FieldError[] {
  const spec = object.spec as Spec | undefined;
  return [
    ...(Array.isArray(spec?.accessModes) && spec!.accessModes.length > 0
      ? []
      : [required('spec.accessModes')]),
    ...(spec?.resources?.requests?.storage
      ? []
      : [required('spec.resources[storage]')]),
  ];
}
