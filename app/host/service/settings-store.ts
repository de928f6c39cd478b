import { mkdir, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Settings } from '../../core/contract';
import { writeFileAtomic } from '../file-io';

// The artist's settings in <data>/settings.json. A file that cannot be read as settings is moved
// aside (kept for whoever wants to look) and the defaults are used: a bad file never stops the app.

export const DEFAULT_SETTINGS: Settings = { endpoint: 'runware', concurrency: 2 };

/** The settings a file's text holds; undefined when it is not settings (not JSON, or not valid). */
function parseSettings(text: string): Settings | undefined {
  try {
    const parsed = Settings.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Reads the settings without changing anything (the command line): undefined when missing or not settings. */
export async function readSettings(file: string): Promise<Settings | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : parseSettings(text);
}

export class SettingsStore {
  #settings: Settings;

  private constructor(
    readonly file: string,
    settings: Settings,
    /** Where a broken file was moved, for the log. */
    readonly movedAside?: string,
  ) {
    this.#settings = settings;
  }

  static async open(file: string, now = Date.now): Promise<SettingsStore> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new SettingsStore(file, { ...DEFAULT_SETTINGS });
      return SettingsStore.#aside(file, now);
    }
    const settings = parseSettings(text);
    return settings ? new SettingsStore(file, settings) : SettingsStore.#aside(file, now);
  }

  static async #aside(file: string, now: () => number): Promise<SettingsStore> {
    const aside = `${file}.broken-${now()}`;
    const moved = await rename(file, aside).then(
      () => aside,
      () => undefined,
    );
    return new SettingsStore(file, { ...DEFAULT_SETTINGS }, moved);
  }

  get(): Settings {
    return { ...this.#settings };
  }

  /** Replaces the settings (already checked by the caller) and writes them atomically. */
  async replace(next: Settings): Promise<Settings> {
    const checked = Settings.parse(next);
    await mkdir(dirname(this.file), { recursive: true });
    await writeFileAtomic(this.file, JSON.stringify(checked, null, 2) + '\n');
    this.#settings = checked;
    return this.get();
  }
}
