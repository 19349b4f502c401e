import { relocationOperation } from '../shared/relocationAndDelete';

/** Move or rename a folder: into a folder, under a new name, or to a full path; many items in few calls. */
export const { description, executeBatch } = relocationOperation('folder', 'move');
