/**
 * Images for the emulator's thumbnails, without dependencies: the size of a stored image read
 * from its header (PNG, JPEG, GIF, BMP, WebP, TIFF, PPM/PGM/PBM), and encoders that write a
 * valid image of any size in the three formats Dropbox returns (ThumbnailFormat: jpeg, png,
 * webp). The picture itself is not decoded: a thumbnail is one flat colour taken from the
 * source's content hash, at exactly the size Dropbox would make it. Every byte of the output is a
 * real image any decoder reads (PNG with zlib, a baseline JPEG of DC-only blocks, a lossless
 * VP8L WebP whose five prefix codes have one symbol each).
 */
import { deflateSync } from 'node:zlib';

export interface ImageSize {
	width: number;
	height: number;
}

/** What a header says: the image's size, or why there is none (not an image at all; an image whose header is cut or zero). */
export type HeaderRead = ImageSize | 'not_image' | 'broken';

const u16be = (b: Buffer, at: number) => (at + 2 <= b.length ? b.readUInt16BE(at) : -1);

function jpegSize(b: Buffer): HeaderRead {
	let at = 2;
	while (at + 4 <= b.length) {
		if (b[at] !== 0xff) return 'broken';
		const marker = b[at + 1];
		if (marker === 0xff) {
			at++;
			continue;
		}
		const length = u16be(b, at + 2);
		// SOF0…SOF15 except DHT (C4), JPG (C8) and DAC (CC): precision, height, width
		if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
			if (at + 9 > b.length) return 'broken';
			return { height: b.readUInt16BE(at + 5), width: b.readUInt16BE(at + 7) };
		}
		if (marker === 0xd9 || marker === 0xda || length < 2) return 'broken';
		at += 2 + length;
	}
	return 'broken';
}

function webpSize(b: Buffer): HeaderRead {
	if (b.length < 30) return 'broken';
	const chunk = b.toString('latin1', 12, 16);
	if (chunk === 'VP8 ') return { width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
	if (chunk === 'VP8L') {
		const bits = b.readUInt32LE(21);
		return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
	}
	if (chunk === 'VP8X') return { width: b.readUIntLE(24, 3) + 1, height: b.readUIntLE(27, 3) + 1 };
	return 'broken';
}

function tiffSize(b: Buffer): HeaderRead {
	const le = b[0] === 0x49;
	const u16 = (at: number) => (le ? b.readUInt16LE(at) : b.readUInt16BE(at));
	const u32 = (at: number) => (le ? b.readUInt32LE(at) : b.readUInt32BE(at));
	const ifd = u32(4);
	if (ifd + 2 > b.length) return 'broken';
	const found: Record<number, number> = {};
	for (let i = 0, n = u16(ifd); i < n; i++) {
		const entry = ifd + 2 + i * 12;
		if (entry + 12 > b.length) return 'broken';
		const tag = u16(entry);
		if (tag === 256 || tag === 257) found[tag] = u16(entry + 2) === 3 ? u16(entry + 8) : u32(entry + 8);
	}
	return found[256] !== undefined && found[257] !== undefined ? { width: found[256], height: found[257] } : 'broken';
}

function ppmSize(b: Buffer): HeaderRead {
	const text = b.toString('latin1', 2, Math.min(b.length, 512)).replace(/#[^\n]*\n/g, ' ');
	const m = /^\s+(\d+)\s+(\d+)/.exec(text);
	return m ? { width: Number(m[1]), height: Number(m[2]) } : 'broken';
}

/** The size of the image in `head` (the first bytes of a file), by its signature, whatever its name says. */
export function imageSize(head: Buffer): HeaderRead {
	const sig = (text: string, at = 0) => head.toString('latin1', at, at + text.length) === text;
	let read: HeaderRead = 'not_image';
	if (sig('\x89PNG\r\n\x1a\n')) read = head.length >= 24 && sig('IHDR', 12) ? { width: head.readUInt32BE(16), height: head.readUInt32BE(20) } : 'broken';
	else if (head[0] === 0xff && head[1] === 0xd8) read = jpegSize(head);
	else if (sig('GIF87a') || sig('GIF89a')) read = head.length >= 10 ? { width: head.readUInt16LE(6), height: head.readUInt16LE(8) } : 'broken';
	else if (sig('BM')) read = head.length >= 26 ? { width: Math.abs(head.readInt32LE(18)), height: Math.abs(head.readInt32LE(22)) } : 'broken';
	else if (sig('RIFF') && sig('WEBP', 8)) read = webpSize(head);
	else if (sig('II*\0') || sig('MM\0*')) read = head.length >= 8 ? tiffSize(head) : 'broken';
	else if (/^P[1-6]\s/.test(head.toString('latin1', 0, 3))) read = ppmSize(head);
	if (typeof read === 'object' && (read.width <= 0 || read.height <= 0)) return 'broken';
	return read;
}

export type Rgb = [number, number, number];

// ---- PNG ----

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});

function crc32(data: Buffer): number {
	let c = 0xffffffff;
	for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
	const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
	const out = Buffer.alloc(8 + data.length + 4);
	out.writeUInt32BE(data.length, 0);
	typed.copy(out, 4);
	out.writeUInt32BE(crc32(typed), 8 + data.length);
	return out;
}

export function encodePng({ width, height }: ImageSize, [r, g, b]: Rgb): Buffer {
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr.set([8, 2, 0, 0, 0], 8); // 8 bits per sample, truecolour, deflate, no filter method, no interlace
	const row = Buffer.alloc(1 + width * 3); // filter byte 0, then RGB
	for (let x = 0; x < width; x++) row.set([r, g, b], 1 + x * 3);
	const raw = Buffer.alloc(row.length * height);
	for (let y = 0; y < height; y++) row.copy(raw, y * row.length);
	const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
	return Buffer.concat([signature, pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(raw)), pngChunk('IEND', Buffer.alloc(0))]);
}

// ---- JPEG (baseline, 4:4:4, quantisation 1, DC-only blocks) ----

/** Bits MSB-first with JPEG's byte stuffing (0x00 after each 0xFF), padded with 1s. */
class JpegBits {
	private bytes: number[] = [];
	private acc = 0;
	private count = 0;
	put(code: number, length: number): void {
		for (let i = length - 1; i >= 0; i--) {
			this.acc = (this.acc << 1) | ((code >>> i) & 1);
			if (++this.count === 8) this.flush();
		}
	}
	private flush(): void {
		this.bytes.push(this.acc);
		if (this.acc === 0xff) this.bytes.push(0);
		this.acc = 0;
		this.count = 0;
	}
	end(): Buffer {
		while (this.count !== 0) this.put(1, 1);
		return Buffer.from(this.bytes);
	}
}

/** The standard luminance DC table of the JPEG spec (Annex K.3): code lengths per category 0…11. */
const DC_COUNTS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const DC_SYMBOLS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

/** Canonical Huffman codes from the counts per length (1…16). */
function huffmanCodes(counts: number[], symbols: number[]): Map<number, { code: number; length: number }> {
	const codes = new Map<number, { code: number; length: number }>();
	let code = 0;
	let k = 0;
	for (let length = 1; length <= 16; length++) {
		for (let i = 0; i < counts[length - 1]; i++) codes.set(symbols[k++], { code: code++, length });
		code <<= 1;
	}
	return codes;
}

const DC_CODES = huffmanCodes(DC_COUNTS, DC_SYMBOLS);

function segment(marker: number, body: number[] | Buffer): Buffer {
	const head = Buffer.from([0xff, marker, 0, 0]);
	head.writeUInt16BE(body.length + 2, 2);
	return Buffer.concat([head, Buffer.from(body)]);
}

export function encodeJpeg({ width, height }: ImageSize, [r, g, b]: Rgb): Buffer {
	const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
	const components = [
		clamp(0.299 * r + 0.587 * g + 0.114 * b),
		clamp(-0.168736 * r - 0.331264 * g + 0.5 * b + 128),
		clamp(0.5 * r - 0.418688 * g - 0.081312 * b + 128),
	];
	const bits = new JpegBits();
	const blocks = Math.ceil(width / 8) * Math.ceil(height / 8);
	for (let block = 0; block < blocks; block++) {
		for (const level of components) {
			// a flat block's DC coefficient is 8 × (value − 128); each later block repeats it (difference 0)
			const diff = block === 0 ? 8 * (level - 128) : 0;
			const category = diff === 0 ? 0 : Math.floor(Math.log2(Math.abs(diff))) + 1;
			const dc = DC_CODES.get(category)!;
			bits.put(dc.code, dc.length);
			if (category > 0) bits.put(diff > 0 ? diff : diff + (1 << category) - 1, category);
			bits.put(0, 1); // end of block: the one code of the AC table
		}
	}
	const sof = [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 3, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0];
	const dht = [0x00, ...DC_COUNTS, ...DC_SYMBOLS, 0x10, 1, ...new Array<number>(15).fill(0), 0x00];
	return Buffer.concat([
		Buffer.from([0xff, 0xd8]),
		segment(0xe0, [...Buffer.from('JFIF\0', 'latin1'), 1, 1, 0, 0, 1, 0, 1, 0, 0]),
		segment(0xdb, [0, ...new Array<number>(64).fill(1)]),
		segment(0xc0, sof),
		segment(0xc4, dht),
		segment(0xda, [3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 63, 0]),
		bits.end(),
		Buffer.from([0xff, 0xd9]),
	]);
}

// ---- WebP (lossless VP8L) ----

/** Bits LSB-first, as VP8L reads them. */
class LsbBits {
	private bytes: number[] = [];
	private acc = 0;
	private count = 0;
	put(value: number, length: number): void {
		for (let i = 0; i < length; i++) {
			this.acc |= ((value >>> i) & 1) << this.count;
			if (++this.count === 8) {
				this.bytes.push(this.acc);
				this.acc = 0;
				this.count = 0;
			}
		}
	}
	end(): Buffer {
		if (this.count > 0) this.bytes.push(this.acc);
		return Buffer.from(this.bytes);
	}
}

export function encodeWebp({ width, height }: ImageSize, [r, g, b]: Rgb): Buffer {
	const bits = new LsbBits();
	bits.put(0x2f, 8); // signature
	bits.put(width - 1, 14);
	bits.put(height - 1, 14);
	bits.put(0, 1); // no alpha
	bits.put(0, 3); // version 0
	bits.put(0, 1); // no transform
	bits.put(0, 1); // no colour cache
	bits.put(0, 1); // no meta prefix codes
	// green, red, blue, alpha, distance: each a "simple" code of one 8-bit symbol, so every pixel takes 0 bits
	for (const symbol of [g, r, b, 255, 0]) {
		bits.put(1, 1);
		bits.put(0, 1);
		bits.put(1, 1);
		bits.put(symbol, 8);
	}
	const payload = bits.end();
	// a RIFF chunk's size is the payload's; the chunk itself is padded to an even length
	const data = payload.length % 2 === 1 ? Buffer.concat([payload, Buffer.alloc(1)]) : payload;
	const chunk = Buffer.alloc(8);
	chunk.write('VP8L', 0, 'latin1');
	chunk.writeUInt32LE(payload.length, 4);
	const riff = Buffer.alloc(12);
	riff.write('RIFF', 0, 'latin1');
	riff.writeUInt32LE(4 + chunk.length + data.length, 4);
	riff.write('WEBP', 8, 'latin1');
	return Buffer.concat([riff, chunk, data]);
}
