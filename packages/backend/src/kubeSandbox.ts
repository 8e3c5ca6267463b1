import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { startSandbox, Sandbox } from '@backups-for-backstage/kube-sandbox';
import { DEMO_DURATIONS, demoJobOutcome, runDemoWorld } from './demoWorld';

const DAY = 24 * 3600_000;

/**
 * Runs the sandbox API servers the example portal's `backups.clusters` point
 * at, seeded with the example workloads. With `history.days`, they start that
 * many days in the past and replay them once the backups plugin has
 * reconciled (see demoWorld.ts), then run at `speed` (1: real time, so that
 * the backend's clock and the clusters' agree). Enabled by
 * `kubeSandbox.enabled` in app-config.
 */
export const kubeSandboxPlugin = createBackendPlugin({
  pluginId: 'kube-sandbox',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.rootLifecycle,
      },
      async init({ config, logger, lifecycle }) {
        const sandboxConfig = config.getOptionalConfig('kubeSandbox');
        if (!sandboxConfig?.getOptionalBoolean('enabled')) {
          return;
        }
        const speed = sandboxConfig.getOptionalNumber('speed') ?? 1;
        const historyDays =
          sandboxConfig.getOptionalNumber('history.days') ?? 0;
        const seedEnd = new Date();
        const sandboxes: Sandbox[] = [];
        for (const cluster of sandboxConfig.getConfigArray('clusters')) {
          // The job outcome reads the sandbox it belongs to, made just below.
          const started: { sandbox?: Sandbox } = {};
          const sandbox = await startSandbox({
            port: cluster.getNumber('port'),
            fixtures: cluster.getOptionalStringArray('fixtures') ?? [],
            startTime: new Date(seedEnd.getTime() - historyDays * DAY),
            // A week of events must stay resumable for the backend's watches.
            watchHistorySize: 500_000,
            controllers: {
              ...DEMO_DURATIONS,
              jobOutcome: demoJobOutcome({
                sandbox: () => started.sandbox!,
                seedEnd,
              }),
            },
          });
          started.sandbox = sandbox;
          if (cluster.getString('name') === 'sandbox') {
            // The first two Backups of product-catalog, a week ago, failed.
            sandbox.controllers.failNextBackups('product-catalog-velero', 2);
          }
          sandboxes.push(sandbox);
          logger.info(
            `kube-sandbox ${cluster.getString('name')} on ${
              sandbox.url
            } (kubeconfig ${sandbox.kubeconfigPath})`,
          );
        }
        if (historyDays > 0) {
          void runDemoWorld({ sandboxes, logger, speed });
        } else {
          for (const sandbox of sandboxes) sandbox.clock.run(speed);
        }
        lifecycle.addShutdownHook(async () => {
          await Promise.all(sandboxes.map(sandbox => sandbox.stop()));
        });
      },
    });
  },
});
