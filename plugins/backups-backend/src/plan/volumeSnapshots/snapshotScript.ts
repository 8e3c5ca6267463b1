/**
 * The script of the snapshot CronJob. A constant: everything that comes from
 * the catalog entity (PVC names or selector, snapshot class, retention, the
 * entity's labels) arrives as environment variables, and the script checks
 * each against the syntax Kubernetes allows before using it, so that a value
 * can neither reach the shell as code nor the JSON it builds as structure.
 *
 * Environment:
 * - NAMESPACE: the pod's namespace (downward API).
 * - PVC_NAMES (comma separated) or PVC_SELECTOR (a label selector, passed to
 *   kubectl as one argument).
 * - SNAPSHOT_CLASS: optional VolumeSnapshotClass name.
 * - RETENTION_COUNT (keep the newest N per PVC) or RETENTION_MAX_AGE_SECONDS.
 * - ENTITY_KIND, ENTITY_NAMESPACE, ENTITY_NAME: the managed label values;
 *   ENTITY_REF: the full entity ref for the annotation.
 * - READY_TIMEOUT_SECONDS: how long to wait for readyToUse.
 *
 * For each PVC it creates a VolumeSnapshot `<pvc>-<UTC timestamp>` labelled
 * with the managed labels, `backups/layer=volume-snapshot` and
 * `backups/pvc=<pvc name as a label value>`, waits until it is readyToUse
 * (polling with get: the Role grants no watch), and only then prunes that
 * PVC's older snapshots beyond retention, among snapshots carrying this
 * entity's labels only. A PVC whose snapshot failed is not pruned, so failed
 * runs never eat into the good restore points. Any failure fails the Job.
 */
export const SNAPSHOT_SCRIPT = String.raw`set -u
set -f
export LC_ALL=C

fail() {
  echo "backups: $*" >&2
  exit 1
}

# A DNS-1123 subdomain name (PVC and VolumeSnapshotClass names).
is_name() {
  case "$1" in
    '' | *[!a-z0-9.-]* | [.-]* | *[.-]) return 1 ;;
  esac
  [ "${'$'}{#1}" -le 253 ]
}

# A label value as the planner writes them.
is_label_value() {
  case "$1" in
    '' | *[!A-Za-z0-9._-]* | [._-]* | *[._-]) return 1 ;;
  esac
  [ "${'$'}{#1}" -le 63 ]
}

is_count() {
  case "$1" in
    '' | *[!0-9]* | 0) return 1 ;;
  esac
  [ "${'$'}{#1}" -le 9 ]
}

# The PVC name as a label value: itself when short enough, otherwise its
# first 54 characters and 8 hex digits of its sha256 (as the planner does).
pvc_label() {
  if [ "${'$'}{#1}" -le 63 ]; then
    printf '%s' "$1"
  else
    printf '%s-%s' "$(printf '%s' "$1" | cut -c1-54 | sed 's/[^a-z0-9]*$//')" \
      "$(printf '%s' "$1" | sha256sum | cut -c1-8)"
  fi
}

ns="${'$'}{NAMESPACE:-}"
is_name "$ns" || fail "NAMESPACE is not a namespace name"
for value in "${'$'}{ENTITY_KIND:-}" "${'$'}{ENTITY_NAMESPACE:-}" "${'$'}{ENTITY_NAME:-}"; do
  is_label_value "$value" || fail "an ENTITY_* variable is not a label value"
done
case "${'$'}{ENTITY_REF:-}" in
  '' | *[!A-Za-z0-9:/._-]*) fail "ENTITY_REF is not an entity ref" ;;
esac
class="${'$'}{SNAPSHOT_CLASS:-}"
if [ -n "$class" ]; then
  is_name "$class" || fail "SNAPSHOT_CLASS is not a VolumeSnapshotClass name"
fi
if [ -n "${'$'}{RETENTION_COUNT:-}" ]; then
  is_count "$RETENTION_COUNT" || fail "RETENTION_COUNT is not a positive number"
elif [ -n "${'$'}{RETENTION_MAX_AGE_SECONDS:-}" ]; then
  is_count "$RETENTION_MAX_AGE_SECONDS" || fail "RETENTION_MAX_AGE_SECONDS is not a positive number"
else
  fail "neither RETENTION_COUNT nor RETENTION_MAX_AGE_SECONDS is set"
fi
timeout="${'$'}{READY_TIMEOUT_SECONDS:-600}"
is_count "$timeout" || fail "READY_TIMEOUT_SECONDS is not a positive number"

entity="app.kubernetes.io/managed-by=backstage-backups,backups/entity-kind=$ENTITY_KIND,backups/entity-namespace=$ENTITY_NAMESPACE,backups/entity-name=$ENTITY_NAME,backups/layer=volume-snapshot"

if [ -n "${'$'}{PVC_NAMES:-}" ]; then
  pvcs="$PVC_NAMES"
elif [ -n "${'$'}{PVC_SELECTOR:-}" ]; then
  pvcs=$(kubectl get persistentvolumeclaims --namespace "$ns" --selector "$PVC_SELECTOR" \
    --output 'jsonpath={range .items[*]}{.metadata.name}{","}{end}') ||
    fail "could not list the PersistentVolumeClaims"
  [ -n "$pvcs" ] || fail "no PersistentVolumeClaim matches the selector"
else
  fail "neither PVC_NAMES nor PVC_SELECTOR is set"
fi

now=$(date -u +%Y%m%d%H%M%S)
failed=0
# Split on commas once; the loop body runs with the default IFS.
IFS=,
for pvc in $pvcs; do
  unset IFS
  if ! is_name "$pvc"; then
    echo "backups: skipping a PVC name that is not a valid name" >&2
    failed=1
    continue
  fi
  if ! kubectl get persistentvolumeclaims --namespace "$ns" "$pvc" --output name >/dev/null; then
    echo "backups: PersistentVolumeClaim $pvc not found" >&2
    failed=1
    continue
  fi
  label=$(pvc_label "$pvc")
  name="$(printf '%s' "$pvc" | cut -c1-230 | sed 's/[^a-z0-9]*$//')-$now"
  spec=$(printf '{"source":{"persistentVolumeClaimName":"%s"}' "$pvc")
  if [ -n "$class" ]; then
    spec=$(printf '%s,"volumeSnapshotClassName":"%s"}' "$spec" "$class")
  else
    spec="$spec}"
  fi
  if ! printf '{"apiVersion":"snapshot.storage.k8s.io/v1","kind":"VolumeSnapshot","metadata":{"name":"%s","labels":{"app.kubernetes.io/managed-by":"backstage-backups","backups/entity-kind":"%s","backups/entity-namespace":"%s","backups/entity-name":"%s","backups/layer":"volume-snapshot","backups/pvc":"%s"},"annotations":{"backups/entity-ref":"%s"}},"spec":%s}' \
    "$name" "$ENTITY_KIND" "$ENTITY_NAMESPACE" "$ENTITY_NAME" "$label" "$ENTITY_REF" "$spec" |
    kubectl create --namespace "$ns" --filename -; then
    echo "backups: could not create VolumeSnapshot $name" >&2
    failed=1
    continue
  fi
  waited=0
  ready=""
  while [ "$waited" -lt "$timeout" ]; do
    ready=$(kubectl get volumesnapshots --namespace "$ns" "$name" --output 'jsonpath={.status.readyToUse}' || true)
    [ "$ready" = "true" ] && break
    sleep 5
    waited=$((waited + 5))
  done
  if [ "$ready" != "true" ]; then
    echo "backups: VolumeSnapshot $name not ready after ${'$'}{timeout}s; not pruning $pvc" >&2
    failed=1
    continue
  fi
  echo "backups: VolumeSnapshot $name of $pvc is ready"

  selector="$entity,backups/pvc=$label"
  if [ -n "${'$'}{RETENTION_COUNT:-}" ]; then
    old=$(kubectl get volumesnapshots --namespace "$ns" --selector "$selector" \
      --sort-by=.metadata.creationTimestamp --output 'jsonpath={range .items[*]}{.metadata.name}{"\n"}{end}') || {
      failed=1
      continue
    }
    total=$(printf '%s\n' "$old" | grep -c . || true)
    excess=$((total - RETENTION_COUNT))
    if [ "$excess" -gt 0 ]; then
      for snapshot in $(printf '%s\n' "$old" | head -n "$excess"); do
        [ "$snapshot" = "$name" ] && continue
        kubectl delete volumesnapshots --namespace "$ns" "$snapshot" || failed=1
      done
    fi
  else
    cutoff=$(($(date -u +%s) - RETENTION_MAX_AGE_SECONDS))
    old=$(kubectl get volumesnapshots --namespace "$ns" --selector "$selector" \
      --output 'jsonpath={range .items[*]}{.metadata.name}{" "}{.metadata.creationTimestamp}{"\n"}{end}') || {
      failed=1
      continue
    }
    printf '%s\n' "$old" | while read -r snapshot created; do
      [ -n "$snapshot" ] && [ "$snapshot" != "$name" ] || continue
      at=$(date -u -d "$created" +%s) || continue
      if [ "$at" -lt "$cutoff" ]; then
        kubectl delete volumesnapshots --namespace "$ns" "$snapshot"
      fi
    done || failed=1
  fi
done
unset IFS
exit "$failed"
`;
