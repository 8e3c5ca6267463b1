import {
  nameRulesForKind,
  validateAndPrune,
  validateObjectMeta,
  validateTypeMeta,
} from '../validation';
import { FieldError, KubeObject, ResourceType } from '../resources/types';
import { ObjectValidator } from './ObjectStore';

/**
 * Validates in kube-apiserver's order: type meta, object metadata (name format
 * and length per kind, labels, annotations), then a custom resource against its
 * CRD's openAPIV3Schema (pruning unknown fields, applying defaults), then the
 * kind-specific rules of built-in kinds.
 */
export function createObjectValidator(): ObjectValidator {
  return (resource: ResourceType, object: KubeObject) => {
    const typeErrors = validateTypeMeta(resource, object);
    if (typeErrors.length > 0) {
      return { object, errors: typeErrors };
    }
    const metaErrors = validateObjectMeta(
      {
        kind: resource.kind,
        namespaced: resource.namespaced,
        ...(resource.schema
          ? { nameFormat: 'subdomain', maxNameLength: 253 }
          : nameRulesForKind(resource.kind)),
      },
      object.metadata,
    );
    if (resource.schema) {
      const result = validateAndPrune(resource.schema, object, {
        otherErrors: metaErrors,
      });
      return {
        object: result.value as KubeObject,
        errors: [...metaErrors, ...result.errors],
      };
    }
    const errors: FieldError[] = [
      ...metaErrors,
      ...(resource.validate ? resource.validate(object) : []),
    ];
    return { object, errors };
  };
}
