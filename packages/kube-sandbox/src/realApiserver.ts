import fs from 'node:fs';
import path from 'node:path';
import { findSharedFolder } from './crds';
import { KubeObject } from './resources/types';

/** One object a real kube-apiserver was sent, and its GET answer afterwards. */
export interface RealApiserverRecording {
  file: string;
  sent: KubeObject;
  /** Without uid, resourceVersion, creationTimestamp, generation and managedFields. */
  answered: KubeObject;
}

/** The metadata the recordings leave out of `answered` (set by the server, different every time). */
export const UNRECORDED_METADATA = [
  'uid',
  'resourceVersion',
  'creationTimestamp',
  'generation',
  'managedFields',
] as const;

/**
 * What a real kube-apiserver v1.32 answered for every object the planner
 * made for the example catalog (`../shared/real-apiserver/objects`): the
 * ground truth the sandbox and the reconciler's diff are tested against.
 */
export function loadRealApiserverRecordings(): RealApiserverRecording[] {
  const folder = findSharedFolder('real-apiserver');
  if (!folder) {
    throw new Error(
      'No shared/real-apiserver folder found above this package or the working directory',
    );
  }
  const objects = path.join(folder, 'objects');
  return fs
    .readdirSync(objects)
    .filter(file => file.endsWith('.json'))
    .sort()
    .map(file => ({
      file,
      ...JSON.parse(fs.readFileSync(path.join(objects, file), 'utf8')),
    }));
}
