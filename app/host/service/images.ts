import { createHash } from 'node:crypto';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { classifyImageRef } from '../../core/image-ref';
import type { ImageKind } from '../../core/support/image-kind';
import { writeFileAtomic } from '../file-io';
import { FrameImageError, graphBaseDir, imageFromData, localPath, readLocalImage } from '../jobs/frame-images';
import { HostFailure } from '../../core/contract';

// Images dropped or picked in the editor are kept in <data>/images/<content hash>/<their name>,
// after they pass the same checks a run makes (base64, size, and bytes that prove them real
// images: a name or a MIME type is never trusted), so an image the editor takes is one a run
// takes. The name is kept so a Frame Image node can be titled after it; the same bytes under the
// same name are kept once.

const EXT: Record<ImageKind, string> = { png: 'png', jpeg: 'jpg', webp: 'webp', gif: 'gif', bmp: 'bmp' };

/** A file name's stem made safe for any file system: no separators, control or reserved characters. */
function safeStem(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const stem = base.replace(/\.[^.]*$/, '');
  // eslint-disable-next-line no-control-regex
  const clean = stem.replace(/[\u0000-\u001f<>:"|?*\\/]/g, '_').replace(/^[\s.]+|[\s.]+$/g, '').slice(0, 100);
  return clean || 'image';
}

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
  const dir = join(dataDir, 'images', createHash('sha256').update(bytes).digest('hex').slice(0, 16));
  const file = join(dir, `${safeStem(name)}.${EXT[kind]}`);
  if (!(await stat(file).catch(() => undefined))?.isFile()) {
    await mkdir(dir, { recursive: true });
    await writeFileAtomic(file, bytes);
  }
  return file;
}

/**
 * A frame image that is a file on this machine, as a data URI the editor can show in its node:
 * the same file, checks and limits the runner uploads when the graph runs (relative paths are
 * relative to the graph file). Only local files: URLs are loaded by the page itself.
 */
export async function previewImage(image: string, graphFile: string | undefined): Promise<string> {
  const ref = classifyImageRef(image);
  if (ref.kind !== 'file') throw new HostFailure('bad-input', 'only a frame image that is a local file is read by the host; URLs and data URIs are shown by the editor');
  try {
    return (await readLocalImage(localPath(ref.path, graphBaseDir(graphFile)))).dataUri;
  } catch (e) {
    throw new HostFailure('not-an-image', (e as Error).message);
  }
}
