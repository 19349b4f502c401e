import { lockOperation } from '../shared/lockOperation';

/** Unlock files — many items in few calls (see lockOperation). */
export const { description, executeBatch } = lockOperation('unlock');
