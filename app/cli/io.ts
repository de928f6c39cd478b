// What every command writes to and how it ends: the streams it is given and the exit codes.

export interface Io {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown };
  env?: NodeJS.ProcessEnv;
  /** Whether a person can answer a question (process.stdin when not given). */
  stdin?: { isTTY?: boolean };
  /** Asks a question on the terminal and gives the answer (readline on process.stdin when not given). */
  ask?: (question: string) => Promise<string>;
}

/** Exit codes: 0 ok, 1 invalid graph, a job not finished or a file or port the system refused, 2 usage. */
export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;
