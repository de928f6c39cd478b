// Recognises frame images by their bytes (never by a name or a declared MIME type) before any of
// them reaches ffmpeg: only PNG, JPEG, WEBP, GIF and BMP pass, and only with a readable header whose
// size is sane. This keeps ffmpeg's format probing (playlists, concat scripts, …) out of reach of
// whatever bytes a request carries, and turns a decompression bomb into a clear error.

export type ImageKind = 'png' | 'jpeg' | 'webp' | 'gif' | 'bmp';

export interface SniffedImage {
  kind: ImageKind;
  width: number;
  height: number;
}

/**
 * Limits for frame images, the same at import, compile, run and in the sandbox. Runware sets no
 * byte limit and keeps uploads at 2048 px on the long side, so these are ours: 20 MB holds any
 * 2048 × 2048 image at 8 bits a channel, and an upload of it (base64, about 27 MB) fits a request
 * (docs/decisions/007-frame-images-and-cost.md).
 */
export const IMAGE_LIMITS = { maxBytes: 20 * 1024 * 1024, maxSide: 16384, maxPixels: 50_000_000 } as const;

export class ImageSniffError extends Error {
  override name = 'ImageSniffError';
}

const u16be = (b: Uint8Array, i: number): number => ((b[i] ?? 0) << 8) | (b[i + 1] ?? 0);
const u16le = (b: Uint8Array, i: number): number => (b[i] ?? 0) | ((b[i + 1] ?? 0) << 8);
const u24le = (b: Uint8Array, i: number): number => u16le(b, i) | ((b[i + 2] ?? 0) << 16);
const u32be = (b: Uint8Array, i: number): number => u16be(b, i) * 0x10000 + u16be(b, i + 2);
const u32le = (b: Uint8Array, i: number): number => u16le(b, i) + u16le(b, i + 2) * 0x10000;
const i32le = (b: Uint8Array, i: number): number => u32le(b, i) | 0;
const ascii = (b: Uint8Array, i: number, n: number): string => String.fromCharCode(...b.subarray(i, i + n));
const startsWith = (b: Uint8Array, sig: readonly number[]): boolean => sig.every((v, i) => b[i] === v);

const PNG_SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const BMP_DIB_SIZES = new Set([12, 16, 40, 52, 56, 64, 108, 124]);

/** The image kind from the leading bytes alone, or undefined. */
function imageKindOf(bytes: Uint8Array): ImageKind | undefined {
  if (startsWith(bytes, PNG_SIG)) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return 'webp';
  if (bytes.length >= 6 && (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a')) return 'gif';
  if (bytes.length >= 18 && ascii(bytes, 0, 2) === 'BM' && BMP_DIB_SIZES.has(u32le(bytes, 14))) return 'bmp';
  return undefined;
}

function jpegSize(b: Uint8Array): [number, number] | undefined {
  let i = 2;
  while (i + 3 < b.length) {
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1] ?? 0;
    if (marker === 0xff) { i += 1; continue; } // fill byte
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { i += 2; continue; } // no length
    if (marker === 0xd9 || marker === 0xda) return undefined; // end of image / scan before any frame header
    const length = u16be(b, i + 2);
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) return i + 9 <= b.length ? [u16be(b, i + 7), u16be(b, i + 5)] : undefined;
    if (length < 2) return undefined;
    i += 2 + length;
  }
  return undefined;
}

function webpSize(b: Uint8Array): [number, number] | undefined {
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8 ' && b.length >= 30 && startsWith(b.subarray(23), [0x9d, 0x01, 0x2a])) return [u16le(b, 26) & 0x3fff, u16le(b, 28) & 0x3fff];
  if (chunk === 'VP8L' && b.length >= 25 && b[20] === 0x2f) {
    const bits = u32le(b, 21);
    return [(bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1];
  }
  if (chunk === 'VP8X' && b.length >= 30) return [u24le(b, 24) + 1, u24le(b, 27) + 1];
  return undefined;
}

function sizeOf(kind: ImageKind, b: Uint8Array): [number, number] | undefined {
  switch (kind) {
    case 'png':
      return b.length >= 24 && ascii(b, 12, 4) === 'IHDR' ? [u32be(b, 16), u32be(b, 20)] : undefined;
    case 'gif':
      return b.length >= 10 ? [u16le(b, 6), u16le(b, 8)] : undefined;
    case 'bmp':
      if (u32le(b, 14) === 12) return b.length >= 22 ? [u16le(b, 18), u16le(b, 20)] : undefined;
      return b.length >= 26 ? [i32le(b, 18), Math.abs(i32le(b, 22))] : undefined;
    case 'jpeg':
      return jpegSize(b);
    case 'webp':
      return webpSize(b);
  }
}

const MB = 1024 * 1024;

/** Why an image of this many bytes is refused, or undefined if its size is fine. */
export function imageSizeProblem(byteLength: number): string | undefined {
  if (byteLength === 0) return 'the image is empty (0 bytes)';
  if (byteLength <= IMAGE_LIMITS.maxBytes) return undefined;
  // never show a size that rounds down to the limit itself
  const size = byteLength < IMAGE_LIMITS.maxBytes + 0.05 * MB ? `${byteLength} bytes` : `${(byteLength / MB).toFixed(1)} MB`;
  return `the image is ${size}; frame images are limited to ${IMAGE_LIMITS.maxBytes / MB} MB`;
}

const hexHead = (b: Uint8Array): string => Array.from(b.subarray(0, 8), (v) => v.toString(16).padStart(2, '0')).join(' ');

/** Checks that the bytes are a supported image with a sane size; throws ImageSniffError otherwise. */
export function sniffImage(bytes: Uint8Array): SniffedImage {
  const tooLarge = imageSizeProblem(bytes.length);
  if (tooLarge) throw new ImageSniffError(tooLarge);
  const kind = imageKindOf(bytes);
  if (!kind) throw new ImageSniffError(`not a PNG, JPEG, WEBP, GIF or BMP image (it starts with ${hexHead(bytes)})`);
  const size = sizeOf(kind, bytes);
  if (!size) throw new ImageSniffError(`the ${kind.toUpperCase()} image is truncated or its header is unreadable`);
  const [width, height] = size;
  if (width < 1 || height < 1) throw new ImageSniffError(`the ${kind.toUpperCase()} image has no pixels (${width}×${height})`);
  if (width > IMAGE_LIMITS.maxSide || height > IMAGE_LIMITS.maxSide || width * height > IMAGE_LIMITS.maxPixels) {
    throw new ImageSniffError(`the ${kind.toUpperCase()} image is too large (${width}×${height}; at most ${IMAGE_LIMITS.maxSide} px a side and ${IMAGE_LIMITS.maxPixels} pixels)`);
  }
  return { kind, width, height };
}
