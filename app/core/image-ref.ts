import { ImageSniffError, imageSizeProblem, sniffImage, type SniffedImage } from './support/image-kind';

// What a frame image value is — an uploaded image's UUID, a URL, a data URI, bare base64, or a
// file on this machine (uploaded when the task runs) — and the one rule for inline image data:
// which data URIs and base64 texts are accepted, how they decode, how large they may be. Pure, so
// the editor, the compiler, the runner, the image import and the sandbox all agree.

export type ImageRef =
  | { kind: 'uuid'; value: string }
  | { kind: 'url'; value: string }
  | { kind: 'dataUri'; value: string }
  | { kind: 'base64'; value: string }
  | { kind: 'file'; path: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BASE64_TEXT = /^[A-Za-z0-9+/]+={0,2}$/;

export function classifyImageRef(value: string): ImageRef {
  if (UUID.test(value)) return { kind: 'uuid', value };
  if (/^https?:\/\//i.test(value)) return { kind: 'url', value };
  if (/^data:/i.test(value)) return { kind: 'dataUri', value };
  if (/^file:\/\//i.test(value)) return { kind: 'file', path: decodeURIComponent(value.replace(/^file:\/\/(localhost)?/i, '')) };
  // long runs of the base64 alphabet with no path separators are data, anything else is a path
  if (value.length >= 64 && BASE64_TEXT.test(value)) return { kind: 'base64', value };
  return { kind: 'file', path: value };
}

/** Inline image data that breaks the rule; the message says what is wrong, without the data. */
export class ImageDataError extends Error {
  override name = 'ImageDataError';
}

/** `data:[type][;name=value]*;base64,` — the form a browser's FileReader gives. */
const DATA_URI_HEAD = /^data:([\w.+-]+\/[\w.+-]+)?((?:;[\w.+-]+=[\w.+-]+)*);base64,/i;

export interface InlineImage {
  /** The declared type of a data URI (never trusted: the bytes decide). */
  mediaType?: string;
  base64: string;
  /** How many bytes the base64 text decodes to. */
  byteLength: number;
}

/**
 * A data URI or bare base64, checked without decoding (cheap enough for every compile): the
 * standard alphabet only, no whitespace, padded to a multiple of 4, not empty, and at most the
 * image size limit once decoded. Throws ImageDataError.
 */
export function parseInlineImage(value: string): InlineImage {
  let base64 = value;
  let mediaType: string | undefined;
  if (/^data:/i.test(value)) {
    const head = DATA_URI_HEAD.exec(value);
    if (!head) throw new ImageDataError(`a data URI must carry base64, as in "data:image/png;base64,…" (it starts with "${value.slice(0, 40)}")`);
    base64 = value.slice(head[0].length);
    mediaType = head[1];
  }
  if (base64.length === 0) throw new ImageDataError('the base64 data is empty');
  const bad = base64.search(/[^A-Za-z0-9+/=]/);
  if (bad >= 0) throw new ImageDataError(`the base64 data has a character outside A–Z, a–z, 0–9, "+", "/" and "=" padding at position ${bad + 1}`);
  if (!BASE64_TEXT.test(base64)) throw new ImageDataError('the base64 data has "=" padding before its end');
  if (base64.length % 4 !== 0) throw new ImageDataError(`the base64 data is cut short or not padded (its length, ${base64.length}, is not a multiple of 4)`);
  const byteLength = (base64.length / 4) * 3 - (base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0);
  const tooLarge = imageSizeProblem(byteLength);
  if (tooLarge) throw new ImageDataError(tooLarge);
  return { ...(mediaType !== undefined && { mediaType }), base64, byteLength };
}

/** The bytes of a data URI or bare base64 that passes parseInlineImage; throws ImageDataError. */
export function decodeInlineImage(value: string): Uint8Array {
  const { base64, byteLength } = parseInlineImage(value);
  const text = atob(base64);
  const bytes = new Uint8Array(byteLength);
  for (let i = 0; i < byteLength; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** Inline data decoded and checked to be an image (kind, header, size); throws ImageDataError. */
export function readInlineImage(value: string): SniffedImage & { bytes: Uint8Array } {
  const bytes = decodeInlineImage(value);
  try {
    return { ...sniffImage(bytes), bytes };
  } catch (e) {
    if (e instanceof ImageSniffError) throw new ImageDataError(e.message);
    throw e;
  }
}

const verdicts = new Map<string, string | undefined>();
/** Characters the remembered values hold, kept to about two of the largest images allowed. */
const VERDICT_CHARS_MAX = 64 * 1024 * 1024;
let verdictChars = 0;

/**
 * Why inline image data is refused, or undefined. Remembers its last answers: the compiler asks
 * again on every edit about the same (possibly megabytes long) value.
 */
export function inlineImageProblem(value: string): string | undefined {
  if (verdicts.has(value)) return verdicts.get(value);
  let problem: string | undefined;
  try {
    readInlineImage(value);
  } catch (e) {
    if (!(e instanceof ImageDataError)) throw e;
    problem = e.message;
  }
  for (const old of verdicts.keys()) {
    if (verdicts.size < 16 && verdictChars + value.length <= VERDICT_CHARS_MAX) break;
    verdicts.delete(old);
    verdictChars -= old.length;
  }
  verdicts.set(value, problem);
  verdictChars += value.length;
  return problem;
}

/** The one way a refused frame image is reported, wherever it was refused. */
export const frameImageRefusal = (subject: string, problem: string): string => `frame image ${subject}: ${problem}`;

/** The file name an image goes by (a local file's, or a URL's last path segment), if it has one. */
export function imageName(value: string): string | undefined {
  const ref = classifyImageRef(value);
  let last: string | undefined;
  if (ref.kind === 'file') last = ref.path.split(/[\\/]/).pop();
  else if (ref.kind === 'url') {
    try {
      last = decodeURIComponent(new URL(ref.value).pathname.split('/').pop() ?? '');
    } catch {
      last = undefined;
    }
  }
  return last?.trim() ? last.trim().slice(0, 200) : undefined;
}
