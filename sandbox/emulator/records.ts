/** The records the emulator's state keeps besides accounts and namespaces: upload sessions, async jobs, links, listings. */
import type { Json } from './errors';
import type { ContentHasher } from './hash';
import type { Node } from './tree';

export interface UploadSession {
	id: string;
	accountId: string;
	type: 'sequential' | 'concurrent';
	offset: number;
	closed: boolean;
	/** The session's bytes: appended in order (sequential), or each part written in at its offset (concurrent). */
	blob?: string;
	hasher?: ContentHasher;
	/** Concurrent: the parts received, by offset, with their block digests (hashed once, combined at finish). */
	parts: Map<number, { size: number; closing: boolean; blocks: Buffer[] }>;
	/** Concurrent: byte ranges [start, end) being written into `blob` by requests in progress. */
	writing: Array<[number, number]>;
	created: number;
	busy: boolean;
}

export interface Job {
	id: string;
	accountId: string;
	kind: string;
	status: 'in_progress' | 'complete' | 'failed';
	result?: Json;
	checks: number;
}

export interface SharedLink {
	url: string;
	token: string;
	accountId: string;
	nodeId: string;
	/** namespace of the linked node (home or a team space root) */
	nsId?: string;
	pathLower: string;
	settings: Record<string, Json>;
	expires?: string;
	password?: string;
}

/** A temporary link's file (files/get_temporary_link), served at /__content/temp/<token>/<name>. */
export interface TempLink {
	blob: string;
	size: number;
	name: string;
	expires: number;
}

/** A paged list_folder listing: the entries of its first call, which the page cursors count through. */
export interface Snapshot {
	items: { node?: Node; deleted?: string }[];
	seq: number;
	created: number;
}

/** A file request (file_requests/*): its destination is a folder node, kept by ID so it follows moves. */
export interface FileRequestRec {
	id: string;
	accountId: string;
	title: string;
	created: string;
	isOpen: boolean;
	deadline?: { deadline: string; allow_late_uploads?: { '.tag': string } };
	description?: string;
	videoProjectId?: string;
	/** the namespace and folder files are sent to */
	nsId: string;
	folderId: string;
	/** the files already in the folder when it became the destination: they are not counted as received */
	filesBefore: string[];
}
