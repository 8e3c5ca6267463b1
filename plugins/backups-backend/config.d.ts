import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Configuration of the Backups plugin (Kubernetes backups and disaster recovery). */
  backups?: {
    /**
     * The cluster used for entities without a `backups/cluster` annotation.
     * Must be the name of one of `clusters`.
     */
    defaultCluster?: string;

    /**
     * The Kubernetes clusters the plugin manages backups in. Each is reached with
     * a URL and service account token, a kubeconfig file (and context), or the
     * in-cluster service account.
     */
    clusters?: Array<{
      /** The name entities use in `backups/cluster`. */
      name: string;
      /** API server URL, e.g. https://10.0.0.1:6443. */
      url?: string;
      /**
       * Bearer token of the service account the plugin acts as.
       * @visibility secret
       */
      serviceAccountToken?: string;
      /**
       * Base64-encoded PEM of the API server's CA.
       * @visibility secret
       */
      caData?: string;
      /** Path to a PEM file of the API server's CA. */
      caFile?: string;
      /** Skip TLS verification. Never do this outside development. */
      skipTLSVerify?: boolean;
      /** A kubeconfig file to read the cluster from instead of url + token. */
      kubeconfig?: {
        /** Path to the kubeconfig file. */
        path: string;
        /** The context to use; the file's current context by default. */
        context?: string;
      };
      /** Use the service account of the pod the backend runs in. */
      inCluster?: boolean;
      /** The namespace Velero runs in. Default: velero. */
      veleroNamespace?: string;
      /** The Velero BackupStorageLocation for Schedules. Default: Velero's default location. */
      veleroStorageLocation?: string;
    }>;

    /**
     * Protection tiers that entities choose with `backups/policy`. A policy may
     * leave out a layer; annotations can override its values.
     */
    policies?: {
      [name: string]: {
        /** Recovery point objective, e.g. 1h. */
        rpo: string;
        /** Recovery time objective, e.g. 30m. */
        rto: string;
        velero?: {
          /** Cron (5 fields or a descriptor such as @daily) for the Velero Schedule. */
          schedule: string;
          /** Velero backup TTL as a Go duration. Default 720h. */
          ttl?: string;
          /** Whether Velero snapshots volumes. Default true. */
          snapshotVolumes?: boolean;
        };
        database?: {
          /** Cron (5 fields or a descriptor such as @daily) for the dump CronJob. */
          schedule: string;
          /** Dumps to keep: a count (14) or an age (7d). Default 14. */
          retention?: string | number;
        };
        volumeSnapshots?: {
          /** Cron (5 fields or a descriptor such as @daily) for snapshots. */
          schedule: string;
          /** Snapshots to keep: a count (10) or an age (7d). Default 10. */
          retention?: string | number;
          /** The VolumeSnapshotClass to use unless an entity names one. */
          className?: string;
        };
        drill?: {
          /** Cron (5 fields or a descriptor such as @weekly) for automatic disaster-recovery drills. */
          schedule: string;
        };
      };
    };

    /** Logical database dumps (the `database` layer). */
    databaseDumps?: {
      /** Container images of the dump tools. */
      images?: {
        postgres?: string;
        mysql?: string;
        mongodb?: string;
      };
      /** The aws CLI image that ships dumps to S3 storage. Default docker.io/amazon/aws-cli:2.17.0. */
      s3ClientImage?: string;
      /** Where dumps are written: a PVC or an S3-compatible bucket. */
      storage?: {
        pvc?: {
          claimName: string;
        };
        s3?: {
          bucket: string;
          prefix?: string;
          endpoint?: string;
          /** A Secret in the workload namespace with the S3 access keys. */
          credentialsSecret: string;
        };
      };
    };

    /** CSI volume snapshots (the `volume-snapshot` layer). */
    volumeSnapshots?: {
      /**
       * The image of the snapshot CronJob used where SnapScheduler is not
       * installed; it needs sh, kubectl and GNU coreutils. Pin or mirror it.
       * Default docker.io/bitnami/kubectl:latest.
       */
      image?: string;
    };

    /** Restores. */
    restores?: {
      /**
       * A PVC restored from a volume snapshot that has not bound by then fails
       * its restore (the objects are left for inspection). Default 10 minutes.
       */
      bindTimeout?: HumanDuration | string;
    };

    /** Disaster-recovery drills. */
    drills?: {
      /** How many drills may run at once. Default 2. */
      maxConcurrent?: number;
      /** A drill that takes longer fails and is cleaned up. Default 1 hour. */
      timeout?: HumanDuration | string;
      /** Prefix of the scratch namespaces drills restore into. Default drill-. */
      namespacePrefix?: string;
      /**
       * How often the scheduler looks for scheduled drills that are due
       * (backups/drill-schedule, the policy's drill.schedule). Default 1 minute.
       */
      scheduleCheck?: HumanDuration | string;
    };

    /**
     * Notifications to an entity's owners (through Backstage's notifications
     * backend) when a drill fails or misses its target, a restore fails, or a
     * layer turns failing; at most one per entity and cause a day.
     */
    notifications?: {
      /** Default true. */
      enabled?: boolean;
    };

    /** How backups are judged. */
    status?: {
      /** A layer whose last N runs failed is `failing`. Default 3. */
      failingAfter?: number;
    };

    /** The reconciler that applies entities' plans to their clusters. */
    reconcile?: {
      /**
       * How often to reconcile every entity: a duration ({ minutes: 5 }, "5m",
       * "PT5M") or { cron: "*\/5 * * * *" }. Default every 5 minutes.
       */
      frequency?: HumanDuration | string | { cron: string };
      /** Only compute and report the plans; write nothing. Default false. */
      dryRun?: boolean;
      /** How long one request to a cluster may take. Default 30 seconds. */
      requestTimeout?: HumanDuration | string;
      /** How many entities are reconciled at once. Default 4. */
      concurrency?: number;
    };
  };
}
