import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Library } from '../../app/host/jobs/library';
import { JobRunner } from '../../app/host/jobs/runner';
import { RunwareClient } from '../../app/runware/client';
import { compileOk, smallGraph } from '../host/runner-helpers';

// 200 jobs against the sandbox (in its own process) with 2 s of simulated generation each, 16 at
// a time: wall time against the ideal (generation time × waves), HTTP requests per job (API and
// downloads, counted by the sandbox), and the client's CPU time per job.

export async function benchRunner(jobs = 200, concurrency = 16, generationMs = 2000) {
  const child = fork(fileURLToPath(new URL('./sandbox-child.ts', import.meta.url)), [String(generationMs)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = <T>(message: string, key: string) => new Promise<T>((resolve) => child.once('message', (m) => resolve((m as Record<string, T>)[key]!)) && message && child.send(message));
  const url = await new Promise<string>((resolve) => child.once('message', (m) => resolve((m as { url: string }).url)));
  const dataDir = await mkdtemp(join(tmpdir(), 'wan-bench-runner-'));
  const client = new RunwareClient({ baseUrl: url });
  const runner = await JobRunner.open({ client, dataDir, library: new Library(join(dataDir, 'library'), 'ffmpeg'), concurrency });
  try {
    const { doc } = smallGraph(jobs);
    const tasks = compileOk(doc);
    const cpu = process.cpuUsage();
    const start = performance.now();
    for (const compiled of tasks) await runner.enqueue({ compiled, graph: doc });
    await runner.idle();
    const wallMs = performance.now() - start;
    const used = process.cpuUsage(cpu);
    const done = runner.jobs().filter((j) => j.state === 'done').length;
    const stats = await ask<{ requests: number; mediaRequests: number }>('stats', 'stats');
    const ideal = generationMs * Math.ceil(jobs / concurrency);
    const requestsPerJob = (stats.requests + stats.mediaRequests) / jobs;
    return {
      jobs,
      concurrency,
      generationMs,
      done,
      wallMs: Math.round(wallMs),
      idealMs: ideal,
      ratio: Number((wallMs / ideal).toFixed(3)),
      targetRatio: 1.1,
      apiRequests: stats.requests,
      downloads: stats.mediaRequests,
      requestsPerJob: Number(requestsPerJob.toFixed(2)),
      targetRequestsPerJob: 6,
      cpuMsPerJob: Number(((used.user + used.system) / 1000 / jobs).toFixed(2)),
      met: wallMs / ideal <= 1.1 && requestsPerJob <= 6,
    };
  } finally {
    await runner.close();
    await client.close();
    child.send('stop');
    await rm(dataDir, { recursive: true, force: true });
  }
}
