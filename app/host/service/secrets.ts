import type { KeyStatus } from '../../core/contract';

// Where the API key is kept. The desktop app keeps it with the system's key store; browser mode
// keeps it in memory for the session, or takes it from RUNWARE_API_KEY.

export interface SecretStore {
  status(): Promise<KeyStatus>;
  /** The key in use, if any. Only the host reads it; it never crosses to the editor. */
  get(): Promise<string | undefined>;
  /** `remember: false` keeps it for this session only. */
  set(key: string, remember: boolean): Promise<void>;
  clear(): Promise<void>;
}

export const BROWSER_REMEMBER_NOTE =
  'Browser mode cannot store keys safely, so the key is kept for this session only. To keep it, set RUNWARE_API_KEY before starting wan-graph, or use the desktop app.';

/** Browser mode: the session's key in memory, else RUNWARE_API_KEY from the environment. */
export class SessionSecretStore implements SecretStore {
  #key: string | undefined;
  #askedToRemember = false;
  readonly #envKey: string | undefined;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.#envKey = env.RUNWARE_API_KEY?.trim() || undefined;
  }

  async status(): Promise<KeyStatus> {
    // nothing is written anywhere, so there is nothing on disk to protect
    if (this.#key) return { set: true, source: 'session', protected: true, ...(this.#askedToRemember && { note: BROWSER_REMEMBER_NOTE }) };
    if (this.#envKey) return { set: true, source: 'environment', protected: true, note: 'The key comes from RUNWARE_API_KEY in the environment.' };
    return { set: false, source: 'none', protected: true };
  }

  async get(): Promise<string | undefined> {
    return this.#key ?? this.#envKey;
  }

  async set(key: string, remember: boolean): Promise<void> {
    this.#key = key;
    this.#askedToRemember = remember;
  }

  async clear(): Promise<void> {
    this.#key = undefined;
    this.#askedToRemember = false;
  }
}
