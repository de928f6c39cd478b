import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { serveCommand } from '../../app/cli/serve-command';
import type { Probe } from '../../app/renderer/probe-types';

// End-to-end sessions: the real browser-mode server (host service, in-process sandbox, loopback
// HTTP) and Debian's Chromium driven by playwright-core. Each step can leave a screenshot in
// test-results/e2e/<test>/.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface Session {
  page: Page;
  url: string;
  home: string;
  /** Saves a screenshot named for the step. */
  shot(step: string): Promise<void>;
  /** Asks the page's read-only probe where something is, or for the document. */
  probe<K extends keyof Probe>(method: K, ...args: Parameters<Probe[K]>): Promise<ReturnType<Probe[K]>>;
  /** Opens a fresh page on the same server (a reload after a crash, a second window). */
  reopen(): Promise<void>;
  close(): Promise<void>;
}

let browser: Browser | undefined;
async function sharedBrowser(): Promise<Browser> {
  browser ??= await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  return browser;
}
export async function closeBrowser(): Promise<void> {
  await browser?.close();
  browser = undefined;
}

async function openEditor(test: string, opts: { home?: string } = {}): Promise<Session> {
  const home = opts.home ?? (await mkdtemp(join(tmpdir(), 'wan-e2e-')));
  const shots = join('test-results', 'e2e', test.replace(/[^a-z0-9]+/gi, '-').toLowerCase());
  await mkdir(shots, { recursive: true });
  let stop!: () => void;
  const stopped = new Promise<void>((r) => (stop = r));
  let printed = '';
  let ready!: (url: string) => void;
  const url = new Promise<string>((r) => (ready = r));
  const { RUNWARE_API_KEY: _key, ...inherited } = process.env;
  const env = { ...inherited, WAN_GRAPH_HOME: home };
  const served = serveCommand(
    { env, stop: stopped },
    {
      stdout: {
        write: (s: string) => {
          printed += s;
          const m = /http:\/\/\S+/.exec(printed);
          if (m) ready(m[0]);
        },
      },
      stderr: { write: (s: string) => (printed += s) },
    },
  );
  const link = await Promise.race([url, served.then((code) => Promise.reject(new Error(`serve exited ${code}: ${printed}`)))]);
  const context = await (await sharedBrowser()).newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: false });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(link).origin });
  let page = await context.newPage();
  const open = async () => {
    await page.goto(link);
    // the editor takes input once ready; tests start once it also has the settings and the jobs
    await page.waitForFunction(() => document.body.dataset.loaded === 'true', undefined, { timeout: 20_000 });
  };
  await open();
  let n = 0;
  return {
    get page() {
      return page;
    },
    url: link,
    home,
    shot: async (step) => void (await page.screenshot({ path: join(shots, `${String(++n).padStart(2, '0')}-${step}.png`) })),
    probe: (method, ...args) =>
      page.evaluate(([m, a]) => {
        const probe = (window as unknown as { wanGraphProbe: Record<string, (...x: unknown[]) => unknown> }).wanGraphProbe;
        return probe[m]!(...a);
      }, [method, args] as const) as never,
    reopen: async () => {
      await page.close();
      page = await context.newPage();
      await open();
    },
    close: async () => {
      await context.close();
      stop();
      await served;
      // the host may still be finishing a write (an autosave) as the page closes: retry as the folder empties
      if (!opts.home) await rm(home, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    },
  };
}

/** Runs a test body in a fresh editor session; a failure leaves a screenshot of the moment. */
export async function withEditor(test: string, body: (s: Session) => Promise<void>): Promise<void> {
  const s = await openEditor(test);
  try {
    await body(s);
  } catch (e) {
    await s.shot('failure');
    throw e;
  } finally {
    await s.close();
  }
}
