import { KubeObject, ResourceType } from '../../resources/types';
import { ControllerRuntime, Fields } from '../runtime';

export const VELERO_API_VERSION = 'velero.io/v1';
export const SCHEDULE_NAME_LABEL = 'velero.io/schedule-name';
export const STORAGE_LOCATION_LABEL = 'velero.io/storage-location';
export const BACKUP_NAME_LABEL = 'velero.io/backup-name';
export const RESTORE_NAME_LABEL = 'velero.io/restore-name';
export const EXCLUDE_FROM_BACKUP_LABEL = 'velero.io/exclude-from-backup';
export const GC_FAILURE_LABEL = 'velero.io/gc-failure';

/** Phases after which a Backup no longer changes (until it is garbage-collected). */
export const TERMINAL_BACKUP_PHASES = [
  'Completed',
  'PartiallyFailed',
  'Failed',
  'FailedValidation',
];

/** The Velero kinds the sandbox serves; undefined when the Velero CRDs are not loaded. */
export interface VeleroKinds {
  schedules: ResourceType;
  backups: ResourceType;
  restores: ResourceType;
  locations: ResourceType;
}

export function veleroKinds(rt: ControllerRuntime): VeleroKinds | undefined {
  const schedules = rt.kind(VELERO_API_VERSION, 'Schedule');
  const backups = rt.kind(VELERO_API_VERSION, 'Backup');
  const restores = rt.kind(VELERO_API_VERSION, 'Restore');
  const locations = rt.kind(VELERO_API_VERSION, 'BackupStorageLocation');
  if (!schedules || !backups || !restores || !locations) return undefined;
  return { schedules, backups, restores, locations };
}

export function phaseOf(object: KubeObject | undefined): string {
  return (
    ((object?.status as Fields | undefined)?.phase as string | undefined) ?? ''
  );
}

/** veleroutil.BSLIsAvailable. */
export function isLocationAvailable(location: KubeObject): boolean {
  return phaseOf(location) === 'Available';
}

export function isReadOnly(location: KubeObject): boolean {
  return (location.spec as Fields | undefined)?.accessMode === 'ReadOnly';
}

/** Velero's collections.ValidateIncludesExcludes, with its messages. */
export function validateIncludesExcludes(
  includes: string[] = [],
  excludes: string[] = [],
): string[] {
  const errors: string[] = [];
  const included = new Set(includes);
  const excluded = new Set(excludes);
  if (included.size > 1 && included.has('*')) {
    errors.push(
      "includes list must either contain '*' only, or a non-empty list of items",
    );
  }
  if (excluded.has('*')) errors.push("excludes list cannot contain '*'");
  for (const item of [...excluded].sort()) {
    if (included.has(item))
      errors.push(
        `excludes list cannot contain an item in the includes list: ${item}`,
      );
  }
  return errors;
}

/** Velero's collections.ValidateScopedIncludesExcludes (the newer scoped resource filters). */
export function validateScopedIncludesExcludes(
  includes: string[] = [],
  excludes: string[] = [],
): string[] {
  const errors: string[] = [];
  const included = new Set(includes);
  const excluded = new Set(excludes);
  if (included.size > 1 && included.has('*')) {
    errors.push(
      "includes list must either contain '*' only, or a non-empty list of items",
    );
  }
  if (excluded.size > 1 && excluded.has('*')) {
    errors.push(
      "excludes list must either contain '*' only, or a non-empty list of items",
    );
  }
  if (included.size > 0 && excluded.has('*')) {
    errors.push("when exclude is '*', include cannot have value");
  }
  for (const item of [...excluded].sort()) {
    if (included.has(item))
      errors.push(
        `excludes list cannot contain an item in the includes list: ${item}`,
      );
  }
  return errors;
}

/** A glob as Velero's namespace filters accept (`*`, `?`, `[...]`). */
function globMatches(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  if (!/[*?[]/.test(pattern)) return pattern === value;
  const source = pattern
    .split('')
    .map(char => {
      if (char === '*') return '.*';
      if (char === '?') return '.';
      if (char === '[' || char === ']') return char;
      return char.replace(/[.+^${}()|\\-]/g, '\\$&');
    })
    .join('');
  try {
    return new RegExp(`^${source}$`).test(value);
  } catch {
    return false;
  }
}

/** Namespace include/exclude filter: empty includes mean all. */
export class NamespaceFilter {
  readonly includes: string[];
  readonly excludes: string[];

  constructor(includes: string[] | undefined, excludes: string[] | undefined) {
    this.includes = includes && includes.length > 0 ? includes : ['*'];
    this.excludes = excludes ?? [];
  }

  shouldInclude(namespace: string): boolean {
    if (this.excludes.some(pattern => globMatches(pattern, namespace)))
      return false;
    return this.includes.some(pattern => globMatches(pattern, namespace));
  }

  /** All namespaces and nothing excluded. */
  includeEverything(): boolean {
    return (
      this.excludes.length === 0 &&
      this.includes.length === 1 &&
      this.includes[0] === '*'
    );
  }
}

/** The names a resource filter may use for a kind: plural, plural.group, singular, kind, short names. */
function namesOf(resource: ResourceType): string[] {
  const qualified = resource.group
    ? `${resource.plural}.${resource.group}`
    : resource.plural;
  return [
    qualified,
    resource.plural,
    resource.singular,
    resource.kind.toLowerCase(),
    ...resource.shortNames,
  ].map(name => name.toLowerCase());
}

/** True when `names` (a resource filter list) names the kind, or holds `*`. */
export function resourceListHas(
  names: string[] | undefined,
  resource: ResourceType,
): boolean {
  if (!names || names.length === 0) return false;
  const own = namesOf(resource);
  const qualified = own[0];
  return names.some(raw => {
    const name = raw.toLowerCase();
    if (name === '*') return true;
    // `plural.group` must match the group; a bare name matches any group.
    return name.includes('.') ? name === qualified : own.includes(name);
  });
}

export function qualifiedName(resource: ResourceType): string {
  return resource.group
    ? `${resource.plural}.${resource.group}`
    : resource.plural;
}
