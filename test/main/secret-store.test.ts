import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HostFailure } from '../../app/core/contract';
import { type KeyCipher, SafeStorageSecretStore } from '../../app/main/secret-store';

// A stand-in for Electron's safeStorage that really encrypts: AES-256-GCM under a random key, with
// a version byte in front so a key rotation (shouldReEncrypt) can be played out.
class FakeCipher implements KeyCipher {
  readonly #secret = randomBytes(32);
  version = 1;
  available = true;
  backend: string | undefined = undefined;
  encrypts = 0;
  decrypts = 0;
  failEncrypt = false;

  async isAsyncEncryptionAvailable(): Promise<boolean> {
    return this.available;
  }

  async encryptStringAsync(plainText: string): Promise<Buffer> {
    this.encrypts++;
    // yield a few turns so an unserialized clear() would overtake the write
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    if (this.failEncrypt) throw new Error('encryption failed');
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.#secret, iv);
    const body = Buffer.concat([c.update(plainText, 'utf8'), c.final()]);
    return Buffer.concat([Buffer.from([this.version]), iv, c.getAuthTag(), body]);
  }

  async decryptStringAsync(encrypted: Buffer): Promise<{ shouldReEncrypt: boolean; result: string }> {
    this.decrypts++;
    const d = createDecipheriv('aes-256-gcm', this.#secret, encrypted.subarray(1, 13));
    d.setAuthTag(encrypted.subarray(13, 29));
    const result = Buffer.concat([d.update(encrypted.subarray(29)), d.final()]).toString('utf8');
    return { shouldReEncrypt: encrypted[0]! < this.version, result };
  }

  getSelectedStorageBackend(): string {
    return this.backend ?? 'unknown';
  }
}

const KEY = 'rw-test-key-0123456789abcdef';
let dir: string;
let file: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wan-secret-store-'));
  file = join(dir, 'api-key.bin');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const store = (cipher: KeyCipher, opts: { env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform; file?: string } = {}) =>
  new SafeStorageSecretStore({ cipher, file: opts.file ?? file, platform: opts.platform ?? 'darwin', env: opts.env ?? {} });

const exists = (path: string) => stat(path).then(
  () => true,
  () => false,
);

describe('SafeStorageSecretStore: remembering the key', () => {
  it('writes the key encrypted, never in plain text, and reads it back', async () => {
    const cipher = new FakeCipher();
    const s = store(cipher);
    await s.set(KEY, true);
    const bytes = await readFile(file);
    expect(bytes.length).toBeGreaterThan(0);
    expect(bytes.includes(Buffer.from(KEY))).toBe(false);
    expect(bytes.toString('latin1')).not.toContain(KEY);
    expect(await s.get()).toBe(KEY);
    expect(await s.status()).toEqual({ set: true, source: 'store', protected: true });
    expect(cipher.encrypts).toBe(1);
    expect(cipher.decrypts).toBe(0); // kept in memory after set
    expect(await readdir(dir)).toEqual(['api-key.bin']); // no temporary file left behind
  });

  it('a new store on the same file finds the key in the store, decrypting it once', async () => {
    const cipher = new FakeCipher();
    await store(cipher).set(KEY, true);
    const again = store(cipher);
    expect(await again.status()).toEqual({ set: true, source: 'store', protected: true });
    expect(await again.get()).toBe(KEY);
    expect(await again.get()).toBe(KEY);
    expect(cipher.decrypts).toBe(1);
  });

  it('creates the folder when it does not exist yet', async () => {
    const nested = join(dir, 'data', 'deeper', 'api-key.bin');
    const cipher = new FakeCipher();
    await store(cipher, { file: nested }).set(KEY, true);
    expect(await store(cipher, { file: nested }).get()).toBe(KEY);
  });

  it.skipIf(process.platform === 'win32')('leaves the file readable by this user only', async () => {
    const cipher = new FakeCipher();
    await store(cipher).set(KEY, true);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    // a rewrite after a key rotation keeps it so
    cipher.version = 2;
    await store(cipher).get();
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('a failed encryption leaves the old key and file as they were', async () => {
    const cipher = new FakeCipher();
    const s = store(cipher);
    await s.set(KEY, true);
    const before = await readFile(file);
    cipher.failEncrypt = true;
    await expect(s.set('rw-other-key', true)).rejects.toThrow('encryption failed');
    expect(await readFile(file)).toEqual(before);
    expect(await readdir(dir)).toEqual(['api-key.bin']);
    expect(await s.get()).toBe(KEY);
    // and later calls still run
    cipher.failEncrypt = false;
    await s.set('rw-other-key', true);
    expect(await store(cipher).get()).toBe('rw-other-key');
  });
});

describe('SafeStorageSecretStore: session only and clearing', () => {
  it('remember=false keeps the key in memory only and removes a stored one', async () => {
    const cipher = new FakeCipher();
    const s = store(cipher);
    await s.set('rw-old-key', true);
    expect(await exists(file)).toBe(true);
    await s.set(KEY, false);
    expect(await readdir(dir)).toEqual([]);
    expect(await s.get()).toBe(KEY);
    expect(await s.status()).toEqual({ set: true, source: 'session', protected: true });
    expect(await store(cipher).get()).toBeUndefined();
  });

  it('remember=false writes nothing, even with no key store at all', async () => {
    const cipher = new FakeCipher();
    cipher.available = false;
    const s = store(cipher);
    await s.set(KEY, false);
    expect(await readdir(dir)).toEqual([]);
    expect(cipher.encrypts).toBe(0);
    expect(await s.get()).toBe(KEY);
  });

  it('clear removes the file and the key', async () => {
    const cipher = new FakeCipher();
    const s = store(cipher);
    await s.set(KEY, true);
    await s.clear();
    expect(await exists(file)).toBe(false);
    expect(await s.get()).toBeUndefined();
    expect(await s.status()).toEqual({ set: false, source: 'none', protected: true });
    expect(await store(cipher).get()).toBeUndefined();
  });

  it('clear on a store that never loaded still removes the file', async () => {
    const cipher = new FakeCipher();
    await store(cipher).set(KEY, true);
    const fresh = store(cipher);
    await fresh.clear();
    expect(await exists(file)).toBe(false);
    expect(await fresh.get()).toBeUndefined();
  });
});

describe('SafeStorageSecretStore: how well the key is protected', () => {
  it('Linux basic_text: not protected, and the note says so and offers the way out', async () => {
    const cipher = new FakeCipher();
    cipher.backend = 'basic_text';
    const status = await store(cipher, { platform: 'linux' }).status();
    expect(status.protected).toBe(false);
    expect(status.note).toMatch(/no key store/);
    expect(status.note).toMatch(/obscured on disk, not protected/);
    expect(status.note).toMatch(/session only/);
    expect(status.note).toMatch(/Remember the key/);
    expect(status.note).toMatch(/RUNWARE_API_KEY/);
  });

  it('Linux basic_text still remembers the key when asked (the artist was told)', async () => {
    const cipher = new FakeCipher();
    cipher.backend = 'basic_text';
    const s = store(cipher, { platform: 'linux' });
    await s.set(KEY, true);
    const status = await s.status();
    expect(status).toMatchObject({ set: true, source: 'store', protected: false });
    expect(status.note).toMatch(/no key store/);
  });

  it('Linux gnome_libsecret: protected, no note', async () => {
    const cipher = new FakeCipher();
    cipher.backend = 'gnome_libsecret';
    expect(await store(cipher, { platform: 'linux' }).status()).toEqual({ set: false, source: 'none', protected: true });
  });

  it('the Linux backend is not asked about elsewhere, and "unknown" is not taken as unprotected', async () => {
    const cipher = new FakeCipher();
    cipher.backend = 'basic_text';
    expect((await store(cipher, { platform: 'darwin' }).status()).protected).toBe(true);
    cipher.backend = 'unknown';
    expect(await store(cipher, { platform: 'linux' }).status()).toEqual({ set: false, source: 'none', protected: true });
  });

  it('no encryption available: remembering is refused without the key in the message, and nothing is written', async () => {
    const cipher = new FakeCipher();
    cipher.available = false;
    const s = store(cipher);
    const err = await s.set(KEY, true).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HostFailure);
    expect((err as HostFailure).code).toBe('refused');
    expect((err as HostFailure).message).toMatch(/key store is not available/);
    expect((err as HostFailure).message).toMatch(/session only/);
    expect((err as HostFailure).message).not.toContain(KEY);
    expect(await readdir(dir)).toEqual([]);
    expect(cipher.encrypts).toBe(0);
    expect(await s.get()).toBeUndefined();
    const status = await s.status();
    expect(status).toMatchObject({ set: false, source: 'none', protected: false });
    expect(status.note).toMatch(/session only/);
  });
});

describe('SafeStorageSecretStore: a stored key that cannot be read', () => {
  it('corrupt bytes: no throw, not set, and the note asks to set it again', async () => {
    await writeFile(file, randomBytes(64));
    const cipher = new FakeCipher();
    const s = store(cipher);
    expect(await s.get()).toBeUndefined();
    const status = await s.status();
    expect(status).toMatchObject({ set: false, source: 'none' });
    expect(status.note).toMatch(/stored key could not be read.*set it again/);
    await s.get();
    expect(cipher.decrypts).toBe(1); // the failure is remembered, not retried on every read
  });

  it('a reset key store falls back to RUNWARE_API_KEY and says why', async () => {
    await store(new FakeCipher()).set(KEY, true);
    const s = store(new FakeCipher(), { env: { RUNWARE_API_KEY: 'rw-env-key' } }); // a different secret: decryption fails
    expect(await s.get()).toBe('rw-env-key');
    const status = await s.status();
    expect(status).toMatchObject({ set: true, source: 'environment' });
    expect(status.note).toMatch(/could not be read/);
    expect(status.note).toMatch(/RUNWARE_API_KEY in the environment/);
  });

  it('setting the key again replaces the unreadable file and clears the note', async () => {
    await writeFile(file, 'garbage');
    const cipher = new FakeCipher();
    const s = store(cipher);
    expect((await s.status()).note).toMatch(/could not be read/);
    await s.set(KEY, true);
    expect(await s.status()).toEqual({ set: true, source: 'store', protected: true });
    expect(await store(cipher).get()).toBe(KEY);
  });
});

describe('SafeStorageSecretStore: key rotation', () => {
  it('shouldReEncrypt rewrites the file under the new key', async () => {
    const cipher = new FakeCipher();
    await store(cipher).set(KEY, true);
    const before = await readFile(file);
    expect(before[0]).toBe(1);
    cipher.version = 2;
    expect(await store(cipher).get()).toBe(KEY);
    expect(cipher.encrypts).toBe(2);
    const after = await readFile(file);
    expect(after[0]).toBe(2);
    expect(after.equals(before)).toBe(false);
    expect(await readdir(dir)).toEqual(['api-key.bin']);
    // once rewritten, nothing asks for it again
    expect(await store(cipher).get()).toBe(KEY);
    expect(cipher.encrypts).toBe(2);
  });
});

describe('SafeStorageSecretStore: the environment key', () => {
  it('RUNWARE_API_KEY, trimmed, when nothing else is set', async () => {
    const s = store(new FakeCipher(), { env: { RUNWARE_API_KEY: '  rw-env-key \n' } });
    expect(await s.get()).toBe('rw-env-key');
    expect(await s.status()).toEqual({ set: true, source: 'environment', protected: true, note: 'The key comes from RUNWARE_API_KEY in the environment.' });
  });

  it('a blank RUNWARE_API_KEY is no key', async () => {
    const s = store(new FakeCipher(), { env: { RUNWARE_API_KEY: '   ' } });
    expect(await s.get()).toBeUndefined();
    expect((await s.status()).source).toBe('none');
  });

  it('a stored key wins over the environment, and so does a session key', async () => {
    const cipher = new FakeCipher();
    const env = { RUNWARE_API_KEY: 'rw-env-key' };
    await store(cipher).set(KEY, true);
    const s = store(cipher, { env });
    expect(await s.get()).toBe(KEY);
    expect(await s.status()).toEqual({ set: true, source: 'store', protected: true });
    await s.set('rw-session-key', false);
    expect(await s.get()).toBe('rw-session-key');
    expect((await s.status()).source).toBe('session');
    await s.clear();
    expect(await s.get()).toBe('rw-env-key');
    expect((await s.status()).source).toBe('environment');
  });
});

describe('SafeStorageSecretStore: overlapping calls', () => {
  it('set then clear, overlapping: nothing is left', async () => {
    const cipher = new FakeCipher();
    const s = store(cipher);
    await Promise.all([s.set(KEY, true), s.clear()]);
    expect(await readdir(dir)).toEqual([]);
    expect(await s.get()).toBeUndefined();
    expect(await store(cipher).get()).toBeUndefined();
  });

  it('remember then session only, overlapping: the session key and no file', async () => {
    const cipher = new FakeCipher();
    const s = store(cipher);
    await Promise.all([s.set('rw-first-key', true), s.set(KEY, false)]);
    expect(await readdir(dir)).toEqual([]);
    expect(await s.get()).toBe(KEY);
  });

  it('clear then set, overlapping: the new key is stored', async () => {
    const cipher = new FakeCipher();
    const s = store(cipher);
    await s.set('rw-old-key', true);
    await Promise.all([s.clear(), s.set('rw-first-key', true), s.set(KEY, true)]);
    expect(await s.get()).toBe(KEY);
    expect(await store(cipher).get()).toBe(KEY);
    expect(await readdir(dir)).toEqual(['api-key.bin']);
  });
});
