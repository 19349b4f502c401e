import { dropboxErrorInfo } from '../transport';

/** A Dropbox call's answer, or its failure (the transport's NodeApiError) with the Dropbox error tag. */
export type Attempt<T> = { ok: true; value: T } | { ok: false; tag: string; error: unknown };

/** Runs a call whose expected failures (such as `path/not_found`) the caller turns into answers. */
export async function attempt<T>(call: Promise<T>): Promise<Attempt<T>> {
	try {
		return { ok: true, value: await call };
	} catch (error) {
		return { ok: false, tag: dropboxErrorInfo(error)?.dropboxTag ?? '', error };
	}
}
