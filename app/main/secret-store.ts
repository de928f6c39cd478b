import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { HostFailure, type KeyStatus } from '../core/contract';
import { writeFileAtomic } from '../host/file-io';
import type { SecretStore } from '../host/service/secrets';

// The desktop app keeps the API key encrypted by the system's key store (Electron's safeStorage),
// in one small file. safeStorage is passed in rather than imported so this runs and is tested
// without Electron.

/** The part of Electron's safeStorage used here. */
export interface KeyCipher {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ shouldReEncrypt: boolean; result: string }>;
  /** Linux only. */
  getSelectedStorageBackend?(): string;
}

export interface SafeStorageSecretStoreOptions {
  cipher: KeyCipher;
  /** The encrypted key, e.g. `<dataDir>/api-key.bin`. */
  file: string;
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
}

const ENV_NOTE = 'The key comes from RUNWARE_API_KEY in the environment.';
const UNREADABLE_NOTE = 'The stored key could not be read (the system key store may have changed or been reset); set it again.';
const NO_KEY_STORE_NOTE =
  'This system offers no key store (Electron’s basic_text backend on Linux), so a remembered key would only be obscured on disk, not protected. Keep it for this session only (leave "Remember the key" unticked), or set RUNWARE_API_KEY before starting Wan Graph.';
const UNAVAILABLE_NOTE =
  'The system key store is not available, so the key can be kept for this session only (leave "Remember the key" unticked), or set RUNWARE_API_KEY before starting Wan Graph.';

export class SafeStorageSecretStore implements SecretStore {
  readonly #cipher: KeyCipher;
  readonly #file: string;
  readonly #platform: NodeJS.Platform;
  readonly #envKey: string | undefined;
  /** The key in use from the session or the store, once known; decrypted once, then kept here. */
  #key: string | undefined;
  #source: 'session' | 'store' | undefined;
  #loaded = false;
  #unreadable = false;
  /** Every change and the first read run one after another, so the file always ends as the last call left it. */
  #queue: Promise<void> = Promise.resolve();

  constructor(opts: SafeStorageSecretStoreOptions) {
    this.#cipher = opts.cipher;
    this.#file = opts.file;
    this.#platform = opts.platform ?? process.platform;
    this.#envKey = (opts.env ?? process.env).RUNWARE_API_KEY?.trim() || undefined;
  }

  async status(): Promise<KeyStatus> {
    await this.#ensureLoaded();
    const available = await this.#available();
    // 'unknown' only comes before the app is ready; the host asks after it, and guessing "not
    // protected" then would steer artists away from a key store that works.
    const basicText = this.#platform === 'linux' && this.#cipher.getSelectedStorageBackend?.() === 'basic_text';
    const isProtected = available && !basicText;
    const source = this.#key && this.#source ? this.#source : this.#envKey ? 'environment' : 'none';
    const notes = [
      this.#unreadable && UNREADABLE_NOTE,
      !available ? UNAVAILABLE_NOTE : basicText && NO_KEY_STORE_NOTE,
      source === 'environment' && ENV_NOTE,
    ].filter((n): n is string => !!n);
    return { set: source !== 'none', source, protected: isProtected, ...(notes.length > 0 && { note: notes.join(' ') }) };
  }

  async get(): Promise<string | undefined> {
    await this.#ensureLoaded();
    return this.#key ?? this.#envKey;
  }

  async set(key: string, remember = true): Promise<void> {
    await this.#serial(async () => {
      if (remember) {
        if (!(await this.#available()))
          throw new HostFailure('refused', 'The system key store is not available, so the key cannot be remembered. It can be kept for this session only: untick "Remember the key".');
        await this.#write(key);
      } else {
        await rm(this.#file, { force: true });
      }
      this.#remember(key, remember ? 'store' : 'session');
    });
  }

  async clear(): Promise<void> {
    await this.#serial(async () => {
      await rm(this.#file, { force: true });
      this.#remember(undefined, undefined);
    });
  }

  #remember(key: string | undefined, source: 'session' | 'store' | undefined): void {
    this.#key = key;
    this.#source = source;
    this.#loaded = true;
    this.#unreadable = false;
  }

  async #available(): Promise<boolean> {
    return this.#cipher.isAsyncEncryptionAvailable().catch(() => false);
  }

  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task);
    this.#queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  async #ensureLoaded(): Promise<void> {
    // once loaded, reads answer from memory and never wait behind a write
    if (!this.#loaded) await this.#serial(() => this.#load());
  }

  async #load(): Promise<void> {
    if (this.#loaded) return;
    this.#loaded = true;
    let bytes: Buffer;
    try {
      bytes = await readFile(this.#file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.#unreadable = true;
      return;
    }
    let decrypted: { shouldReEncrypt: boolean; result: string };
    try {
      decrypted = await this.#cipher.decryptStringAsync(bytes);
    } catch {
      // the file stays: the key store may come back on a later start, and setting a key replaces it
      this.#unreadable = true;
      return;
    }
    if (!decrypted.result) {
      this.#unreadable = true;
      return;
    }
    this.#key = decrypted.result;
    this.#source = 'store';
    // the key store rotated its key; the old bytes still read, so failing to rewrite them is harmless
    if (decrypted.shouldReEncrypt) await this.#write(decrypted.result).catch(() => {});
  }

  /** Encrypts and replaces the file whole, readable by this user only. */
  async #write(key: string): Promise<void> {
    const bytes = await this.#cipher.encryptStringAsync(key);
    await mkdir(dirname(this.#file), { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.#file, bytes, 0o600);
  }
}
