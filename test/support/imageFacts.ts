import { inflateSync } from 'node:zlib';

/**
 * What a test can check of an image's bytes without a decoder library: the format by its
 * signature, and its size. A PNG is read fully (every chunk's CRC, the pixel data inflated to
 * exactly height × (1 + 3 × width) bytes), a JPEG up to its frame header and end marker, a
 * WebP's RIFF sizes and VP8L header. Written apart from the emulator's own image code.
 */
export interface ImageFacts {
	format: 'png' | 'jpeg' | 'webp';
	width: number;
	height: number;
}

const CRC = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});
const crc32 = (data: Buffer) => {
	let c = 0xffffffff;
	for (const b of data) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
};

function png(bytes: Buffer): ImageFacts {
	let at = 8;
	let width = 0;
	let height = 0;
	const idat: Buffer[] = [];
	for (;;) {
		const length = bytes.readUInt32BE(at);
		const type = bytes.toString('latin1', at + 4, at + 8);
		const typed = bytes.subarray(at + 4, at + 8 + length);
		if (crc32(typed) !== bytes.readUInt32BE(at + 8 + length)) throw new Error(`PNG chunk ${type}: bad CRC`);
		if (type === 'IHDR') [width, height] = [typed.readUInt32BE(4), typed.readUInt32BE(8)];
		if (type === 'IDAT') idat.push(typed.subarray(4));
		at += 12 + length;
		if (type === 'IEND') break;
	}
	const pixels = inflateSync(Buffer.concat(idat)).length;
	if (pixels !== height * (1 + 3 * width)) throw new Error(`PNG: ${pixels} bytes of pixel data for ${width} × ${height}`);
	return { format: 'png', width, height };
}

function jpeg(bytes: Buffer): ImageFacts {
	if (bytes.readUInt16BE(bytes.length - 2) !== 0xffd9) throw new Error('JPEG: no end-of-image marker');
	for (let at = 2; at < bytes.length; ) {
		const marker = bytes.readUInt16BE(at);
		if (marker === 0xffc0 || marker === 0xffc2) return { format: 'jpeg', height: bytes.readUInt16BE(at + 5), width: bytes.readUInt16BE(at + 7) };
		at += 2 + bytes.readUInt16BE(at + 2);
	}
	throw new Error('JPEG: no frame header');
}

function webp(bytes: Buffer): ImageFacts {
	if (bytes.readUInt32LE(4) !== bytes.length - 8) throw new Error('WebP: RIFF size does not match');
	if (bytes.toString('latin1', 12, 16) !== 'VP8L' || bytes[20] !== 0x2f) throw new Error('WebP: not a VP8L image');
	const bits = bytes.readUInt32LE(21);
	return { format: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
}

export function imageFacts(bytes: Buffer): ImageFacts {
	if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return png(bytes);
	if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return jpeg(bytes);
	if (bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return webp(bytes);
	throw new Error(`not a PNG, JPEG or WebP image (starts ${bytes.subarray(0, 8).toString('hex')})`);
}
