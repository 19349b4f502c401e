import { createReadStream, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomUUID } from 'node:crypto';

import {
	NodeOperationError,
	type IBinaryData,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
} from 'n8n-workflow';

import { sendHttp } from './httpClient';
import { makeTempDir } from './tempDirs';

/**
 * An IExecuteFunctions for integration tests: real HTTP to the emulator, a real
 * file-system binary store, the node's parameters per item. Real n8n is exercised by the
 * end-to-end suite (test/e2e); this runs the same operation code fast and in-process.
 */
export interface ContextOptions {
	emulatorUrl: string;
	accessToken: string;
	/** Parameters for every item (a function gets the item index). */
	parameters: IDataObject | ((itemIndex: number) => IDataObject);
	items?: INodeExecutionData[];
	/** The node's saved parameters (expressions as n8n stores them, "={{ … }}"), as getNode() shows them. */
	nodeParameters?: INode['parameters'];
	continueOnFail?: boolean;
	credentials?: IDataObject;
}

export interface TestContext {
	ctx: IExecuteFunctions;
	/** Every request sent, in order (method + URL path + the Dropbox-API-Arg / JSON body). */
	requests: Array<{ url: string; headers: IDataObject; body?: unknown }>;
	binaryDir: string;
	/** Stores bytes as n8n's filesystem binary mode would, and returns the item's binary entry. */
	storeBinary(data: Buffer | Readable, fileName: string, mimeType?: string): Promise<IBinaryData>;
	/** Reads back a binary entry's bytes. */
	readBinary(binary: IBinaryData): Promise<Buffer>;
}

const node: INode = {
	id: 'test-node',
	name: 'Dropbox Plus',
	type: 'n8n-nodes-dropbox-plus.dropboxPlus',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

function getPath(object: IDataObject, path: string): unknown {
	return path.split('.').reduce<unknown>((value, key) => (value as IDataObject | undefined)?.[key], object);
}

export async function createExecuteContext(options: ContextOptions): Promise<TestContext> {
	const binaryDir = await makeTempDir('dropbox-plus-binary-');
	const metadata = new Map<string, { fileName?: string; mimeType: string; fileSize: number }>();
	const requests: TestContext['requests'] = [];
	const items: INodeExecutionData[] = options.items ?? [{ json: {} }];
	const parametersFor = (itemIndex: number): IDataObject =>
		typeof options.parameters === 'function' ? options.parameters(itemIndex) : options.parameters;

	async function storeBinary(data: Buffer | Readable, fileName: string, mimeType = 'application/octet-stream') {
		const id = randomUUID();
		const file = join(binaryDir, id);
		if (Buffer.isBuffer(data)) await fs.writeFile(file, data);
		else await pipeline(data, (await fs.open(file, 'w')).createWriteStream());
		const { size } = await fs.stat(file);
		metadata.set(id, { fileName, mimeType, fileSize: size });
		const extension = fileName.includes('.') ? fileName.slice(fileName.lastIndexOf('.') + 1) : undefined;
		return {
			id: `filesystem-v2:${id}`,
			data: 'filesystem-v2',
			fileName,
			mimeType,
			fileExtension: extension,
			fileSize: String(size),
		} as IBinaryData;
	}

	const binaryIdOf = (binary: IBinaryData): string => (binary.id ?? '').replace(/^filesystem-v2:/, '');

	async function readBinary(binary: IBinaryData): Promise<Buffer> {
		if (binary.id) return await fs.readFile(join(binaryDir, binaryIdOf(binary)));
		return Buffer.from(binary.data, 'base64');
	}

	const authenticated = async (_type: string, request: IHttpRequestOptions) => {
		const headers = { ...(request.headers ?? {}), Authorization: `Bearer ${options.accessToken}` };
		// upload bodies are recorded by size only: keeping them would hold every byte ever sent
		const body = Buffer.isBuffer(request.body) ? `<${request.body.length} bytes>` : request.body;
		requests.push({ url: request.url, headers: request.headers ?? {}, body });
		return await sendHttp({ ...request, headers }, { emulatorUrl: options.emulatorUrl });
	};

	const savedNode: INode = { ...node, parameters: options.nodeParameters ?? {} };
	const ctx = {
		getInputData: () => items,
		getNode: () => savedNode,
		continueOnFail: () => options.continueOnFail ?? false,
		getNodeParameter(name: string, itemIndex: number, fallback?: unknown, extra?: { extractValue?: boolean }) {
			const value = getPath(parametersFor(itemIndex ?? 0), name);
			if (value === undefined) {
				if (arguments.length >= 3) return fallback;
				throw new NodeOperationError(node, `Could not get parameter "${name}"`);
			}
			if (extra?.extractValue && value && typeof value === 'object' && '__rl' in value) {
				return (value as IDataObject).value;
			}
			return value;
		},
		getCredentials: async () => options.credentials ?? { pathRoot: 'home' },
		getExecutionCancelSignal: () => undefined,
		logger: { debug() {}, info() {}, warn() {}, error() {} },
		helpers: {
			httpRequestWithAuthentication: authenticated,
			requestWithAuthentication: authenticated,
			httpRequest: async (request: IHttpRequestOptions) =>
				await sendHttp(request, { emulatorUrl: options.emulatorUrl }),
			assertBinaryData(itemIndex: number, propertyName: string) {
				const binary = items[itemIndex]?.binary?.[propertyName];
				if (!binary) {
					throw new NodeOperationError(node, `This operation expects the node's input data to contain a binary file '${propertyName}', but none was found [item ${itemIndex}]`, { itemIndex });
				}
				return binary;
			},
			async getBinaryStream(binaryDataId: string, chunkSize?: number) {
				// as n8n's filesystem mode: the chunk size is the stream's high-water mark
				return createReadStream(join(binaryDir, binaryDataId.replace(/^filesystem-v2:/, '')), { highWaterMark: chunkSize });
			},
			async getBinaryMetadata(binaryDataId: string) {
				return metadata.get(binaryDataId.replace(/^filesystem-v2:/, '')) ?? { mimeType: 'application/octet-stream', fileSize: 0 };
			},
			async getBinaryDataBuffer(itemIndex: number, propertyName: string) {
				return await readBinary(items[itemIndex].binary![propertyName]);
			},
			async binaryToBuffer(stream: Readable) {
				const chunks: Buffer[] = [];
				for await (const chunk of stream) chunks.push(chunk as Buffer);
				return Buffer.concat(chunks);
			},
			async prepareBinaryData(data: Buffer | Readable, fileName?: string, mimeType?: string) {
				return await storeBinary(data, fileName ?? 'file', mimeType);
			},
			returnJsonArray: (data: IDataObject | IDataObject[]) =>
				(Array.isArray(data) ? data : [data]).map((json) => ({ json })),
			constructExecutionMetaData: (data: INodeExecutionData[], { itemData }: { itemData: { item: number } }) =>
				data.map((item) => ({ ...item, pairedItem: itemData })),
		},
	};
	return { ctx: ctx as unknown as IExecuteFunctions, requests, binaryDir, storeBinary, readBinary };
}
