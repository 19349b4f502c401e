/** Webhook delivery: Dropbox's notification body signed with X-Dropbox-Signature; verification GET. */
import { createHmac } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';

export interface Delivery {
	url: string;
	body: string;
	signature: string;
	status: number | null;
	error?: string;
	at: string;
	attempt: number;
}

export function sign(body: string, secret: string): string {
	return createHmac('sha256', secret).update(body).digest('hex');
}

export function httpRequest(
	url: string,
	opts: { method: string; headers?: Record<string, string>; body?: string; timeoutMs?: number; ca?: Buffer },
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
	return new Promise((resolve, reject) => {
		const u = new URL(url);
		const mod = u.protocol === 'https:' ? https : http;
		const req = mod.request(
			u,
			{ method: opts.method, headers: opts.headers, timeout: opts.timeoutMs ?? 10_000, ...(opts.ca ? { ca: opts.ca } : {}) },
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
				res.on('error', reject);
			},
		);
		req.on('timeout', () => req.destroy(new Error('timeout')));
		req.on('error', reject);
		req.end(opts.body);
	});
}

export class Webhooks {
	deliveries: Delivery[] = [];
	private pending = new Map<string, { secret: string; accounts: Set<string>; uids: Set<number>; timer: NodeJS.Timeout }>();
	debounceMs = 50;
	retries = 3;
	private closed = false;

	/** Queues a notification of `accountId` to `url` (debounced, aggregated per URL). */
	notify(url: string, secret: string, accountId: string, uid: number): void {
		if (this.closed) return;
		let p = this.pending.get(url);
		if (!p) {
			const entry = {
				secret,
				accounts: new Set<string>(),
				uids: new Set<number>(),
				timer: setTimeout(() => {
					this.pending.delete(url);
					const accounts = [...entry.accounts];
					const body = JSON.stringify({ list_folder: { accounts }, delta: { users: [...entry.uids] } });
					void this.deliver(url, body, entry.secret, 1);
				}, this.debounceMs),
			};
			p = entry;
			this.pending.set(url, p);
		}
		p.accounts.add(accountId);
		p.uids.add(uid);
	}

	private async deliver(url: string, body: string, secret: string, attempt: number): Promise<void> {
		if (this.closed) return;
		const signature = sign(body, secret);
		const d: Delivery = { url, body, signature, status: null, at: new Date().toISOString(), attempt };
		this.deliveries.push(d);
		if (this.deliveries.length > 1000) this.deliveries.shift();
		try {
			const r = await httpRequest(url, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', 'X-Dropbox-Signature': signature, 'User-Agent': 'DropboxWebhooks/1.0' },
				body,
			});
			d.status = r.status;
			if (r.status >= 300 && attempt < this.retries) setTimeout(() => void this.deliver(url, body, secret, attempt + 1), 200 * 2 ** attempt).unref();
		} catch (e) {
			d.error = (e as Error).message;
			if (attempt < this.retries) setTimeout(() => void this.deliver(url, body, secret, attempt + 1), 200 * 2 ** attempt).unref();
		}
	}

	async verify(url: string, challenge: string): Promise<{ ok: boolean; status: number; body: string; contentType?: string; nosniff?: string }> {
		const u = new URL(url);
		u.searchParams.set('challenge', challenge);
		const r = await httpRequest(u.toString(), { method: 'GET' });
		return {
			ok: r.status === 200 && r.body === challenge,
			status: r.status,
			body: r.body,
			contentType: r.headers['content-type'],
			nosniff: r.headers['x-content-type-options'] as string | undefined,
		};
	}

	close(): void {
		this.closed = true;
		for (const p of this.pending.values()) clearTimeout(p.timer);
		this.pending.clear();
	}
}
