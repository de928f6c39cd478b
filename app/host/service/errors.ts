import { HostFailure, type HostError } from '../../core/contract';
import { keyScrubber } from '../../runware/scrub';

// Failures the artist should read are HostFailures (app/core/contract.ts): a code for the editor, a
// message in words. Anything else that escapes a handler is reported as 'internal', with every known
// key cut out of its message.

/** Cuts every given secret (and its encodings, as the client does) out of a text. */
export function redactor(secrets: () => Iterable<string>): (text: string) => string {
  return (text) => keyScrubber(secrets())(text);
}

export function toHostError(e: unknown, redact: (text: string) => string): HostError {
  if (e instanceof HostFailure) return { error: { code: e.code, message: redact(e.message) } };
  const message = e instanceof Error ? e.message : String(e);
  return { error: { code: 'internal', message: redact(`something went wrong on the host: ${message}`).slice(0, 2000) } };
}
