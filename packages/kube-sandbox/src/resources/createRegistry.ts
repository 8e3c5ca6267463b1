import { defaultCrdDirectory, loadCrds } from '../crds';
import { ALL_VERBS, builtinResources } from './builtin';
import { ResourceRegistry } from './ResourceRegistry';

/**
 * The kinds a sandbox serves: the built-in ones plus the CRDs of a folder
 * (default `../shared/crds`), less those named `<plural>.<group>` in `withoutCrds`.
 */
export function createRegistry(
  options: { crdDirectory?: string; withoutCrds?: string[] } = {},
): ResourceRegistry {
  const excluded = new Set(options.withoutCrds ?? []);
  const crds = loadCrds(options.crdDirectory ?? defaultCrdDirectory()).filter(
    crd => !excluded.has(`${crd.plural}.${crd.group}`),
  );
  return new ResourceRegistry([
    ...builtinResources(),
    ...crds.map(crd => ({ ...crd, verbs: ALL_VERBS })),
  ]);
}
