import { deleteOperation } from '../shared/relocationAndDelete';

/** Delete a folder; many items in few calls. */
export const { description, executeBatch } = deleteOperation('folder');
