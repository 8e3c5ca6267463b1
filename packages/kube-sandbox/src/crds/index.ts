export { defaultCrdDirectory, loadCrds } from './loadCrds';
export type { CustomResourceType } from './loadCrds';
