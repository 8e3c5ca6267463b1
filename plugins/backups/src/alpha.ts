/**
 * The Backups plugin for the new frontend system.
 *
 * @packageDocumentation
 */

import { backupsPlugin } from './alpha/plugin';

export default backupsPlugin;
