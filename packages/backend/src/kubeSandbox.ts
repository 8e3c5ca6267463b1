import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { startSandbox, Sandbox } from '@backups-for-backstage/kube-sandbox';

/**
 * Runs the sandbox API servers the example portal's `backups.clusters` point
 * at, seeded with the example workloads, with simulated time running faster
 * than real time. Enabled by `kubeSandbox.enabled` in app-config.
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
        const speed = sandboxConfig.getOptionalNumber('speed') ?? 60;
        const sandboxes: Sandbox[] = [];
        for (const cluster of sandboxConfig.getConfigArray('clusters')) {
          const sandbox = await startSandbox({
            port: cluster.getNumber('port'),
            fixtures: cluster.getOptionalStringArray('fixtures') ?? [],
          });
          sandbox.clock.run(speed);
          sandboxes.push(sandbox);
          logger.info(
            `kube-sandbox ${cluster.getString('name')} on ${
              sandbox.url
            } (kubeconfig ${sandbox.kubeconfigPath}), simulated time ${speed}x`,
          );
        }
        lifecycle.addShutdownHook(async () => {
          await Promise.all(sandboxes.map(sandbox => sandbox.stop()));
        });
      },
    });
  },
});
