import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { BackupsConfig } from '../config/readBackupsConfig';
import { planContexts } from './planEntity';
import { PlanContext } from './types';

/**
 * The plan context of an opted-in entity in one of its clusters (the first
 * when none is named), for a restore or a drill; InputError saying why not.
 */
export function planContextOf(options: {
  entity: Entity;
  config: BackupsConfig;
  cluster?: string;
  /** What is asked, for the sentence: "restoring it", "drilling it". */
  doing: string;
}): PlanContext {
  const { entity, cluster } = options;
  const entityRef = stringifyEntityRef(entity);
  const planned = planContexts({ entity, config: options.config });
  if (planned.state !== 'planned') {
    throw new InputError(
      planned.state === 'invalid'
        ? `${entityRef} has invalid backups annotations; fix them before ${options.doing}`
        : `${entityRef} has not opted in (no backups/policy annotation)`,
    );
  }
  const ctx = cluster
    ? planned.contexts.find(c => c.cluster.name === cluster)
    : planned.contexts[0];
  if (!ctx) {
    throw new InputError(
      `cluster: ${entityRef} is not backed up in cluster ${cluster}; its clusters are ${planned.intent.clusters.join(
        ', ',
      )}`,
    );
  }
  return ctx;
}
