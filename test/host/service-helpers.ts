import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach } from 'vitest';
import { contract, type HostEvent, type OpInput, type OpName, type OpOutput, type PlanView } from '../../app/core/contract';
import { findFfmpeg } from '../../app/host/ffmpeg';
import { SessionSecretStore, type SecretStore } from '../../app/host/service/secrets';
import { HostService } from '../../app/host/service/service';
import { DEFAULT_FONT_DIR } from '../../app/sandbox/render-video';
import { startSandbox, type SandboxServer } from '../../app/sandbox/server';

// A HostService on a temporary data folder, with the real in-process sandbox (quick to generate),
// recording every output and event it gives, so tests can search them.

export const EXAMPLES = resolve('graphs');
export const AURORA = join(EXAMPLES, 'aurora-ice-caravan-crossing.wgraph.json');

export interface Harness {
  service: HostService;
  dataDir: string;
  events: HostEvent[];
  /** Everything the service handed out, as JSON text. */
  outputs: string[];
  sandboxes: SandboxServer[];
  call<K extends OpName>(op: K, input: OpInput<K>): Promise<OpOutput<K>>;
  /** The HostError a failing call gives. */
  failure(op: OpName, input: unknown): Promise<{ code: string; message: string }>;
  waitFor(id: string, states?: string[]): Promise<HostEvent & { type: 'job' }>;
  /** The first event of chain `id` that passes `test`. */
  waitForPlan(id: string, test: (plan: PlanView) => boolean): Promise<PlanView>;
  close(): Promise<void>;
}

export async function openHarness(opts: { env?: NodeJS.ProcessEnv; dataDir?: string; secrets?: SecretStore } = {}): Promise<Harness> {
  const ffmpegPath = await findFfmpeg();
  if (!ffmpegPath) throw new Error('these tests need ffmpeg');
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'wan-service-')));
  const sandboxes: SandboxServer[] = [];
  const service = await HostService.create({
    dataDir,
    env: opts.env ?? {},
    shell: 'web',
    examplesDir: EXAMPLES,
    ffmpegPath,
    secrets: opts.secrets ?? new SessionSecretStore(opts.env ?? {}),
    version: '0.0.0-test',
    fontDir: DEFAULT_FONT_DIR,
    startSandbox: async () => {
      const s = await startSandbox({ ffmpegPath, generationMs: 100 });
      sandboxes.push(s);
      return s;
    },
  });
  const events: HostEvent[] = [];
  const outputs: string[] = [];
  const waiters = new Set<() => void>();
  service.onEvent((e) => {
    events.push(structuredClone(e));
    outputs.push(JSON.stringify(e));
    for (const w of waiters) w();
  });
  const waitForEvent = <E extends HostEvent>(match: (ev: HostEvent) => ev is E, failure: string) =>
    new Promise<E>((resolve, reject) => {
      const timer = setTimeout(() => (waiters.delete(check), reject(new Error(failure))), 60_000);
      const check = () => {
        const e = events.find(match);
        if (!e) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(e);
      };
      waiters.add(check);
      check();
    });
  let closed: Promise<void> | undefined;
  const h: Harness = {
    service,
    dataDir,
    events,
    outputs,
    sandboxes,
    async call(op, input) {
      const out = contract[op].output.parse(await service.call(op, input)) as OpOutput<typeof op>;
      outputs.push(JSON.stringify(out));
      return out;
    },
    async failure(op, input) {
      try {
        await service.call(op, input);
      } catch (e) {
        const { error } = service.errorOf(e);
        outputs.push(JSON.stringify(error));
        return error;
      }
      throw new Error(`${op} did not fail`);
    },
    waitFor(id, states = ['done', 'failed', 'cancelled', 'lost']) {
      return waitForEvent((ev): ev is HostEvent & { type: 'job' } => ev.type === 'job' && ev.job.id === id && states.includes(ev.job.state), `job ${id} did not reach ${states.join('/')}`);
    },
    async waitForPlan(id, test) {
      return (await waitForEvent((ev): ev is HostEvent & { type: 'plan' } => ev.type === 'plan' && ev.plan.id === id && test(ev.plan), `chain ${id} did not get there`)).plan;
    },
    // the service stops the sandbox it started; closing twice is closing once
    close: () => (closed ??= service.close()),
  };
  return h;
}

type HarnessOptions = Parameters<typeof openHarness>[0];

/** For a test file: opens harnesses on demand and closes every one after each test. */
export function harnesses(): (opts?: HarnessOptions) => Promise<Harness> {
  const opened: Harness[] = [];
  afterEach(async () => {
    for (const h of opened.splice(0)) await h.close();
  });
  return async (opts = {}) => {
    const h = await openHarness(opts);
    opened.push(h);
    return h;
  };
}
