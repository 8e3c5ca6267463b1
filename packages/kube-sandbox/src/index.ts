/**
 * A local Kubernetes API server with simulated Velero, CronJob/Job, CSI
 * snapshot and workload controllers: the cluster every test, benchmark and the
 * example portal of the Backups plugins run against.
 *
 * @packageDocumentation
 */

export { startSandbox, DEFAULT_TOKENS } from './Sandbox';
export type { Sandbox, SandboxOptions } from './Sandbox';
export { SimulatedClock } from './clock';
export type { Clock } from './clock';
export type {
  JobOutcome,
  ControllerOptions,
  SandboxControllers,
} from './controllers';
export type { KubeObject, ResourceType } from './resources/types';
export { ApiError } from './errors';
export {
  loadRealApiserverRecordings,
  UNRECORDED_METADATA,
} from './realApiserver';
export type { RealApiserverRecording } from './realApiserver';
export { eventually } from './eventually';
