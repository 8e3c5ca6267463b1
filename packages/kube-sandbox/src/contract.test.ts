import * as k8s from '@kubernetes/client-node';
import {
  ClusterUnderTest,
  connectRealCluster,
  eventually,
  randomName,
  startSandboxCluster,
  statusOf,
} from './__testUtils__/clusterUnderTest';

/**
 * Kubernetes API semantics the plugin relies on, asserted through
 * @kubernetes/client-node. The same suite runs against the sandbox and, when
 * KUBE_TEST_KUBECONFIG names one, against a real cluster, so any difference
 * between the two shows up as a failure.
 */
function describeContract(
  title: string,
  connect: () => Promise<ClusterUnderTest>,
) {
  // The same suite under two titles: the sandbox's and a real cluster's.
  // eslint-disable-next-line jest/valid-title
  describe(title, () => {
    let cluster: ClusterUnderTest;
    let namespace: string;

    beforeAll(async () => {
      cluster = await connect();
      namespace = cluster.namespace;
    });

    afterAll(async () => {
      await cluster?.stop();
    });

    function configMap(
      name: string,
      labels: Record<string, string> = {},
      data = {},
    ) {
      return { metadata: { name, labels }, data };
    }

    async function createConfigMaps(
      items: Array<{ name: string; labels?: Record<string, string> }>,
    ) {
      for (const item of items) {
        await cluster.core.createNamespacedConfigMap({
          namespace,
          body: configMap(item.name, item.labels),
        });
      }
    }

    it('serves discovery and the version', async () => {
      const version = await cluster.kubeConfig
        .makeApiClient(k8s.VersionApi)
        .getCode();
      expect(version.major).toMatch(/^\d+$/);
      const core = await cluster.kubeConfig
        .makeApiClient(k8s.CoreApi)
        .getAPIVersions();
      expect(core.versions).toContain('v1');
      const groups = await cluster.kubeConfig
        .makeApiClient(k8s.ApisApi)
        .getAPIVersions();
      expect(groups.groups.map(group => group.name)).toEqual(
        expect.arrayContaining(['apps', 'batch', 'rbac.authorization.k8s.io']),
      );
      const batch = await cluster.kubeConfig
        .makeApiClient(k8s.BatchV1Api)
        .getAPIResources();
      expect(batch.resources.map(resource => resource.name)).toEqual(
        expect.arrayContaining(['cronjobs', 'jobs', 'cronjobs/status']),
      );
    });

    it('creates, reads, replaces and patches through the generic object API', async () => {
      const name = randomName('generic');
      const created = await cluster.objects.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, namespace },
        data: { a: '1' },
      } as k8s.KubernetesObject);
      expect(created.metadata?.uid).toBeTruthy();
      expect(created.metadata?.resourceVersion).toBeTruthy();
      expect(created.metadata?.creationTimestamp).toBeTruthy();

      const read = await cluster.objects.read<k8s.V1ConfigMap>({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, namespace },
      });
      expect(read.data).toEqual({ a: '1' });

      const replaced = await cluster.objects.replace<k8s.V1ConfigMap>({
        ...read,
        data: { a: '2' },
      });
      expect(replaced.data).toEqual({ a: '2' });
      expect(Number(replaced.metadata?.resourceVersion)).toBeGreaterThan(
        Number(read.metadata?.resourceVersion),
      );

      const merged = await cluster.objects.patch<k8s.V1ConfigMap>(
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name, namespace },
          data: { b: '3' },
        } as k8s.V1ConfigMap,
        undefined,
        undefined,
        undefined,
        undefined,
        k8s.PatchStrategy.MergePatch,
      );
      expect(merged.data).toEqual({ a: '2', b: '3' });

      const jsonPatched = await cluster.core.patchNamespacedConfigMap(
        {
          name,
          namespace,
          body: [
            { op: 'remove', path: '/data/a' },
            { op: 'add', path: '/metadata/labels', value: { patched: 'yes' } },
          ],
        },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch),
      );
      expect(jsonPatched.data).toEqual({ b: '3' });
      expect(jsonPatched.metadata?.labels).toEqual({ patched: 'yes' });
    });

    it('answers an unchanged replace without a new resourceVersion', async () => {
      const name = randomName('noop');
      const created = await cluster.core.createNamespacedConfigMap({
        namespace,
        body: configMap(name, {}, { a: '1' }),
      });
      const replaced = await cluster.core.replaceNamespacedConfigMap({
        name,
        namespace,
        body: created,
      });
      expect(replaced.metadata?.resourceVersion).toBe(
        created.metadata?.resourceVersion,
      );
    });

    it('answers 409 AlreadyExists, 404 NotFound and 409 Conflict as Status objects', async () => {
      const name = randomName('status');
      const created = await cluster.core.createNamespacedConfigMap({
        namespace,
        body: configMap(name),
      });

      const exists = await statusOf(
        cluster.core.createNamespacedConfigMap({
          namespace,
          body: configMap(name),
        }),
      );
      expect(exists).toMatchObject({
        code: 409,
        reason: 'AlreadyExists',
        message: `configmaps "${name}" already exists`,
        kind: 'Status',
        status: 'Failure',
      });

      const missing = await statusOf(
        cluster.core.readNamespacedConfigMap({
          name: `${name}-missing`,
          namespace,
        }),
      );
      expect(missing).toMatchObject({
        code: 404,
        reason: 'NotFound',
        message: `configmaps "${name}-missing" not found`,
      });

      await cluster.core.replaceNamespacedConfigMap({
        name,
        namespace,
        body: { ...created, data: { fresh: 'yes' } },
      });
      const stale = await statusOf(
        cluster.core.replaceNamespacedConfigMap({
          name,
          namespace,
          body: { ...created, data: { stale: 'yes' } },
        }),
      );
      expect(stale).toMatchObject({
        code: 409,
        reason: 'Conflict',
        message: `Operation cannot be fulfilled on configmaps "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      });
    });

    it('names objects from generateName', async () => {
      const created = await cluster.core.createNamespacedConfigMap({
        namespace,
        body: { metadata: { generateName: 'generated-' } },
      });
      expect(created.metadata?.name).toMatch(/^generated-[a-z0-9]{5}$/);
    });

    it('filters by every label selector operator and by field selectors', async () => {
      const prefix = randomName('sel');
      await createConfigMaps([
        {
          name: `${prefix}-a`,
          labels: { app: prefix, tier: 'web', env: 'prod' },
        },
        {
          name: `${prefix}-b`,
          labels: { app: prefix, tier: 'db', env: 'staging' },
        },
        { name: `${prefix}-c`, labels: { app: prefix, tier: 'cache' } },
      ]);
      const names = async (labelSelector: string, fieldSelector?: string) =>
        (
          await cluster.core.listNamespacedConfigMap({
            namespace,
            labelSelector,
            fieldSelector,
          })
        ).items
          .map(item => item.metadata!.name!.slice(prefix.length + 1))
          .sort();

      expect(await names(`app=${prefix},tier=web`)).toEqual(['a']);
      expect(await names(`app==${prefix},tier!=web`)).toEqual(['b', 'c']);
      expect(await names(`app=${prefix},tier in (web,db)`)).toEqual(['a', 'b']);
      expect(await names(`app=${prefix},tier notin (web,db)`)).toEqual(['c']);
      expect(await names(`app=${prefix},env`)).toEqual(['a', 'b']);
      expect(await names(`app=${prefix},!env`)).toEqual(['c']);
      expect(await names(`app=${prefix}`, `metadata.name=${prefix}-b`)).toEqual(
        ['b'],
      );
      expect(
        await names(`app=${prefix}`, `metadata.name!=${prefix}-b`),
      ).toEqual(['a', 'c']);

      const bad = await statusOf(
        cluster.core.listNamespacedConfigMap({
          namespace,
          labelSelector: 'tier in (web',
        }),
      );
      expect(bad).toMatchObject({ code: 400, reason: 'BadRequest' });
    });

    it('pages lists with limit and continue', async () => {
      const app = randomName('page');
      await createConfigMaps(
        Array.from({ length: 7 }, (_, i) => ({
          name: `${app}-${i}`,
          labels: { app },
        })),
      );
      const seen: string[] = [];
      const remainingCounts: Array<number | undefined> = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await cluster.core.listNamespacedConfigMap({
          namespace,
          labelSelector: `app=${app}`,
          limit: 3,
          _continue: token,
        });
        pages += 1;
        seen.push(...page.items.map(item => item.metadata!.name!));
        token = page.metadata?._continue || undefined;
        remainingCounts.push(page.metadata?.remainingItemCount);
      } while (token);
      // With a label selector the server cannot count what is left.
      expect(remainingCounts).toEqual([undefined, undefined, undefined]);
      expect(pages).toBe(3);
      expect(seen).toEqual(
        Array.from({ length: 7 }, (_, i) => `${app}-${i}`).sort(),
      );
    });

    it('counts the remaining items of an unfiltered paged list', async () => {
      const fresh = randomName('paging');
      await cluster.core.createNamespace({
        body: { metadata: { name: fresh } },
      });
      try {
        for (let i = 0; i < 5; i++) {
          await cluster.core.createNamespacedSecret({
            namespace: fresh,
            body: { metadata: { name: `${fresh}-${i}` } },
          });
        }
        // A real cluster may add objects of its own (e.g. token Secrets).
        const total = (
          await cluster.core.listNamespacedSecret({ namespace: fresh })
        ).items.length;
        const page = await cluster.core.listNamespacedSecret({
          namespace: fresh,
          limit: 2,
        });
        expect(page.items).toHaveLength(2);
        expect(page.metadata?._continue).toBeTruthy();
        expect(page.metadata?.remainingItemCount).toBe(total - 2);
        const byField = await cluster.core.listNamespacedSecret({
          namespace: fresh,
          limit: 2,
          fieldSelector: `metadata.namespace=${fresh}`,
        });
        expect(byField.metadata?._continue).toBeTruthy();
        expect(byField.metadata?.remainingItemCount).toBeUndefined();
      } finally {
        await cluster.core.deleteNamespace({ name: fresh });
      }
    });

    it('watches ADDED, MODIFIED and DELETED and resumes from a resourceVersion', async () => {
      const app = randomName('watch');
      const events: string[] = [];
      const watch = new k8s.Watch(cluster.kubeConfig);
      const path = `/api/v1/namespaces/${namespace}/configmaps`;
      const controller = await watch.watch(
        path,
        { labelSelector: `app=${app}` },
        (type, object) => events.push(`${type} ${object.metadata.name}`),
        () => undefined,
      );
      try {
        const created = await cluster.core.createNamespacedConfigMap({
          namespace,
          body: configMap(`${app}-1`, { app }),
        });
        await cluster.core.replaceNamespacedConfigMap({
          name: `${app}-1`,
          namespace,
          body: { ...created, data: { x: 'y' } },
        });
        await cluster.core.deleteNamespacedConfigMap({
          name: `${app}-1`,
          namespace,
        });
        await eventually(() =>
          expect(events).toEqual([
            `ADDED ${app}-1`,
            `MODIFIED ${app}-1`,
            `DELETED ${app}-1`,
          ]),
        );

        const resumed: string[] = [];
        const resume = await watch.watch(
          path,
          {
            labelSelector: `app=${app}`,
            resourceVersion: created.metadata!.resourceVersion,
          },
          (type, object) => resumed.push(`${type} ${object.metadata.name}`),
          () => undefined,
        );
        await eventually(() =>
          expect(resumed).toEqual([`MODIFIED ${app}-1`, `DELETED ${app}-1`]),
        );
        resume.abort();
      } finally {
        controller.abort();
      }
    });

    it('answers a watch from a compacted resourceVersion with 410 Gone', async () => {
      const app = randomName('old');
      await createConfigMaps(
        Array.from({ length: 60 }, (_, i) => ({
          name: `${app}-${i}`,
          labels: { app },
        })),
      );
      const received: Array<{ type: string; code?: number; reason?: string }> =
        [];
      const watch = new k8s.Watch(cluster.kubeConfig);
      let doneError: unknown;
      const controller = await watch.watch(
        `/api/v1/namespaces/${namespace}/configmaps`,
        { resourceVersion: '1' },
        (type, object) =>
          received.push({ type, code: object.code, reason: object.reason }),
        error => {
          doneError = error;
        },
      );
      try {
        await eventually(() =>
          expect(received).toContainEqual({
            type: 'ERROR',
            code: 410,
            reason: 'Expired',
          }),
        );
      } finally {
        controller.abort();
      }
      expect(doneError ?? null).toBeNull();
      // 60 creates one by one: more than jest's 5 s on a loaded machine.
    }, 60000);

    it('deletes a namespace with everything in it', async () => {
      const doomed = randomName('doomed');
      await cluster.core.createNamespace({
        body: { metadata: { name: doomed } },
      });
      await cluster.core.createNamespacedConfigMap({
        namespace: doomed,
        body: configMap('inside'),
      });
      await cluster.core.createNamespacedSecret({
        namespace: doomed,
        body: { metadata: { name: 'inside' }, stringData: { a: 'b' } },
      });
      const deleted = await cluster.core.deleteNamespace({ name: doomed });
      expect(deleted).toBeTruthy();
      await eventually(
        async () =>
          expect(
            (
              await statusOf(cluster.core.readNamespace({ name: doomed }))
            ).code,
          ).toBe(404),
        60000,
      );
      expect(
        (
          await statusOf(
            cluster.core.readNamespacedConfigMap({
              name: 'inside',
              namespace: doomed,
            }),
          )
        ).code,
      ).toBe(404);
    }, 70000);

    it('collects dependents through ownerReferences', async () => {
      const owner = await cluster.core.createNamespacedConfigMap({
        namespace,
        body: configMap(randomName('owner')),
      });
      const dependent = await cluster.core.createNamespacedConfigMap({
        namespace,
        body: {
          metadata: {
            name: randomName('dependent'),
            ownerReferences: [
              {
                apiVersion: 'v1',
                kind: 'ConfigMap',
                name: owner.metadata!.name!,
                uid: owner.metadata!.uid!,
              },
            ],
          },
        },
      });
      await cluster.core.deleteNamespacedConfigMap({
        name: owner.metadata!.name!,
        namespace,
        propagationPolicy: 'Background',
      });
      await eventually(
        async () =>
          expect(
            (
              await statusOf(
                cluster.core.readNamespacedConfigMap({
                  name: dependent.metadata!.name!,
                  namespace,
                }),
              )
            ).code,
          ).toBe(404),
        30000,
      );
    }, 40000);

    it('validates names like the real server', async () => {
      const upper = await statusOf(
        cluster.core.createNamespacedConfigMap({
          namespace,
          body: configMap('Not_Valid'),
        }),
      );
      expect(upper).toMatchObject({ code: 422, reason: 'Invalid' });
      expect(upper.details?.causes).toEqual([
        expect.objectContaining({
          field: 'metadata.name',
          reason: 'FieldValueInvalid',
        }),
      ]);

      const longName = 'a'.repeat(53);
      const cronJob = await statusOf(
        cluster.kubeConfig
          .makeApiClient(k8s.BatchV1Api)
          .createNamespacedCronJob({
            namespace,
            body: {
              metadata: { name: longName },
              spec: {
                schedule: '*/5 * * * *',
                jobTemplate: {
                  spec: {
                    template: {
                      spec: {
                        restartPolicy: 'Never',
                        containers: [{ name: 'c', image: 'busybox' }],
                      },
                    },
                  },
                },
              },
            },
          }),
      );
      expect(cronJob).toMatchObject({ code: 422, reason: 'Invalid' });
      expect(cronJob.details?.causes).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            field: 'metadata.name',
            message: expect.stringContaining(
              'must be no more than 52 characters',
            ),
          }),
        ]),
      );
    });

    it('keeps status out of main-resource updates, and the spec out of a built-in kind’s status update', async () => {
      const name = randomName('status-sub');
      await cluster.core.createNamespace({ body: { metadata: { name } } });
      try {
        const current = await cluster.core.readNamespace({ name });
        const condition = {
          type: 'ContractTest',
          status: 'True',
          reason: 'Testing',
          message: 'set through the status subresource',
        };
        const withStatus = await cluster.core.replaceNamespaceStatus({
          name,
          body: {
            ...current,
            metadata: {
              ...current.metadata,
              labels: { ...current.metadata?.labels, 'from-status': 'yes' },
            },
            spec: { finalizers: ['kubernetes', 'example.com/contract'] },
            status: { ...current.status, conditions: [condition] },
          },
        });
        expect(withStatus.status?.conditions).toEqual([
          expect.objectContaining(condition),
        ]);
        // A built-in kind's /status keeps metadata changes and resets the spec.
        expect(withStatus.metadata?.labels?.['from-status']).toBe('yes');
        expect(withStatus.spec?.finalizers).toEqual(['kubernetes']);

        const replaced = await cluster.core.replaceNamespace({
          name,
          body: {
            ...withStatus,
            metadata: { ...withStatus.metadata, labels: { kept: 'yes' } },
            status: { phase: 'Active', conditions: [] },
          },
        });
        expect(replaced.metadata?.labels?.kept).toBe('yes');
        expect(replaced.status?.conditions).toEqual([
          expect.objectContaining(condition),
        ]);
      } finally {
        await cluster.core.deleteNamespace({ name });
      }
    });

    it('keeps a CronJob’s label change through /status and resets its schedule', async () => {
      const batch = cluster.kubeConfig.makeApiClient(k8s.BatchV1Api);
      const name = randomName('status-cron');
      const created = await batch.createNamespacedCronJob({
        namespace,
        body: {
          metadata: { name },
          spec: {
            schedule: '*/5 * * * *',
            suspend: true,
            jobTemplate: {
              spec: {
                template: {
                  spec: {
                    restartPolicy: 'Never',
                    containers: [{ name: 'c', image: 'busybox:1.36' }],
                  },
                },
              },
            },
          },
        },
      });
      const lastScheduleTime = new Date('2026-01-01T00:00:00Z');
      const updated = await batch.replaceNamespacedCronJobStatus({
        name,
        namespace,
        body: {
          ...created,
          metadata: { ...created.metadata, labels: { 'from-status': 'yes' } },
          spec: { ...created.spec!, schedule: '0 3 * * *' },
          status: { lastScheduleTime },
        },
      });
      expect(updated.metadata?.labels?.['from-status']).toBe('yes');
      expect(updated.spec?.schedule).toBe('*/5 * * * *');
      expect(updated.status?.lastScheduleTime).toEqual(lastScheduleTime);
    });

    it('takes only the status of a custom resource’s /status update', async () => {
      const group = 'snapshot.storage.k8s.io';
      const name = randomName('status-crd');
      const snapshot = {
        apiVersion: `${group}/v1`,
        kind: 'VolumeSnapshot',
        metadata: { name, namespace },
        spec: { source: { persistentVolumeClaimName: 'missing-claim' } },
      };
      const created = (await cluster.objects.create(
        snapshot,
      )) as typeof snapshot & {
        metadata: { resourceVersion?: string };
      };
      const custom = cluster.kubeConfig.makeApiClient(k8s.CustomObjectsApi);
      const updated = (await custom.replaceNamespacedCustomObjectStatus({
        group,
        version: 'v1',
        namespace,
        plural: 'volumesnapshots',
        name,
        body: {
          ...created,
          metadata: {
            ...created.metadata,
            // The snapshot controller may have written its status meanwhile.
            resourceVersion: undefined,
            labels: { 'from-status': 'yes' },
          },
          status: { readyToUse: false },
        },
      })) as { metadata: { labels?: Record<string, string> }; status?: object };
      expect(updated.metadata.labels?.['from-status']).toBeUndefined();
      expect(updated.status).toEqual({ readyToUse: false });
      await cluster.objects.delete(snapshot);
    });
  });
}

describeContract('Kubernetes API contract: sandbox', () =>
  startSandboxCluster({ watchHistorySize: 50 }),
);

const realKubeconfig = process.env.KUBE_TEST_KUBECONFIG;
if (realKubeconfig) {
  describeContract('Kubernetes API contract: real cluster', () =>
    connectRealCluster(realKubeconfig),
  );
} else {
  describe('Kubernetes API contract: real cluster', () => {
    // eslint-disable-next-line jest/no-disabled-tests, jest/expect-expect
    it.skip('is skipped: set KUBE_TEST_KUBECONFIG to a kubeconfig of a real cluster to run it', () => {});
  });
}
