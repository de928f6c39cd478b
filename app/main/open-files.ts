import { isAbsolute, resolve } from 'node:path';
import type { DesktopEvent } from '../core/contract';

// Graph files the app is asked to open from outside: on its command line, from a second start
// (the file manager, a file association), or macOS's open-file event. They wait until the editor
// has started and asked for them; after that they go to it at once.

/** The graph files among command-line arguments (the executable and the app's own path are not). */
export function graphPathsFromArgv(argv: readonly string[], cwd: string): string[] {
  return argv
    .slice(1)
    .filter((a) => !a.startsWith('-') && /\.json$/i.test(a))
    .map((a) => (isAbsolute(a) ? a : resolve(cwd, a)));
}

export class PendingFiles {
  #waiting: string[] = [];
  #send: ((event: DesktopEvent) => void) | undefined;

  add(paths: readonly string[]): void {
    for (const path of paths) {
      if (this.#send) this.#send({ type: 'open-file', path });
      else if (!this.#waiting.includes(path)) this.#waiting.push(path);
    }
  }

  /** The editor is ready: it takes what has waited, and later files are sent to it directly. */
  take(send: (event: DesktopEvent) => void): string[] {
    this.#send = send;
    const waiting = this.#waiting;
    this.#waiting = [];
    return waiting;
  }

  /** The editor's window went away (macOS keeps running): files wait again. */
  detach(): void {
    this.#send = undefined;
  }
}
