import { createHash } from 'node:crypto';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageKind } from '../../core/image-kind';
import { writeFileAtomic } from '../files';
import { FrameImageError, imageFromData } from '../jobs/frame-images';
import { HostFailure } from './errors';

// Images dropped into the editor are kept in <data>/images under their content hash, after they
// pass the same checks a run makes (base64, size, and bytes that prove them real images: a name or
// a MIME type is never trusted), so an image the editor takes is one a run takes.

const EXT: Record<ImageKind, string> = { png: 'png', jpeg: 'jpg', webp: 'webp', gif: 'gif', bmp: 'bmp' };

export async function importImage(dataDir: string, name: string, base64: string): Promise<string> {
  // a data: URL is accepted too, as a browser's FileReader gives it
  let image: { bytes: Uint8Array; kind: ImageKind };
  try {
    image = imageFromData(base64, JSON.stringify(name));
  } catch (e) {
    if (e instanceof FrameImageError) throw new HostFailure('not-an-image', e.message);
    throw e;
  }
  const { bytes, kind } = image;
  const dir = join(dataDir, 'images');
  const file = join(dir, `${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}.${EXT[kind]}`);
  if (!(await stat(file).catch(() => undefined))?.isFile()) {
    await mkdir(dir, { recursive: true });
    await writeFileAtomic(file, bytes);
  }
  return file;
}
