// What leaves the artist's hands with a result (its provenance file, the video's own metadata, the
// job as the editor and the CLI show it) is a shareable copy: every URL in it loses its query,
// fragment and user-info, where presigned signatures, webhook tokens and passwords live. The
// graph file keeps what the artist typed, and the journal keeps the exact payload it may resend.

/** scheme:// then the authority, the path, and the query or fragment, up to a space or a quote. */
const URL_IN_TEXT = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#"'<>`]*)([^\s?#"'<>`]*)(?:[?#][^\s"'<>`]*)?/gi;

/** A text with every URL in it cut down to scheme, host and path. */
export function shareableText(text: string): string {
  return text.replace(URL_IN_TEXT, (_all, scheme: string, authority: string, path: string) => scheme + authority.slice(authority.lastIndexOf('@') + 1) + path);
}

/** A copy of a payload, a graph or any JSON value with every string made shareable. */
export function shareable<T>(value: T): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return shareableText(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}
