import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { Entity } from '@backstage/catalog-model';
import fs from 'node:fs';
import YAML from 'yaml';
import { readBackupsConfig } from '../config/readBackupsConfig';
import { planEntity } from '../plan/planEntity';

/**
 * `backstage-backups plan <catalog-info.yaml…> --config <app-config.yaml>
 * [--cluster <name>] [--snapscheduler]`: the planned objects of every entity as
 * multi-document YAML, for teams that apply through Git. Returns the text to
 * print and the exit code (1 when an opted-in entity has bad annotations).
 */
export function runPlanCommand(args: {
  catalogFiles: string[];
  configFiles: string[];
  cluster?: string;
  snapScheduler?: boolean;
}): { output: string; errors: string; exitCode: number } {
  const backups = args.configFiles.reduce<JsonObject>((merged, file) => {
    const parsed = YAML.parse(fs.readFileSync(file, 'utf8')) ?? {};
    return { ...merged, ...(parsed.backups ?? {}) };
  }, {});
  const config = readBackupsConfig(new ConfigReader({ backups }));
  const documents: string[] = [];
  const problems: string[] = [];
  for (const file of args.catalogFiles) {
    const entities = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'))
      .map(document => document.toJS() as Entity | null)
      .filter((entity): entity is Entity =>
        Boolean(entity?.kind && entity.metadata),
      );
    for (const entity of entities) {
      const plan = planEntity({
        entity: {
          ...entity,
          metadata: { namespace: 'default', ...entity.metadata },
        },
        config,
        clusterFacts: Object.fromEntries(
          config.clusters.map(cluster => [
            cluster.name,
            { hasSnapScheduler: !!args.snapScheduler },
          ]),
        ),
      });
      if (plan.state === 'invalid') {
        problems.push(
          `${plan.entityRef}: nothing planned\n${plan.errors
            .map(e => `  - ${e.message}`)
            .join('\n')}`,
        );
        continue;
      }
      if (plan.state !== 'planned') continue;
      for (const cluster of plan.clusters) {
        if (args.cluster && cluster.cluster !== args.cluster) continue;
        for (const object of cluster.objects) {
          documents.push(
            `# ${plan.entityRef} → cluster ${cluster.cluster}\n${YAML.stringify(
              object,
              {
                lineWidth: 0,
                aliasDuplicateObjects: false,
              },
            )}`,
          );
        }
      }
    }
  }
  return {
    output: documents.join('---\n'),
    errors: problems.join('\n'),
    exitCode: problems.length > 0 ? 1 : 0,
  };
}
