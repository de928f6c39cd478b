import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { HostFailure, type HostError, type HostEvent, type Settings, type SettingsView } from '../../core/contract';
import { FILE_EXTENSION } from '../../core/document';
import { parseEndpointUrl } from '../../core/support/endpoint';
import { findFfmpeg } from '../ffmpeg';
import { overBudget } from '../../core/run-cost';
import { isEstimateOnly, type JobRecord } from '../jobs/types';
import { Autosave } from './autosave';
import { callOp, type Handlers } from './dispatch';
import { redactor, toHostError } from './errors';
import { listGraphFolder, readGraphText, writeGraphText } from './graph-file-ops';
import { importImage, previewImage } from './images';
import { libraryFolderProblem, libraryFolderRefusal } from './library-folder';
import { jobView } from './job-view';
import { RecentFiles } from './recent';
import { revealInFolder } from './reveal';
import { prepareRun } from './run-graph';
import type { SecretStore } from './secrets';
import { SettingsStore } from './settings-store';
import { chooseTarget, Targets, type ListedPlan, type SandboxHandle, type Target } from './targets';
import { planView } from './plan-view';
import { graphOfVideoBytes, graphOfVideoFile } from './video-graph';
import { exportGridToLibrary } from './grid';
import { isFavourite, setFavourite } from '../jobs/library';

// The host behind the editor contract: one handler per operation, the same for browser mode and
// the desktop app. The API key goes in through key.set and never comes out: not in an output,
// an event, a file or an error message.

export interface HostServiceOptions {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  shell: 'web' | 'desktop';
  /** The example graphs (the repository's graphs/). */
  examplesDir: string;
  /** Found on PATH (or FFMPEG_PATH) when not given. */
  ffmpegPath?: string;
  /** The shipped DejaVu fonts (for the labels of exported grids); injected, as the sandbox finds them. */
  fontDir?: string;
  secrets: SecretStore;
  /** Starts the local sandbox endpoint; injected, as app/host may not import app/sandbox. */
  startSandbox: () => Promise<SandboxHandle>;
  version?: string;
}

const DEFAULT_JOB_LIMIT = 200;
const isInside = (child: string, root: string) => {
  const rel = relative(root, child);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
};

export class HostService {
  readonly handlers: Handlers;
  readonly #listeners = new Set<(event: HostEvent) => void>();
  readonly #knownKeys = new Set<string>();
  readonly redact = redactor(() => this.#knownKeys);
  readonly #recent: RecentFiles;
  readonly #autosave: Autosave;
  readonly #targets: Targets;

  private constructor(
    readonly opts: HostServiceOptions & { ffmpegPath: string | undefined },
    readonly settings: SettingsStore,
  ) {
    this.#recent = new RecentFiles(join(opts.dataDir, 'recent.json'));
    this.#autosave = new Autosave(opts.dataDir);
    this.#targets = new Targets({
      dataDir: opts.dataDir,
      ...(opts.ffmpegPath && { ffmpegPath: opts.ffmpegPath }),
      startSandbox: opts.startSandbox,
      libraryDir: () => this.libraryDir,
      concurrency: () => this.settings.get().concurrency,
      // a dry run that ran nothing is not shown: the editor prices runs before it runs them
      onJob: (job, sandbox) => !isEstimateOnly(job) && this.#emit({ type: 'job', job: jobView(job, sandbox, this.redact) }),
      onPlan: (listed) => this.#emit({ type: 'plan', plan: this.#planView(listed) }),
      onSandboxStarted: () => void this.#emitSettings().catch(() => undefined),
    });
    this.handlers = this.#makeHandlers();
  }

  static async create(options: HostServiceOptions): Promise<HostService> {
    const ffmpegPath = options.ffmpegPath ?? (await findFfmpeg(undefined, options.env ?? process.env));
    const settings = await SettingsStore.open(join(options.dataDir, 'settings.json'));
    const service = new HostService({ ...options, ffmpegPath }, settings);
    const key = await service.#key();
    await service.#targets.start(key, chooseTarget(settings.get(), key));
    return service;
  }

  /** The library folder; one that may not hold it (a settings file edited by hand) is not used. */
  get libraryDir(): string {
    const chosen = this.settings.get().libraryDir;
    return resolve(chosen !== undefined && !libraryFolderProblem(chosen) ? chosen : join(this.opts.dataDir, 'library'));
  }

  onEvent(listener: (event: HostEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Checks an operation's input against the contract, then runs it. */
  call(op: string, input: unknown): Promise<unknown> {
    return callOp(this.handlers, op, input);
  }

  /** A thrown error as the contract's HostError, with no key in it. */
  errorOf(e: unknown): HostError {
    return toHostError(e, this.redact);
  }

  /** True only for a file inside a library folder (the sandbox's included) or a known result file. */
  async isMediaAllowed(path: string): Promise<boolean> {
    if (!isAbsolute(path)) return false;
    const real = await realpath(path).catch(() => undefined);
    if (!real || !(await stat(real).catch(() => undefined))?.isFile()) return false;
    for (const root of this.#targets.libraryRoots()) {
      const realRoot = await realpath(root).catch(() => undefined);
      if (realRoot && !libraryFolderProblem(realRoot) && isInside(real, realRoot)) return true;
    }
    // results kept elsewhere by an earlier setting (or `wan-graph run --out`), not through links
    return this.#targets.jobs().some(({ job }) => job.results.some((r) => r.file !== undefined && resolve(r.file) === real));
  }

  async close(): Promise<void> {
    await this.#targets.close();
    this.#listeners.clear();
  }

  async #key(): Promise<string | undefined> {
    const key = await this.opts.secrets.get();
    if (key) this.#knownKeys.add(key);
    return key;
  }

  async #target(): Promise<Target> {
    return chooseTarget(this.settings.get(), await this.#key());
  }

  async view(): Promise<SettingsView> {
    const target = await this.#target();
    const url = target.url ?? this.#targets.sandboxUrl ?? 'local sandbox (starts with the first run)';
    return { settings: this.settings.get(), key: await this.opts.secrets.status(), target: { sandbox: target.sandbox, url, notice: target.notice }, libraryDir: this.libraryDir };
  }

  #emit(event: HostEvent) {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // one broken listener must not keep the event from the others
      }
    }
  }

  async #emitSettings(): Promise<SettingsView> {
    const view = await this.view();
    this.#emit({ type: 'settings', view });
    return view;
  }

  #view = (listed: { job: JobRecord; sandbox: boolean }) => jobView(listed.job, listed.sandbox, this.redact);
  #planView = (listed: ListedPlan) => planView(listed.plan, listed.states, listed.sandbox, this.redact);

  async #examples(): Promise<Array<{ name: string; path: string }>> {
    const dir = resolve(this.opts.examplesDir);
    const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith(FILE_EXTENSION)).sort();
    return Promise.all(
      files.map(async (f) => {
        const path = join(dir, f);
        let name = f.slice(0, -FILE_EXTENSION.length);
        try {
          const doc = JSON.parse(await readFile(path, 'utf8')) as { name?: unknown };
          if (typeof doc.name === 'string' && doc.name) name = doc.name;
        } catch {
          // the file name will do
        }
        return { name, path };
      }),
    );
  }

  #makeHandlers(): Handlers {
    return {
      'app.info': async () => ({ version: this.opts.version ?? '0.0.0-dev', shell: this.opts.shell, dataDir: this.opts.dataDir, examples: await this.#examples() }),

      'settings.get': () => this.view(),
      'settings.set': async (patch) => {
        const { budgetPerRun, budgetPerDay, ...rest } = patch;
        const next: Settings = { ...this.settings.get(), ...rest, ...(budgetPerRun != null && { budgetPerRun }), ...(budgetPerDay != null && { budgetPerDay }) };
        // an empty text clears the setting, a null budget too: JSON has no way to send "unset"
        if (!next.customUrl) delete next.customUrl;
        if (!next.libraryDir) delete next.libraryDir;
        if (budgetPerRun === null) delete next.budgetPerRun;
        if (budgetPerDay === null) delete next.budgetPerDay;
        if (next.endpoint === 'custom' && !parseEndpointUrl(next.customUrl)) throw new HostFailure('bad-input', 'customUrl: the custom endpoint needs an http:// or https:// URL');
        if (next.libraryDir !== undefined) {
          if (!isAbsolute(next.libraryDir)) throw new HostFailure('bad-input', 'libraryDir: the library folder must be a full (absolute) path');
          // by its name and, through links, by what it is
          const real = await realpath(next.libraryDir).catch(() => next.libraryDir!);
          const problem = libraryFolderProblem(next.libraryDir) ?? libraryFolderProblem(real);
          if (problem) throw new HostFailure('bad-input', libraryFolderRefusal(next.libraryDir, problem));
        }
        await this.settings.replace(next);
        this.#targets.applySettings();
        return this.#emitSettings();
      },
      'key.set': async ({ key, remember }) => {
        const trimmed = key.trim();
        if (!trimmed || /\s/.test(trimmed)) throw new HostFailure('bad-input', 'key: an API key is one word, with no spaces');
        this.#knownKeys.add(trimmed);
        await this.opts.secrets.set(trimmed, remember);
        // a keyed runner picks up unfinished paid jobs at once
        const target = await this.#target();
        if (!target.sandbox) await this.#targets.open(target);
        return this.#emitSettings();
      },
      'key.clear': async () => {
        await this.opts.secrets.clear();
        return this.#emitSettings();
      },

      'file.read': async ({ path }) => {
        const read = await readGraphText(path);
        // examples open as untitled copies, so they are not recent documents
        if (!isInside(read.path, resolve(this.opts.examplesDir))) await this.#recent.add(read.path);
        return read;
      },
      'file.write': async ({ path, text }) => {
        const written = await writeGraphText(path, text);
        await this.#recent.add(written);
        return { path: written };
      },
      'file.list': async ({ dir }) => {
        const listed = await listGraphFolder(dir ?? (await this.#recent.lastDir()) ?? this.opts.examplesDir);
        if (dir !== undefined) await this.#recent.useDir(listed.dir);
        return listed;
      },
      'recent.list': async () => ({ files: await this.#recent.list() }),
      'recent.clear': async () => {
        await this.#recent.clear();
        return { ok: true as const };
      },

      'autosave.write': async ({ id, text, path, dirty }) => {
        await this.#autosave.write(id, text, path, dirty);
        return { ok: true as const };
      },
      'autosave.remove': async ({ id }) => {
        await this.#autosave.remove(id);
        return { ok: true as const };
      },
      'autosave.session': async ({ ids, active }) => {
        await this.#autosave.setSession(ids, active);
        return { ok: true as const };
      },
      'autosave.read': () => this.#autosave.read(),

      'image.import': async ({ name, base64 }) => ({ path: await importImage(this.opts.dataDir, name, base64) }),
      'image.preview': async ({ image, graphFile }) => ({ dataUri: await previewImage(image, graphFile) }),
      'video.graph': (input) => ('path' in input ? graphOfVideoFile(this.opts.ffmpegPath, input.path) : graphOfVideoBytes(this.opts.ffmpegPath, input.name, input.base64)),
      'library.reveal': async ({ path }) => {
        if (!(await this.isMediaAllowed(path))) throw new HostFailure('refused', `only files in the video library can be shown, not "${path}"`);
        await revealInFolder(await realpath(path));
        return { ok: true as const };
      },
      'library.favourite': async ({ path, favourite }) => {
        if (!(await this.isMediaAllowed(path))) throw new HostFailure('refused', `only files in the video library can be favourites, not "${path}"`);
        await setFavourite(path, favourite).catch((e: unknown) => {
          throw new HostFailure('not-found', (e as Error).message);
        });
        return { ok: true as const };
      },
      'library.favourites': async ({ paths }) => {
        const marked = await Promise.all(paths.map(async (p) => (await this.isMediaAllowed(p)) && (await isFavourite(p))));
        return { favourites: paths.filter((_, i) => marked[i]) };
      },
      'grid.export': (input) => {
        const byId = new Map(this.#targets.jobs().map((l) => [l.job.id, l]));
        return exportGridToLibrary(input, { ffmpegPath: this.opts.ffmpegPath, fontDir: this.opts.fontDir, job: (id) => byId.get(id), libraryOf: (l) => this.#targets.libraryOf(l) });
      },

      'jobs.run': async ({ text, path, nodeIds, docId }) => {
        const prepared = prepareRun(text, path, nodeIds, docId, this.settings.get().maxTasksPerRun);
        if (!prepared.ok) return { ok: false as const, diagnostics: prepared.diagnostics };
        const target = await this.#target();
        // a chain's jobs are queued by its steps as they become ready, and come as events
        if (prepared.plan) return { ok: true as const, jobs: [], plan: this.#planView(await this.#targets.startPlan(target, prepared.plan)) };
        const listed = await this.#targets.enqueue(target, prepared.inputs);
        return { ok: true as const, jobs: listed.map(this.#view) };
      },
      'jobs.estimate': async ({ text, path, nodeIds, docId }) => {
        const prepared = prepareRun(text, path, nodeIds, docId, this.settings.get().maxTasksPerRun);
        if (!prepared.ok) return { ok: false as const, diagnostics: prepared.diagnostics };
        const estimate = await this.#targets.estimate(await this.#target(), prepared.inputs);
        const { budgetPerRun, budgetPerDay } = this.settings.get();
        return { ok: true as const, estimate, over: overBudget(estimate, { perRun: budgetPerRun, perDay: budgetPerDay }) };
      },
      'jobs.list': async ({ limit }) => ({
        jobs: this.#targets
          .jobs()
          .filter(({ job }) => !isEstimateOnly(job))
          .sort((a, b) => b.job.createdAt - a.job.createdAt)
          .slice(0, limit ?? DEFAULT_JOB_LIMIT)
          .map(this.#view),
        plans: this.#targets
          .plans()
          .sort((a, b) => b.plan.createdAt - a.plan.createdAt)
          .slice(0, limit ?? DEFAULT_JOB_LIMIT)
          .map(this.#planView),
      }),
      'jobs.cancel': async ({ id }) => {
        await this.#targets.cancel(id);
        return { ok: true as const };
      },
      'jobs.retry': async ({ id }) => {
        await this.#targets.retry(id);
        return { ok: true as const };
      },
      'plans.cancel': async ({ id, step }) => {
        await this.#targets.cancelPlan(id, step);
        return { ok: true as const };
      },
    };
  }
}
