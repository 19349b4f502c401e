/** How often one download may be resumed after its connection dropped. */
export const MAX_DOWNLOAD_RESUMES = 5;

/**
 * The bytes of a download of `size` bytes whose connection may drop mid-body: when `first`
 * fails or ends early, asks `resume(offset)` for the rest (a Range request of the same
 * revision) and carries on, at most `maxResumes` times. Streams: nothing is buffered beyond
 * the sources' own high-water marks. The pieces are handed on as they come (to
 * `gatheringStream`, with no stream in between).
 */
export function resumingPieces(
	first: NodeJS.ReadableStream,
	size: number | undefined,
	resume: (offset: number) => Promise<NodeJS.ReadableStream>,
	maxResumes = MAX_DOWNLOAD_RESUMES,
): AsyncIterable<Buffer> {
	async function* pass(): AsyncGenerator<Buffer> {
		let stream = first;
		let received = 0;
		for (let resumes = 0; ; resumes++) {
			let failure: unknown;
			try {
				for await (const chunk of stream as AsyncIterable<Buffer | string>) {
					const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
					received += bytes.length;
					yield bytes;
				}
			} catch (error) {
				failure = error;
			}
			const complete = failure === undefined && (size === undefined || received >= size);
			if (complete) return;
			if (size === undefined || received >= size || resumes >= maxResumes) {
				throw failure ?? new Error(`The download stopped at byte ${received} of ${size}`);
			}
			stream = await resume(received);
		}
	}
	return pass();
}
