// What every command writes to and how it ends: the streams it is given and the exit codes.

export interface Io {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown };
  env?: NodeJS.ProcessEnv;
}

/** Exit codes: 0 ok, 1 invalid graph, a job not finished or a file or port the system refused, 2 usage. */
export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;
