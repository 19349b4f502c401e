import { lockOperation } from '../shared/lockOperation';

/** Whether files are locked, and by whom — many items in few calls (see lockOperation). */
export const { description, executeBatch } = lockOperation('getLock');
