import { createHash } from 'node:crypto';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ImageSniffError, sniffImage, type ImageKind } from '../../core/image-kind';
import { writeFileAtomic } from '../files';
import { HostFailure } from './errors';

// Images dropped into the editor are kept in <data>/images under their content hash, after their
// bytes prove them real images: a name or a MIME type is never trusted.

const EXT: Record<ImageKind, string> = { png: 'png', jpeg: 'jpg', webp: 'webp', gif: 'gif', bmp: 'bmp' };

export async function importImage(dataDir: string, name: string, base64: string): Promise<string> {
  // a data: URL is accepted too, as a browser's FileReader gives it
  const body = base64.replace(/^data:[^,]*;base64,/, '');
  const bytes = Buffer.from(body, 'base64');
  let kind: ImageKind;
  try {
    kind = sniffImage(bytes).kind;
  } catch (e) {
    if (e instanceof ImageSniffError) throw new HostFailure('not-an-image', `"${name}" cannot be used as a frame image: ${e.message}`);
    throw e;
  }
  const dir = join(dataDir, 'images');
  const file = join(dir, `${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}.${EXT[kind]}`);
  if (!(await stat(file).catch(() => undefined))?.isFile()) {
    await mkdir(dir, { recursive: true });
    await writeFileAtomic(file, bytes);
  }
  return file;
}
