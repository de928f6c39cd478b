// What a frame image value is: an uploaded image's UUID, a URL, a data URI, bare base64, or a
// file on this machine (uploaded when the task runs). Pure, so the editor and the runner agree.

export type ImageRef =
  | { kind: 'uuid'; value: string }
  | { kind: 'url'; value: string }
  | { kind: 'dataUri'; value: string }
  | { kind: 'base64'; value: string }
  | { kind: 'file'; path: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function classifyImageRef(value: string): ImageRef {
  if (UUID.test(value)) return { kind: 'uuid', value };
  if (/^https?:\/\//i.test(value)) return { kind: 'url', value };
  if (/^data:/i.test(value)) return { kind: 'dataUri', value };
  if (/^file:\/\//i.test(value)) return { kind: 'file', path: decodeURIComponent(value.replace(/^file:\/\/(localhost)?/i, '')) };
  // long runs of the base64 alphabet with no path separators are data, anything else is a path
  if (value.length >= 64 && /^[A-Za-z0-9+/]+={0,2}$/.test(value)) return { kind: 'base64', value };
  return { kind: 'file', path: value };
}

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
