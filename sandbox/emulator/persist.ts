/**
 * The state file (`stateFile` / `--state-file`): what a restarted emulator needs to carry on as
 * if it had never stopped — accounts, apps, tokens, every namespace (tree, revisions, deletions
 * and the change journal that cursors point into), the cursor epoch, shared links, async jobs,
 * temporary links, file requests and paged listings. File contents stay in the data dir; the state file names
 * them relative to it. Not kept: upload sessions in progress, OAuth codes, search pages, call
 * counters, faults and pending longpolls.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Account, AccessToken, App, RefreshToken } from './auth';
import { reserveNamespaceId } from './auth';
import type { FileRequestRec, Job, SharedLink, Snapshot, TempLink } from './records';
import { DeletedRec, FileLockRec, FileRev, Namespace, Node, parentOf, baseName } from './tree';

/** What a state file holds, as the emulator's State has it (persist knows no more of State than this). */
export interface PersistedState {
	epoch: string;
	defaultAccountId: string;
	readonly store: { readonly dir: string };
	namespaces: Map<string, Namespace>;
	accounts: Map<string, Account>;
	apps: Map<string, App>;
	tokens: Map<string, AccessToken>;
	refreshTokens: Map<string, RefreshToken>;
	links: Map<string, SharedLink>;
	fileRequests: Map<string, FileRequestRec>;
	jobs: Map<string, Job>;
	tempLinks: Map<string, TempLink>;
	snapshots: Map<string, Snapshot>;
	/** wires a loaded account's namespaces to its notifications */
	listen(acc: Account): void;
}

const VERSION = 1;

interface SavedNode {
	id: string;
	tag: 'file' | 'folder';
	name: string;
	pathLower: string;
	pathDisplay: string;
	rev?: string;
	mount?: { sharedFolderId: string };
	tags?: string[];
	lock?: FileLockRec;
}

interface SavedNamespace {
	id: string;
	rootId: string;
	/** parents before children */
	nodes: SavedNode[];
	/** every revision, oldest first (histories are rebuilt from this order) */
	revs: FileRev[];
	deleted: (Omit<DeletedRec, 'lastRev'> & { lastRev?: string })[];
	log: Namespace['log'];
	logBase: number;
	seq: number;
}

type SavedAccount = Omit<Account, 'ns' | 'team'> & {
	nsId: string;
	team?: { id: string; name: string; rootNsId: string; memberId: string };
};

interface SavedState {
	version: number;
	epoch: string;
	defaultAccountId: string;
	namespaces: SavedNamespace[];
	accounts: SavedAccount[];
	apps: App[];
	tokens: AccessToken[];
	refreshTokens: RefreshToken[];
	links: SharedLink[];
	/** absent in files saved before file requests were kept */
	fileRequests?: FileRequestRec[];
	jobs: Job[];
	tempLinks: [string, TempLink][];
	/** paged listings: a node that is gone by now still holds its place (the page cursors count places) */
	snapshots: [string, { items: ({ nodeId: string } | { deleted: string })[]; seq: number; created: number; nsId: string }][];
}

function saveNamespace(ns: Namespace): SavedNamespace {
	const nodes: SavedNode[] = [];
	const walk = (n: Node) => {
		for (const c of n.children!.values()) {
			nodes.push({ id: c.id, tag: c.tag, name: c.name, pathLower: c.pathLower, pathDisplay: c.pathDisplay, rev: c.file?.rev, mount: c.mount, tags: c.tags?.length ? c.tags : undefined, lock: c.lock });
			if (c.children) walk(c);
		}
	};
	walk(ns.root);
	return {
		id: ns.id,
		rootId: ns.root.id,
		nodes,
		revs: [...ns.revs.values()].map((r) => ({ ...r, blob: basename(r.blob) })),
		deleted: [...ns.deleted.values()].map((d) => ({ ...d, lastRev: d.lastRev?.rev })),
		log: ns.log,
		logBase: ns.logBase,
		seq: ns.seq,
	};
}

function loadNamespace(s: SavedNamespace, blobDir: string): Namespace {
	reserveNamespaceId(s.id);
	const ns = new Namespace(s.id);
	ns.root.id = s.rootId;
	for (const r of s.revs) {
		const rev = { ...r, blob: join(blobDir, r.blob) };
		ns.revs.set(rev.rev, rev);
		for (const [map, key] of [[ns.historyByPath, rev.pathLower], [ns.historyById, rev.id]] as const) {
			const list = map.get(key) ?? [];
			list.push(rev);
			map.set(key, list);
		}
	}
	for (const n of s.nodes) {
		const parent = ns.byPath.get(parentOf(n.pathLower))!;
		const node: Node = { id: n.id, tag: n.tag, name: n.name, pathLower: n.pathLower, pathDisplay: n.pathDisplay, parent, alive: true };
		if (n.tag === 'folder') node.children = new Map();
		if (n.rev) {
			node.file = ns.revs.get(n.rev)!;
			ns.usedBytes += node.file.size;
		}
		if (n.tags) node.tags = [...n.tags];
		if (n.lock) node.lock = { ...n.lock };
		if (n.mount) {
			node.mount = n.mount;
			reserveNamespaceId(n.mount.sharedFolderId);
		}
		parent.children!.set(baseName(n.pathLower), node);
		ns.byPath.set(node.pathLower, node);
		ns.byId.set(node.id, node);
	}
	for (const d of s.deleted) {
		ns.deleted.set(d.pathLower, { ...d, lastRev: d.lastRev === undefined ? undefined : ns.revs.get(d.lastRev) });
		const siblings = ns.deletedByParent.get(parentOf(d.pathLower)) ?? new Set<string>();
		siblings.add(d.pathLower);
		ns.deletedByParent.set(parentOf(d.pathLower), siblings);
	}
	ns.log.push(...s.log);
	ns.logBase = s.logBase;
	ns.seq = s.seq;
	return ns;
}

/** A place holder in a paged listing for a node deleted before the save: listings skip it. */
const goneNode = (id: string): Node => ({ id, tag: 'file', name: '', pathLower: '', pathDisplay: '', parent: null, alive: false });

/** Writes the state file (to a temporary name first, so a crash never leaves half a file). Returns its size. */
export function saveState(st: PersistedState, file: string): number {
	const saved: SavedState = {
		version: VERSION,
		epoch: st.epoch,
		defaultAccountId: st.defaultAccountId,
		namespaces: [...st.namespaces.values()].map(saveNamespace),
		accounts: [...st.accounts.values()].map(({ ns, team, ...a }) => ({
			...a,
			nsId: ns.id,
			team: team && { id: team.id, name: team.name, rootNsId: team.rootNs.id, memberId: team.memberId },
		})),
		apps: [...st.apps.values()],
		tokens: [...st.tokens.values()],
		refreshTokens: [...st.refreshTokens.values()],
		links: [...st.links.values()],
		fileRequests: [...st.fileRequests.values()],
		jobs: [...st.jobs.values()],
		tempLinks: [...st.tempLinks].map(([k, t]) => [k, { ...t, blob: basename(t.blob) }]),
		snapshots: [...st.snapshots].map(([k, snap]) => {
			const nsId = [...st.namespaces.values()].find((ns) => snap.items.some((i) => i.node && ns.byId.get(i.node.id) === i.node))?.id ?? '';
			const items = snap.items.map((i) => (i.node ? { nodeId: i.node.id } : { deleted: i.deleted! }));
			return [k, { items, seq: snap.seq, created: snap.created, nsId }];
		}),
	};
	const text = JSON.stringify(saved);
	writeFileSync(file + '.tmp', text);
	renameSync(file + '.tmp', file);
	return Buffer.byteLength(text);
}

/** Replaces `st`'s (fresh) contents with the state file's. False when there is no such file. */
export function loadState(st: PersistedState, file: string): boolean {
	if (!existsSync(file)) return false;
	const saved = JSON.parse(readFileSync(file, 'utf8')) as SavedState;
	if (saved.version !== VERSION) throw new Error(`${file}: state file version ${saved.version}, expected ${VERSION}`);
	const blobDir = st.store.dir;
	st.namespaces.clear();
	st.accounts.clear();
	st.apps.clear();
	st.tokens.clear();
	st.refreshTokens.clear();
	for (const s of saved.namespaces) st.namespaces.set(s.id, loadNamespace(s, blobDir));
	for (const { nsId, team, ...a } of saved.accounts) {
		const account: Account = { ...a, ns: st.namespaces.get(nsId)! };
		if (team) account.team = { id: team.id, name: team.name, rootNs: st.namespaces.get(team.rootNsId)!, memberId: team.memberId };
		st.accounts.set(account.accountId, account);
		st.listen(account);
	}
	for (const app of saved.apps) st.apps.set(app.key, app);
	for (const t of saved.tokens) st.tokens.set(t.token, t);
	for (const t of saved.refreshTokens) st.refreshTokens.set(t.token, t);
	for (const l of saved.links) st.links.set(l.token, l);
	st.fileRequests.clear();
	for (const r of saved.fileRequests ?? []) st.fileRequests.set(r.id, r);
	for (const j of saved.jobs) st.jobs.set(j.id, j);
	for (const [k, t] of saved.tempLinks) st.tempLinks.set(k, { ...t, blob: join(blobDir, t.blob) });
	for (const [k, snap] of saved.snapshots) {
		const ns = st.namespaces.get(snap.nsId);
		const items = snap.items.map((i) => ('deleted' in i ? { deleted: i.deleted } : { node: ns?.byId.get(i.nodeId) ?? goneNode(i.nodeId) }));
		st.snapshots.set(k, { items, seq: snap.seq, created: snap.created });
	}
	st.epoch = saved.epoch;
	st.defaultAccountId = saved.defaultAccountId;
	return true;
}
