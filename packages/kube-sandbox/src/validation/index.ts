export type { FieldError, FieldErrorReason } from './fieldErrors';
export {
  formatBadValue,
  formatInvalidMessage,
  fieldErrorText,
} from './fieldErrors';
export type {
  JSONSchemaProps,
  PruneResult,
  ValidateOptions,
} from './openApiSchema';
export {
  pruneAndDefault,
  validateAndPrune,
  validateSchema,
} from './openApiSchema';
export type { NameFormat, NameRules } from './names';
export {
  generateNameFrom,
  generateNameSuffix,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  nameErrors,
  nameRulesForKind,
  pruneObjectMeta,
  validateAnnotations,
  validateLabels,
  validateObjectMeta,
  validateObjectMetaUpdate,
  validateTypeMeta,
} from './names';
export type { CronJobScheduleOptions, CronSchedule } from './cronSchedule';
export {
  cronJobScheduleErrors,
  cronParseError,
  nextCronTime,
  parseCronSchedule,
  validateCronJobSchedule,
} from './cronSchedule';
