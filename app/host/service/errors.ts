import type { HostError } from '../../core/contract';

// Failures the artist should read: a code for the editor, a message in words. Anything else that
// escapes a handler is reported as 'internal', with every known key cut out of its message.

export class HostFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HostFailure';
  }
}

/** Cuts every given secret out of a text. */
export function redactor(secrets: () => Iterable<string>): (text: string) => string {
  return (text) => {
    let out = text;
    for (const s of secrets()) if (s.length >= 4) out = out.split(s).join('[api key]');
    return out;
  };
}

export function toHostError(e: unknown, redact: (text: string) => string): HostError {
  if (e instanceof HostFailure) return { error: { code: e.code, message: redact(e.message) } };
  const message = e instanceof Error ? e.message : String(e);
  return { error: { code: 'internal', message: redact(`something went wrong on the host: ${message}`).slice(0, 2000) } };
}
