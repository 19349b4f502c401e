import { lockOperation } from '../shared/lockOperation';

/** Lock files so only the holder can change them — many items in few calls (see lockOperation). */
export const { description, executeBatch } = lockOperation('lock');
