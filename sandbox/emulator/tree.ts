/**
 * The namespace tree: metadata for every file and folder of one namespace, kept in maps
 * (by lower-case path, by id) so that lookups cost O(1) even with 100,000s of entries,
 * plus revisions, deletions and the change log that cursors read.
 */
import { randomBytes } from 'node:crypto';
import type { Json } from './errors';

export interface FileRev {
	rev: string;
	id: string;
	blob: string;
	size: number;
	contentHash: string;
	clientModified: string;
	serverModified: string;
	name: string;
	pathLower: string;
	pathDisplay: string;
	/** set for files that cannot be downloaded, only exported (Paper docs, …): is_downloadable false */
	exportInfo?: ExportInfo;
	/** a Paper doc's own revision counter (paper_revision, 1 when created, +1 per paper/update), and whether it is archived in Paper */
	paper?: PaperState;
}

export interface PaperState {
	revision: number;
	archived?: boolean;
}

export interface ExportInfo {
	exportAs: string;
	exportOptions: string[];
}

export interface Node {
	id: string;
	tag: 'file' | 'folder';
	name: string;
	pathLower: string;
	pathDisplay: string;
	parent: Node | null;
	children?: Map<string, Node>;
	file?: FileRev;
	alive: boolean;
	/** a mounted folder (team folder in a team space root): FolderMetadata carries sharing_info */
	mount?: { sharedFolderId: string };
	/** user-generated tags (files/tags/*), lowercase, in the order they were added; they stay with the item when it moves */
	tags?: string[];
	/** a file's lock (files/lock_file_batch): who holds it, since when; it stays with the file when it moves */
	lock?: FileLockRec;
}

export interface FileLockRec {
	created: string;
	accountId: string;
	holderName: string;
}

export interface DeletedRec {
	name: string;
	pathLower: string;
	pathDisplay: string;
	isFolder: boolean;
	lastRev?: FileRev;
	when: string;
}

export interface Change {
	seq: number;
	pathLower: string;
	parentLower: string;
}

export const isoNow = (d = new Date()): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function newId(): string {
	return 'id:' + randomBytes(16).toString('base64url').slice(0, 21);
}

let revCounter = 0x1000000;
export function newRev(): string {
	revCounter++;
	return '0' + revCounter.toString(16).padStart(9, '0') + randomBytes(3).toString('hex');
}

export const parentOf = (p: string): string => p.slice(0, p.lastIndexOf('/'));
export const baseName = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

export class Namespace {
	readonly root: Node;
	readonly byPath = new Map<string, Node>();
	readonly byId = new Map<string, Node>();
	readonly deleted = new Map<string, DeletedRec>();
	/** deleted records by parent path, for include_deleted listings */
	readonly deletedByParent = new Map<string, Set<string>>();
	readonly revs = new Map<string, FileRev>();
	readonly historyByPath = new Map<string, FileRev[]>();
	readonly historyById = new Map<string, FileRev[]>();
	readonly log: Change[] = [];
	logBase = 1; // seq of log[0]
	seq = 0;
	usedBytes = 0;
	readonly listeners = new Set<() => void>();
	onChange?: () => void;

	constructor(readonly id: string) {
		this.root = { id: newId(), tag: 'folder', name: '', pathLower: '', pathDisplay: '', parent: null, children: new Map(), alive: true };
		this.byPath.set('', this.root);
	}

	get(pathLower: string): Node | undefined {
		return this.byPath.get(pathLower);
	}

	private record(pathLower: string): void {
		this.seq++;
		this.log.push({ seq: this.seq, pathLower, parentLower: parentOf(pathLower) });
	}

	/** Announce changes to longpoll waiters and webhooks (once per mutation batch). */
	notify(): void {
		for (const l of [...this.listeners]) l();
		this.onChange?.();
	}

	private clearDeleted(pathLower: string): void {
		if (this.deleted.delete(pathLower)) this.deletedByParent.get(parentOf(pathLower))?.delete(pathLower);
	}

	private attach(node: Node): void {
		node.parent!.children!.set(baseName(node.pathLower), node);
		this.byPath.set(node.pathLower, node);
		this.byId.set(node.id, node);
		this.clearDeleted(node.pathLower);
		this.record(node.pathLower);
	}

	/** Creates missing ancestor folders; returns the parent node, or the file that blocks it. */
	ensureFolders(pathLower: string, pathDisplay: string): Node {
		const lparts = pathLower.split('/').slice(1);
		const dparts = pathDisplay.split('/').slice(1);
		let cur = this.root;
		let lp = '';
		let dp = '';
		for (let i = 0; i < lparts.length; i++) {
			lp += '/' + lparts[i];
			const existing = cur.children!.get(lparts[i]);
			if (existing) {
				if (existing.tag === 'file') return existing;
				cur = existing;
				dp = existing.pathDisplay;
				continue;
			}
			dp += '/' + dparts[i];
			const node: Node = { id: newId(), tag: 'folder', name: dparts[i], pathLower: lp, pathDisplay: dp, parent: cur, children: new Map(), alive: true };
			this.attach(node);
			cur = node;
		}
		return cur;
	}

	/** Display path of a new child, taking the parent's stored casing. */
	static childDisplay(parent: Node, name: string): string {
		return parent.pathDisplay + '/' + name;
	}

	createFolder(parent: Node, name: string): Node {
		const node: Node = {
			id: newId(), tag: 'folder', name,
			pathLower: parent.pathLower + '/' + name.toLowerCase(),
			pathDisplay: Namespace.childDisplay(parent, name),
			parent, children: new Map(), alive: true,
		};
		this.attach(node);
		return node;
	}

	/** Writes a file (new or new revision of an existing one). */
	writeFile(parent: Node, name: string, content: { blob: string; size: number; contentHash: string; clientModified?: string; exportInfo?: ExportInfo; paper?: PaperState }, existing?: Node): Node {
		const pathLower = parent.pathLower + '/' + name.toLowerCase();
		const now = isoNow();
		let node = existing;
		if (node) {
			this.usedBytes -= node.file!.size;
		} else {
			node = { id: newId(), tag: 'file', name, pathLower, pathDisplay: Namespace.childDisplay(parent, name), parent, alive: true };
		}
		const rev: FileRev = {
			rev: newRev(), id: node.id, blob: content.blob, size: content.size, contentHash: content.contentHash,
			clientModified: content.clientModified ?? now, serverModified: now,
			name: node.name, pathLower: node.pathLower, pathDisplay: node.pathDisplay,
		};
		if (content.exportInfo) rev.exportInfo = content.exportInfo;
		if (content.paper) rev.paper = content.paper;
		node.file = rev;
		this.usedBytes += rev.size;
		this.addHistory(rev);
		if (existing) {
			this.record(node.pathLower);
		} else {
			this.attach(node);
		}
		return node;
	}

	private addHistory(rev: FileRev): void {
		this.revs.set(rev.rev, rev);
		let h = this.historyByPath.get(rev.pathLower);
		if (!h) this.historyByPath.set(rev.pathLower, (h = []));
		h.push(rev);
		let hi = this.historyById.get(rev.id);
		if (!hi) this.historyById.set(rev.id, (hi = []));
		hi.push(rev);
	}

	/** Removes a node and its subtree; records deletion entries. Returns the removed node. */
	remove(node: Node, logChange = true): void {
		const when = isoNow();
		const walk = (n: Node) => {
			n.alive = false;
			this.byPath.delete(n.pathLower);
			this.byId.delete(n.id);
			if (n.file) this.usedBytes -= n.file.size;
			const rec: DeletedRec = { name: n.name, pathLower: n.pathLower, pathDisplay: n.pathDisplay, isFolder: n.tag === 'folder', lastRev: n.file, when };
			this.deleted.set(n.pathLower, rec);
			const pl = parentOf(n.pathLower);
			let s = this.deletedByParent.get(pl);
			if (!s) this.deletedByParent.set(pl, (s = new Set()));
			s.add(n.pathLower);
			if (n.children) for (const c of n.children.values()) walk(c);
		};
		node.parent!.children!.delete(baseName(node.pathLower));
		walk(node);
		if (logChange) this.record(node.pathLower);
	}

	/** Moves a node (keeping ids) under newParent with newName. */
	move(node: Node, newParent: Node, newName: string): void {
		const oldLower = node.pathLower;
		node.parent!.children!.delete(baseName(oldLower));
		this.record(oldLower);
		// deletion record for the old place
		const rec: DeletedRec = { name: node.name, pathLower: oldLower, pathDisplay: node.pathDisplay, isFolder: node.tag === 'folder', lastRev: node.file, when: isoNow() };
		this.deleted.set(oldLower, rec);
		let s = this.deletedByParent.get(parentOf(oldLower));
		if (!s) this.deletedByParent.set(parentOf(oldLower), (s = new Set()));
		s.add(oldLower);
		node.parent = newParent;
		node.name = newName;
		const relink = (n: Node, parentLower: string, parentDisplay: string) => {
			this.byPath.delete(n.pathLower);
			n.pathLower = parentLower + '/' + n.name.toLowerCase();
			n.pathDisplay = parentDisplay + '/' + n.name;
			this.byPath.set(n.pathLower, n);
			this.clearDeleted(n.pathLower);
			if (n.file) {
				const r: FileRev = { ...n.file, rev: newRev(), name: n.name, pathLower: n.pathLower, pathDisplay: n.pathDisplay, serverModified: isoNow() };
				n.file = r;
				this.addHistory(r);
			}
			this.record(n.pathLower);
			if (n.children) for (const c of n.children.values()) relink(c, n.pathLower, n.pathDisplay);
		};
		newParent.children!.set(newName.toLowerCase(), node);
		relink(node, newParent.pathLower, newParent.pathDisplay);
	}

	/** Copies a subtree under newParent with newName (new ids, shared blobs). */
	copy(node: Node, newParent: Node, newName: string): Node {
		if (node.tag === 'file') {
			return this.writeFile(newParent, newName, { blob: node.file!.blob, size: node.file!.size, contentHash: node.file!.contentHash, clientModified: node.file!.clientModified, exportInfo: node.file!.exportInfo, paper: node.file!.paper && { revision: 1 } });
		}
		const folder = this.createFolder(newParent, newName);
		for (const c of [...node.children!.values()]) this.copy(c, folder, c.name);
		return folder;
	}

	/** Total bytes and largest file of a subtree, from metadata. */
	subtreeBytes(node: Node): { total: number; largest: number } {
		let total = 0;
		let largest = 0;
		const walk = (n: Node) => {
			if (n.file) {
				total += n.file.size;
				if (n.file.size > largest) largest = n.file.size;
			}
			if (n.children) for (const c of n.children.values()) walk(c);
		};
		walk(node);
		return { total, largest };
	}

	countSubtree(node: Node): number {
		let n = 1;
		if (node.children) for (const c of node.children.values()) n += this.countSubtree(c);
		return n;
	}
}

export function fileMeta(r: FileRev): Record<string, Json> {
	const m: Record<string, Json> = {
		'.tag': 'file',
		name: r.name,
		path_lower: r.pathLower,
		path_display: r.pathDisplay,
		id: r.id,
		client_modified: r.clientModified,
		server_modified: r.serverModified,
		rev: r.rev,
		size: r.size,
		is_downloadable: !r.exportInfo,
		content_hash: r.contentHash,
	};
	if (r.exportInfo) m.export_info = { export_as: r.exportInfo.exportAs, export_options: r.exportInfo.exportOptions };
	return m;
}

export function nodeMeta(n: Node): Record<string, Json> {
	if (n.tag === 'file') {
		const m = fileMeta(n.file!);
		// the node's path may be newer than the revision's record (moves)
		m.name = n.name;
		m.path_lower = n.pathLower;
		m.path_display = n.pathDisplay;
		return m;
	}
	const f: Record<string, Json> = { '.tag': 'folder', name: n.name, path_lower: n.pathLower, path_display: n.pathDisplay, id: n.id };
	if (n.mount) {
		f.shared_folder_id = n.mount.sharedFolderId;
		f.sharing_info = { read_only: false, shared_folder_id: n.mount.sharedFolderId, traverse_only: false, no_access: false };
	}
	return f;
}

export function deletedMeta(d: DeletedRec): Record<string, Json> {
	return { '.tag': 'deleted', name: d.name, path_lower: d.pathLower, path_display: d.pathDisplay };
}

/** Strips the `.tag` for places where the type is a concrete struct (FileMetadata). */
export function untagged(m: Record<string, Json>): Record<string, Json> {
	const { ['.tag']: _t, ...rest } = m;
	void _t;
	return rest;
}
