/** files/save_url: the URL fetched in the background into an async job (checked by save_url/check_job_status). */
import { Json, routeError } from '../errors';
import { ContentHasher } from '../hash';
import { checkPathArg } from '../paths';
import type { State } from '../state';
import { nodeMeta, untagged } from '../tree';
import { reqStr } from './arguments';
import { jobId } from './asyncJobs';
import type { Ctx } from './types';
import { prepareWrite, WriteFail } from './writeTarget';

export function saveUrl(ctx: Ctx): Json {
	// SaveUrlArg.path is a Path: "/…" only, neither id: nor ns: (400)
	const p = checkPathArg(ctx, ctx.arg.path, 'path', 'path');
	const url = reqStr(ctx, ctx.arg.url, 'url');
	// a malformed or non-http(s) URL fails at launch (SaveUrlError.invalid_url); download_failed is for fetch failures
	let parsed: URL | undefined;
	try {
		parsed = new URL(url);
	} catch {
		parsed = undefined;
	}
	if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || !parsed.hostname || /\s/.test(url)) {
		throw routeError({ '.tag': 'invalid_url' });
	}
	// SaveUrlArg has no write mode nor autorename: something at the path is SaveUrlError.path
	// (WriteError conflict), at launch or, if it appeared meanwhile, as the failed job's error
	try {
		prepareWrite(ctx, p, { autorename: false, isFolder: false, replaceFile: () => false });
	} catch (e) {
		if (e instanceof WriteFail) throw routeError({ '.tag': 'path', path: e.err });
		throw e;
	}
	const id = jobId();
	const st = ctx.st;
	const job = { id, accountId: ctx.account!.accountId, kind: 'save_url', status: 'in_progress' as 'in_progress' | 'complete' | 'failed', result: undefined as Json | undefined, checks: 0 };
	st.jobs.set(id, job);
	const ns = ctx.ns!;
	void (async () => {
		try {
			const fetched = await fetchToBlob(st, url);
			const c2 = { ...ctx, ns } as Ctx;
			const w = prepareWrite(c2, p, { autorename: false, isFolder: false, replaceFile: () => false });
			const n = ns.writeFile(w.parent, w.name, fetched);
			ns.notify();
			job.status = 'complete';
			job.result = untagged(nodeMeta(n));
		} catch (e) {
			job.status = 'failed';
			job.result = { '.tag': e instanceof WriteFail ? 'path' : 'download_failed', ...(e instanceof WriteFail ? { path: e.err } : {}) };
		}
	})();
	return { '.tag': 'async_job_id', async_job_id: id };
}

async function fetchToBlob(st: State, url: string, redirects = 5): Promise<{ blob: string; size: number; contentHash: string }> {
	const u = new URL(url);
	const mod = u.protocol === 'https:' ? await import('node:https') : await import('node:http');
	return await new Promise((resolve, reject) => {
		const req = mod.get(u, { timeout: 30_000, rejectUnauthorized: false }, (res) => {
			const code = res.statusCode ?? 0;
			if (code >= 300 && code < 400 && res.headers.location && redirects > 0) {
				res.resume();
				fetchToBlob(st, new URL(res.headers.location, u).toString(), redirects - 1).then(resolve, reject);
				return;
			}
			if (code !== 200) {
				res.resume();
				reject(new Error('status ' + code));
				return;
			}
			const hasher = new ContentHasher();
			st.store.receive(res, { limit: 20 * 1024 ** 3, hasher }).then((r) => resolve({ ...r, contentHash: hasher.digest() }), reject);
		});
		req.on('timeout', () => req.destroy(new Error('timeout')));
		req.on('error', reject);
	});
}
