// Where runs may go, and where the API key may travel: one rule for the CLI, the host and the
// editor (whose "Copy as curl" names the same URL).

export const RUNWARE_URL = 'https://api.runware.ai/v1';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** An http(s) endpoint URL, or undefined when the text is not one. */
export function parseEndpointUrl(text: string | undefined): URL | undefined {
  if (!text) return undefined;
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** The key travels only where nobody else can read it: over https, or to this machine. */
export const keyMayTravelTo = (url: URL): boolean => url.protocol === 'https:' || LOOPBACK_HOSTS.has(url.hostname);
