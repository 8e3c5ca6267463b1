export { defaultCrdDirectory, findSharedFolder, loadCrds } from './loadCrds';
export type { CustomResourceType } from './loadCrds';
