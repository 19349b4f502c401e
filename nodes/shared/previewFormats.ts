/**
 * The file kinds Dropbox makes thumbnails and previews of, as files.stone's routes list them
 * (get_thumbnail_v2 / get_thumbnail_batch, get_preview); a test keeps them equal to the spec.
 */
export const THUMBNAIL_EXTENSIONS = ['jpg', 'jpeg', 'png', 'tiff', 'tif', 'gif', 'webp', 'ppm', 'bmp'];
export const PDF_PREVIEW_EXTENSIONS = ['ai', 'doc', 'docm', 'docx', 'eps', 'gdoc', 'gslides', 'odp', 'odt', 'pps', 'ppsm', 'ppsx', 'ppt', 'pptm', 'pptx', 'rtf'];
export const HTML_PREVIEW_EXTENSIONS = ['csv', 'ods', 'xls', 'xlsm', 'gsheet', 'xlsx'];

/** The extensions as a sentence: ".csv .ods .xls". */
export const dotted = (extensions: string[]): string => extensions.map((extension) => `.${extension}`).join(' ');

/** What get_preview makes of a file, by its name: a PDF, an HTML page, or (undefined) no preview. */
export function previewKind(fileName: string): 'pdf' | 'html' | undefined {
	const dot = fileName.lastIndexOf('.');
	const extension = dot > 0 ? fileName.slice(dot + 1).toLowerCase() : '';
	if (PDF_PREVIEW_EXTENSIONS.includes(extension)) return 'pdf';
	if (HTML_PREVIEW_EXTENSIONS.includes(extension)) return 'html';
	return undefined;
}

/** The name of a file made from `fileName` in another format: "Letter.docx" → "Letter.pdf". */
export function renamedAs(fileName: string, extension: string): string {
	const dot = fileName.lastIndexOf('.');
	return `${dot > 0 ? fileName.slice(0, dot) : fileName}.${extension}`;
}
