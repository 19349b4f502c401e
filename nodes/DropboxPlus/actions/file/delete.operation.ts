import { deleteOperation } from '../shared/relocation';

/** Delete a file; many items in few calls. */
export const { description, executeBatch } = deleteOperation('file');
