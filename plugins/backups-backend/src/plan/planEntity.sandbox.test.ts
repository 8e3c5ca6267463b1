import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import * as k8s from '@kubernetes/client-node';
import { Sandbox, startSandbox } from '@backups-for-backstage/kube-sandbox';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { readBackupsConfig } from '../config/readBackupsConfig';
import { planEntity } from './planEntity';
import { PlannedObject } from './types';

const REPO = path.resolve(__dirname, '../../../..');

function exampleConfig() {
  const appConfig = YAML.parse(
    fs.readFileSync(path.join(REPO, 'app-config.yaml'), 'utf8'),
  );
  return readBackupsConfig(new ConfigReader({ backups: appConfig.backups }));
}

function exampleEntities(): Entity[] {
  return YAML.parseAllDocuments(
    fs.readFileSync(path.join(REPO, 'examples/entities.yaml'), 'utf8'),
  )
    .map(document => document.toJS() as Entity)
    .filter(entity => entity?.kind === 'Component')
    .map(entity => ({
      ...entity,
      metadata: { namespace: 'default', ...entity.metadata },
    }));
}

/**
 * Every object the planner makes for the example catalog is accepted by the
 * sandbox API server, i.e. validated against the real CRD schemas and the
 * name and label rules of a real cluster.
 */
describe('planEntity against the sandbox API server', () => {
  let sandbox: Sandbox;
  let objects: k8s.KubernetesObjectApi;
  const config = exampleConfig();

  beforeAll(async () => {
    sandbox = await startSandbox({
      fixtures: [path.join(REPO, 'examples/sandbox/cluster.yaml')],
    });
    const kubeConfig = new k8s.KubeConfig();
    kubeConfig.loadFromFile(sandbox.kubeconfigPath);
    objects = k8s.KubernetesObjectApi.makeApiClient(kubeConfig);
  });

  afterAll(async () => {
    await sandbox.stop();
  });

  async function applyAll(planned: PlannedObject[]) {
    for (const object of planned) {
      const namespace = object.metadata.namespace;
      if (namespace) {
        await objects
          .create({
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: { name: namespace },
          })
          .catch(() => undefined);
      }
      const created = await objects
        .create(object as k8s.KubernetesObject)
        .catch(error => {
          throw new Error(
            `${object.kind} ${object.metadata.name} was refused: ${
              (error as { body?: string }).body ?? error
            }`,
          );
        });
      expect(created.metadata?.labels?.['app.kubernetes.io/managed-by']).toBe(
        'backstage-backups',
      );
      await objects.delete(created);
    }
  }

  it.each(exampleEntities().map(entity => [entity.metadata.name, entity]))(
    'plans %s into objects the cluster accepts',
    async (_, entity) => {
      for (const hasSnapScheduler of [false, true]) {
        const plan = planEntity({
          entity: entity as Entity,
          config,
          clusterFacts: {
            sandbox: { hasSnapScheduler },
            'sandbox-dr': { hasSnapScheduler },
          },
        });
        const expectedToPlan = ![
          'broken-annotations',
          'unknown-policy',
          'storefront',
        ].includes((entity as Entity).metadata.name);
        expect(plan.state === 'planned').toBe(expectedToPlan);
        if (plan.state !== 'planned') continue;
        for (const cluster of plan.clusters) {
          expect(cluster.objects.length).toBeGreaterThan(0);
          await applyAll(cluster.objects);
          if (cluster.restoreJob) {
            await applyAll([cluster.restoreJob]);
          }
        }
      }
    },
  );

  it('keeps names and label values within limits for a 63-character entity name', async () => {
    const name = `a${'-long-name'.repeat(6)}-z`.slice(0, 63);
    expect(name).toHaveLength(63);
    const entity: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name,
        namespace:
          'a-very-long-catalog-namespace-name-that-is-allowed-to-be-63-chars'.slice(
            0,
            63,
          ),
        annotations: {
          'backstage.io/kubernetes-id': name,
          'backstage.io/kubernetes-namespace': 'shop',
          'backups/policy': 'gold',
          'backups/database': 'postgres',
          'backups/database-host': 'orders-db',
          'backups/database-secret': 'orders-db-credentials',
          'backups/volume-snapshot-pvcs': 'orders-data',
        },
      },
      spec: { type: 'service', owner: 'team-orders', lifecycle: 'production' },
    };
    const plan = planEntity({ entity, config });
    if (plan.state !== 'planned') throw new Error(JSON.stringify(plan));
    const planned = plan.clusters[0].objects;
    expect(planned.map(object => object.kind).sort()).toEqual(
      [
        'CronJob',
        'CronJob',
        'Role',
        'RoleBinding',
        'Schedule',
        'ServiceAccount',
      ].sort(),
    );
    for (const object of planned) {
      for (const value of Object.values(object.metadata.labels)) {
        expect(value.length).toBeLessThanOrEqual(63);
      }
    }
    await applyAll([...planned, plan.clusters[0].restoreJob!]);
  });

  it('gives two entities of the same name different, stable object names', () => {
    const entity = (namespace: string): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'orders',
        namespace,
        annotations: {
          'backstage.io/kubernetes-id': 'orders',
          'backstage.io/kubernetes-namespace': 'shop',
          'backups/policy': 'gold',
          'backups/layers': 'velero',
        },
      },
      spec: { type: 'service', owner: 'team-orders', lifecycle: 'production' },
    });
    const names = (namespace: string) => {
      const plan = planEntity({ entity: entity(namespace), config });
      if (plan.state !== 'planned') throw new Error(JSON.stringify(plan));
      return plan.clusters[0].objects.map(object => object.metadata.name);
    };
    expect(names('default')).toEqual(names('default'));
    expect(names('team-a')).not.toEqual(names('default'));
    expect(names('team-a')).not.toEqual(names('team-b'));
  });
});
