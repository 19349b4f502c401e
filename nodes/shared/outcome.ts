import type { IDataObject } from 'n8n-workflow';

/** What Dropbox answered for one entry of a batch (its metadata), or the error that entry met. */
export type Outcome = { output: IDataObject } | { error: Error };
