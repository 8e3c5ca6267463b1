import { apiVersionOf, ResourceType } from './types';

/** The kinds one server serves, found by URL parts or by apiVersion + kind. */
export class ResourceRegistry {
  private readonly byPath = new Map<string, ResourceType>();
  private readonly byKind = new Map<string, ResourceType>();

  constructor(resources: ResourceType[]) {
    resources.forEach(resource => this.add(resource));
  }

  add(resource: ResourceType) {
    this.byPath.set(
      `${resource.group}/${resource.version}/${resource.plural}`,
      resource,
    );
    this.byKind.set(`${apiVersionOf(resource)}/${resource.kind}`, resource);
  }

  find(
    group: string,
    version: string,
    plural: string,
  ): ResourceType | undefined {
    return this.byPath.get(`${group}/${version}/${plural}`);
  }

  findKind(apiVersion: string, kind: string): ResourceType | undefined {
    return this.byKind.get(`${apiVersion}/${kind}`);
  }

  all(): ResourceType[] {
    return [...this.byPath.values()];
  }

  /** Group → versions → resources, for discovery. */
  groups(): Map<string, Map<string, ResourceType[]>> {
    const groups = new Map<string, Map<string, ResourceType[]>>();
    for (const resource of this.byPath.values()) {
      const versions =
        groups.get(resource.group) ?? new Map<string, ResourceType[]>();
      versions.set(resource.version, [
        ...(versions.get(resource.version) ?? []),
        resource,
      ]);
      groups.set(resource.group, versions);
    }
    return groups;
  }
}
