export interface Config {
  /** The example backend's sandbox clusters (packages/kube-sandbox). */
  kubeSandbox?: {
    /** Start the sandbox API servers with the backend. */
    enabled?: boolean;
    /**
     * Simulated seconds per real second once running. Default 1: the
     * clusters' clock and the backend's agree (ages against the RPO are true).
     */
    speed?: number;
    /** Replay this much past before running, once the catalog is reconciled. */
    history?: { days?: number };
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
