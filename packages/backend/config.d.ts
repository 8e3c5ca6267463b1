export interface Config {
  /** The example backend's sandbox clusters (packages/kube-sandbox). */
  kubeSandbox?: {
    /** Start the sandbox API servers with the backend. */
    enabled?: boolean;
    /** Simulated seconds per real second. Default 60. */
    speed?: number;
    clusters?: Array<{
      /** The cluster's name in backups.clusters. */
      name: string;
      /** Loopback port to listen on. */
      port: number;
      /** YAML fixtures to seed, relative to packages/backend. */
      fixtures?: string[];
    }>;
  };
}
