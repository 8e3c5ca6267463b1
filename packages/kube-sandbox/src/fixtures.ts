import fs from 'node:fs';
import YAML from 'yaml';
import { errors } from './errors';
import { KubeObject } from './resources/types';
import { ObjectStore } from './store/ObjectStore';

/**
 * Applies a fixture: multi-document YAML of ordinary Kubernetes objects
 * (Namespaces, Deployments, PVCs, Secrets, a BackupStorageLocation …), given as
 * a file path or as YAML text. Namespaces that objects name are created when
 * missing; objects that exist already are replaced. `status` is kept, so a
 * fixture can seed a BSL's phase or a PVC's binding.
 */
export function applyFixture(store: ObjectStore, fileOrYaml: string) {
  const text = fileOrYaml.includes('\n')
    ? fileOrYaml
    : fs.readFileSync(fileOrYaml, 'utf8');
  const objects = YAML.parseAllDocuments(text)
    .map(document => document.toJS() as KubeObject | null)
    .filter((object): object is KubeObject => Boolean(object));
  const namespaces = store.registry.findKind('v1', 'Namespace')!;
  for (const object of objects) {
    const resource = store.registry.findKind(object.apiVersion, object.kind);
    if (!resource) {
      throw errors.badRequest(
        `fixture: no resource serves ${object.apiVersion} ${object.kind}`,
      );
    }
    const namespace = resource.namespaced
      ? object.metadata.namespace ?? 'default'
      : undefined;
    if (namespace && !store.get(namespaces, undefined, namespace)) {
      store.create(namespaces, undefined, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: namespace },
      });
    }
    const name = object.metadata.name!;
    const existing = store.get(resource, namespace, name);
    const stored = existing
      ? store.update(resource, namespace, name, object)
      : store.create(resource, namespace, object);
    if (object.status !== undefined && resource.subresources.status) {
      store.update(
        resource,
        namespace,
        name,
        { ...stored, status: object.status },
        {
          subresource: 'status',
        },
      );
    }
  }
}
