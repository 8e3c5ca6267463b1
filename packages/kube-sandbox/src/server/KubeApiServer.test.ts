import * as k8s from '@kubernetes/client-node';
import {
  ClusterUnderTest,
  eventually,
  randomName,
  startSandboxCluster,
  statusOf,
} from '../__testUtils__/clusterUnderTest';

/**
 * What only the sandbox offers: its tokens, fault injection and bookmarks at a
 * test-friendly interval. Asserted through @kubernetes/client-node.
 */
describe('KubeApiServer (sandbox only)', () => {
  let cluster: ClusterUnderTest;

  beforeAll(async () => {
    cluster = await startSandboxCluster({ bookmarkIntervalMs: 100 });
  });

  afterAll(async () => {
    await cluster.stop();
  });

  function clientWithContext(context: string) {
    const kubeConfig = new k8s.KubeConfig();
    kubeConfig.loadFromFile(cluster.sandbox!.kubeconfigPath);
    kubeConfig.setCurrentContext(context);
    return kubeConfig.makeApiClient(k8s.CoreV1Api);
  }

  it('answers 401 without a valid token', async () => {
    const kubeConfig = new k8s.KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [
        { name: 'c', server: cluster.sandbox!.url, skipTLSVerify: true },
      ],
      users: [{ name: 'u', token: 'not-a-token' }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    const status = await statusOf(
      kubeConfig.makeApiClient(k8s.CoreV1Api).listNamespace(),
    );
    expect(status.code).toBe(401);

    const response = await fetch(`${cluster.sandbox!.url}/api/v1/namespaces`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      kind: 'Status',
      reason: 'Unauthorized',
      message: 'Unauthorized',
      code: 401,
    });
  });

  it('lets the read-only token read but not write (403)', async () => {
    const reader = clientWithContext('sandbox-readonly');
    const namespaces = await reader.listNamespace();
    expect(namespaces.items.map(item => item.metadata?.name)).toContain(
      cluster.namespace,
    );
    const status = await statusOf(
      reader.createNamespacedConfigMap({
        namespace: cluster.namespace,
        body: { metadata: { name: 'denied' } },
      }),
    );
    expect(status).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      message: `configmaps is forbidden: User "sandbox-reader" cannot create resource "configmaps" in API group "" in the namespace "${cluster.namespace}"`,
    });
  });

  it('injects 500 and 503 answers for matching paths, a given number of times', async () => {
    cluster.sandbox!.server.faults.fail({
      path: '/api/v1/namespaces',
      status: 503,
      times: 1,
    });
    const unavailable = await statusOf(cluster.core.listNamespace());
    expect(unavailable).toMatchObject({
      code: 503,
      reason: 'ServiceUnavailable',
    });
    await expect(cluster.core.listNamespace()).resolves.toBeTruthy();

    cluster.sandbox!.server.faults.fail({
      path: /configmaps/,
      method: 'POST',
      times: 1,
    });
    const failed = await statusOf(
      cluster.core.createNamespacedConfigMap({
        namespace: cluster.namespace,
        body: { metadata: { name: randomName('fault') } },
      }),
    );
    expect(failed).toMatchObject({ code: 500, reason: 'InternalError' });
  });

  it('can hang a request until the client gives up', async () => {
    cluster.sandbox!.server.faults.hang({
      path: '/api/v1/namespaces/hang-me',
      times: 1,
    });
    const controller = new AbortController();
    const pending = fetch(`${cluster.sandbox!.url}/api/v1/namespaces/hang-me`, {
      headers: { Authorization: `Bearer ${cluster.sandbox!.tokens.admin}` },
      signal: controller.signal,
    });
    const outcome = await Promise.race([
      pending.then(() => 'answered'),
      new Promise(resolve => setTimeout(() => resolve('still waiting'), 300)),
    ]);
    expect(outcome).toBe('still waiting');
    controller.abort();
    await expect(pending).rejects.toThrow();
  });

  it('sends bookmarks, and can delay or drop watch events', async () => {
    const server = cluster.sandbox!.server;
    const app = randomName('faulty-watch');
    const events: Array<{ type: string; name?: string; at: number }> = [];
    const watch = new k8s.Watch(cluster.kubeConfig);
    const controller = await watch.watch(
      `/api/v1/namespaces/${cluster.namespace}/configmaps`,
      { labelSelector: `app=${app}`, allowWatchBookmarks: true },
      (type, object) =>
        events.push({ type, name: object.metadata?.name, at: Date.now() }),
      () => undefined,
    );
    try {
      await eventually(() =>
        expect(events.some(e => e.type === 'BOOKMARK')).toBe(true),
      );

      server.dropWatchEvents(1);
      await cluster.core.createNamespacedConfigMap({
        namespace: cluster.namespace,
        body: { metadata: { name: `${app}-dropped`, labels: { app } } },
      });
      server.delayWatchEvents(400);
      const sentAt = Date.now();
      await cluster.core.createNamespacedConfigMap({
        namespace: cluster.namespace,
        body: { metadata: { name: `${app}-delayed`, labels: { app } } },
      });
      const delayed = await eventually(() => {
        const event = events.find(e => e.name === `${app}-delayed`);
        expect(event).toBeDefined();
        return event!;
      });
      expect(delayed.at - sentAt).toBeGreaterThanOrEqual(350);
      expect(events.find(e => e.name === `${app}-dropped`)).toBeUndefined();
    } finally {
      server.delayWatchEvents(0);
      controller.abort();
    }
  });

  it('counts requests by verb, for tests that assert how many writes were made', async () => {
    const server = cluster.sandbox!.server;
    const before = server.countRequests([
      'create',
      'update',
      'patch',
      'delete',
    ]);
    await cluster.core.listNamespacedConfigMap({
      namespace: cluster.namespace,
    });
    await cluster.core.createNamespacedConfigMap({
      namespace: cluster.namespace,
      body: { metadata: { name: randomName('counted') } },
    });
    expect(server.countRequests(['create', 'update', 'patch', 'delete'])).toBe(
      before + 1,
    );
  });

  it('holds every answer back by the latency it is given, watch starts included', async () => {
    const server = cluster.sandbox!.server;
    const headers = {
      Authorization: `Bearer ${cluster.sandbox!.tokens.admin}`,
    };
    const url = `${cluster.sandbox!.url}/api/v1/namespaces`;
    const elapsed = async (request: () => Promise<unknown>) => {
      const startedAt = Date.now();
      await request();
      return Date.now() - startedAt;
    };
    server.setLatency(300);
    try {
      expect(
        await elapsed(async () => (await fetch(url, { headers })).json()),
      ).toBeGreaterThanOrEqual(290);
      const watch = new AbortController();
      // The first byte of a watch (its headers) waits as well.
      expect(
        await elapsed(() =>
          fetch(`${url}?watch=true`, { headers, signal: watch.signal }),
        ),
      ).toBeGreaterThanOrEqual(290);
      watch.abort();
    } finally {
      server.setLatency(0);
    }
  });
});
