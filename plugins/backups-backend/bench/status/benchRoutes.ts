/**
 * Two routes the benchmark compares the status route with, in a plugin of
 * their own on the same backend:
 *
 * - `/floor/entities/…`: what every plugin route must do (credentials, the permission
 *   check) and nothing else;
 * - `/naive/entities/…`: a per-view design, as the Backstage Kubernetes plugin does it:
 *   the credentials, the permission, the catalog look-up, then a LIST of what
 *   one status needs from the cluster, on every request;
 * - `POST /reconcile-run`: runs the backups plugin's scheduled reconcile task
 *   now and answers when it is done (the benchmark's backend skips it at
 *   start-up, before the catalog has ingested anything).
 */
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  backupsEntityReadPermission,
  MANAGED_OBJECT_LABELS,
} from '@backups-for-backstage/plugin-backups-common';
import * as k8s from '@kubernetes/client-node';
import Router from 'express-promise-router';
import { requirePermission } from '../../src/auth/requirePermission';
import { RECONCILE_TASK_ID } from '../../src/plugin';
import { VELERO_NAMESPACE } from './protocol';

export function benchRoutesPlugin(cluster: { url: string; token: string }) {
  return createBackendPlugin({
    pluginId: 'bench',
    register(env) {
      env.registerInit({
        deps: {
          httpAuth: coreServices.httpAuth,
          httpRouter: coreServices.httpRouter,
          permissions: coreServices.permissions,
          catalog: catalogServiceRef,
          // The test backend's scheduler is one instance for every plugin.
          scheduler: coreServices.scheduler,
        },
        async init({ httpAuth, httpRouter, permissions, catalog, scheduler }) {
          const kubeConfig = new k8s.KubeConfig();
          kubeConfig.loadFromOptions({
            clusters: [
              { name: 'bench', server: cluster.url, skipTLSVerify: true },
            ],
            users: [{ name: 'bench', token: cluster.token }],
            contexts: [{ name: 'bench', cluster: 'bench', user: 'bench' }],
            currentContext: 'bench',
          });
          const custom = kubeConfig.makeApiClient(k8s.CustomObjectsApi);
          const core = kubeConfig.makeApiClient(k8s.CoreV1Api);
          const velero = (plural: string, labelSelector?: string) =>
            custom.listNamespacedCustomObject({
              group: 'velero.io',
              version: 'v1',
              namespace: VELERO_NAMESPACE,
              plural,
              labelSelector,
            });

          const router = Router();
          router.get(
            '/floor/entities/:kind/:namespace/:name',
            async (req, res) => {
              const credentials = await httpAuth.credentials(req);
              await requirePermission({
                permissions,
                credentials,
                permission: backupsEntityReadPermission,
                entityRef: stringifyEntityRef(req.params),
              });
              res.json({});
            },
          );

          router.get(
            '/naive/entities/:kind/:namespace/:name',
            async (req, res) => {
              const credentials = await httpAuth.credentials(req);
              const entityRef = stringifyEntityRef(req.params);
              await requirePermission({
                permissions,
                credentials,
                permission: backupsEntityReadPermission,
                entityRef,
              });
              const entity = await catalog.getEntityByRef(entityRef, {
                credentials,
              });
              if (!entity) throw new NotFoundError(`No entity ${entityRef}`);
              const annotations = entity.metadata.annotations ?? {};
              const workloadId = annotations['backstage.io/kubernetes-id'];
              const namespace =
                annotations['backstage.io/kubernetes-namespace'];
              const [schedules, locations, pods] = await Promise.all([
                velero(
                  'schedules',
                  [
                    `${
                      MANAGED_OBJECT_LABELS.entityKind
                    }=${entity.kind.toLowerCase()}`,
                    `${MANAGED_OBJECT_LABELS.entityNamespace}=${entity.metadata.namespace}`,
                    `${MANAGED_OBJECT_LABELS.entityName}=${entity.metadata.name}`,
                  ].join(','),
                ),
                velero('backupstoragelocations'),
                core.listNamespacedPod({
                  namespace,
                  labelSelector: `backstage.io/kubernetes-id=${workloadId}`,
                }),
              ]);
              const schedule = (schedules.items as any[])[0];
              const backups = schedule
                ? (
                    await velero(
                      'backups',
                      `velero.io/schedule-name=${schedule.metadata.name}`,
                    )
                  ).items
                : [];
              const completed = (backups as any[])
                .filter(backup => backup.status?.phase === 'Completed')
                .map(backup => backup.status.completionTimestamp as string)
                .sort();
              res.json({
                entityRef,
                restorePointCount: backups.length,
                newestGood: completed[completed.length - 1],
                storageLocations: locations.items.length,
                podsMatched: pods.items.length,
              });
            },
          );
          router.post('/reconcile-run', async (req, res) => {
            await httpAuth.credentials(req);
            await scheduler.triggerTask(RECONCILE_TASK_ID);
            res.json({});
          });
          httpRouter.use(router);
        },
      });
    },
  });
}
