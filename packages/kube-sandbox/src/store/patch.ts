import { applyPatch, Operation } from 'fast-json-patch';
import { errors } from '../errors';

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

const CONTENT_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
  'application/apply-patch+json': 'apply',
};

export function patchTypeOf(contentType: string | undefined): PatchType {
  const type = CONTENT_TYPES[(contentType ?? '').split(';')[0].trim()];
  if (!type) {
    throw errors.unsupportedMediaType(contentType ?? 'none');
  }
  return type;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) {
    return patch;
  }
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
    } else {
      result[key] = mergePatch(result[key], value);
    }
  }
  return result;
}

/**
 * Applies a patch to a copy of `target`. Strategic merge and server-side apply
 * are served as JSON merge patches: lists are replaced, not merged by key, and
 * apply does not track field managers — a documented difference from
 * kube-apiserver that the plugin does not rely on.
 */
export function applyPatchOfType(
  target: unknown,
  type: PatchType,
  patch: unknown,
): unknown {
  if (type === 'json') {
    if (!Array.isArray(patch)) {
      throw errors.badRequest('json patch must be a list of operations');
    }
    try {
      return applyPatch(
        structuredClone(target),
        patch as Operation[],
        true,
        false,
      ).newDocument;
    } catch (error) {
      throw errors.unprocessablePatch((error as Error).message);
    }
  }
  if (!isObject(patch)) {
    throw errors.badRequest('patch body must be a JSON object');
  }
  // mergePatch shares the untouched parts of its target: copy it first, so the
  // stored object is never changed in place (e.g. by deleting resourceVersion).
  return mergePatch(structuredClone(target), patch);
}
