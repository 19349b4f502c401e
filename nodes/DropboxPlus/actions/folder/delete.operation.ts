import { deleteOperation } from '../shared/relocation';

/** Delete a folder; many items in few calls. */
export const { description, executeBatch } = deleteOperation('folder');
