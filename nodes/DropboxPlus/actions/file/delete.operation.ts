import { deleteOperation } from '../shared/relocationAndDelete';

/** Delete a file; many items in few calls. */
export const { description, executeBatch } = deleteOperation('file');
