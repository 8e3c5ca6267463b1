import { KubeConfig } from '@kubernetes/client-node';
import { ClusterConfig } from '../config/readBackupsConfig';

/**
 * A client-node KubeConfig for one configured cluster: url and service account
 * token (with CA data or file, or skipTLSVerify), a kubeconfig file (and
 * context), or the pod's in-cluster service account.
 */
export function kubeConfigForCluster(cluster: ClusterConfig): KubeConfig {
  const kubeConfig = new KubeConfig();
  if (cluster.inCluster) {
    kubeConfig.loadFromCluster();
    return kubeConfig;
  }
  if (cluster.kubeconfig) {
    kubeConfig.loadFromFile(cluster.kubeconfig.path);
    if (cluster.kubeconfig.context) {
      kubeConfig.setCurrentContext(cluster.kubeconfig.context);
    }
    return kubeConfig;
  }
  if (!cluster.url) {
    throw new Error(
      `Cluster ${cluster.name} has neither url, kubeconfig.path nor inCluster: true`,
    );
  }
  kubeConfig.loadFromOptions({
    clusters: [
      {
        name: cluster.name,
        server: cluster.url,
        skipTLSVerify: cluster.skipTLSVerify,
        caData: cluster.caData,
        caFile: cluster.caFile,
      },
    ],
    users: [{ name: cluster.name, token: cluster.serviceAccountToken }],
    contexts: [
      { name: cluster.name, cluster: cluster.name, user: cluster.name },
    ],
    currentContext: cluster.name,
  });
  return kubeConfig;
}
