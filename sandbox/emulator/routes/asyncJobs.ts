/** Async jobs: launching one (or answering at once) and the check routes that report it. */
import { randomBytes } from 'node:crypto';
import { badRequest, Json, routeError } from '../errors';
import { reqStr } from './arguments';
import type { Ctx } from './types';

export const jobId = (): string => 'dbjid:' + randomBytes(24).toString('base64url');

/** A job's result as its check answers it when done (…BatchJobStatus / …JobStatus `complete`). */
export const complete = (r: Json): Json => ({ '.tag': 'complete', ...(r as object) });

export function launchJob(ctx: Ctx, kind: string, result: Json, async: boolean, completeAsLaunch: (r: Json) => Json): Json {
	if (!async) return completeAsLaunch(result);
	const id = jobId();
	ctx.st.jobs.set(id, { id, accountId: ctx.account!.accountId, kind, status: 'complete', result, checks: 0 });
	return { '.tag': 'async_job_id', async_job_id: id };
}

export function checkJob(kind: string, shape: (r: Json) => Json) {
	return (ctx: Ctx): Json => {
		const id = reqStr(ctx, ctx.arg.async_job_id, 'async_job_id');
		if (id.length < 1) throw badRequest(ctx.route, "request body: async_job_id: '' needs to be at least 1 characters");
		const job = ctx.st.jobs.get(id);
		if (!job || job.kind !== kind || job.accountId !== ctx.account!.accountId) throw routeError({ '.tag': 'invalid_async_job_id' });
		job.checks++;
		if (job.status === 'in_progress') return { '.tag': 'in_progress' };
		if (job.checks === 1 && ctx.st.jobFirstCheckInProgress) return { '.tag': 'in_progress' };
		if (job.status === 'failed') return { '.tag': 'failed', failed: job.result ?? null };
		return shape(job.result!);
	};
}
