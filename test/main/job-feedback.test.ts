import { describe, expect, it } from 'vitest';
import type { JobView } from '../../app/core/contract';
import { type FeedbackSinks, JobFeedback } from '../../app/main/job-feedback';

function job(id: string, state: JobView['state'], over: Partial<JobView> = {}): JobView {
  return { id, nodeId: 7, graphName: 'Lake', state, sandbox: true, createdAt: 1_700_000_000_000, results: [], payload: '{}', ...over };
}

const result = (index: number, seed: string, over: Partial<JobView['results'][number]> = {}) => ({ index, videoUUID: `v-${index}`, seed, ...over });

function sinks() {
  const progress: [number, 'normal' | 'error'][] = [];
  const notes: { title: string; body: string }[] = [];
  const s: FeedbackSinks = {
    progress: (fraction, mode) => void progress.push([fraction, mode]),
    notify: (title, body) => void notes.push({ title, body }),
  };
  return { s, progress, notes, last: () => progress.at(-1) };
}

function setup() {
  const k = sinks();
  return { ...k, fb: new JobFeedback(k.s) };
}

describe('JobFeedback progress', () => {
  it('removes the bar when nothing runs', () => {
    const { fb, progress } = setup();
    fb.update(job('a', 'done'));
    expect(progress).toEqual([[-1, 'normal']]);
    expect(fb.activeCount).toBe(0);
  });

  it('shows a sliver for a single job that has just started', () => {
    const { fb, last } = setup();
    fb.update(job('a', 'queued'));
    const [fraction, mode] = last()!;
    expect(fraction).toBeGreaterThan(0);
    expect(fraction).toBeLessThan(0.1);
    expect(mode).toBe('normal');
  });

  it('moves over the batch as its jobs finish', () => {
    const { fb, last } = setup();
    for (const id of ['a', 'b', 'c', 'd']) fb.update(job(id, 'queued'));
    fb.update(job('a', 'done', { results: [result(0, '1')] }));
    expect(last()).toEqual([0.25, 'normal']);
    fb.update(job('b', 'cancelled'));
    expect(last()).toEqual([0.5, 'normal']);
    fb.update(job('c', 'done'));
    expect(last()).toEqual([0.75, 'normal']);
    fb.update(job('d', 'done'));
    expect(last()).toEqual([-1, 'normal']);
  });

  it('turns to error mode once a job of the batch has failed', () => {
    const { fb, last } = setup();
    fb.update(job('a', 'processing'));
    fb.update(job('b', 'processing'));
    fb.update(job('a', 'failed', { error: { code: 'x', message: 'boom' } }));
    expect(last()).toEqual([0.5, 'error']);
    // neither a job joining the batch nor a later success clears it
    fb.update(job('c', 'queued'));
    expect(last()).toEqual([1 / 3, 'error']);
    fb.update(job('b', 'done'));
    expect(last()).toEqual([2 / 3, 'error']);
  });

  it('starts a fresh batch after the last one is over', () => {
    const { fb, last } = setup();
    fb.update(job('a', 'queued'));
    fb.update(job('b', 'queued'));
    fb.update(job('a', 'failed'));
    fb.update(job('b', 'done'));
    expect(last()).toEqual([-1, 'normal']);
    fb.update(job('c', 'queued'));
    fb.update(job('d', 'queued'));
    fb.update(job('c', 'done'));
    // 1 of 2, not 3 of 4, and no error left over from the last batch
    expect(last()).toEqual([0.5, 'normal']);
  });

  it('counts a job once however often it is updated while active', () => {
    const { fb, last } = setup();
    fb.update(job('a', 'queued'));
    fb.update(job('b', 'queued'));
    for (const state of ['uploading', 'submitting', 'processing', 'downloading'] as const) fb.update(job('a', state));
    expect(fb.activeCount).toBe(2);
    fb.update(job('b', 'done'));
    expect(last()).toEqual([0.5, 'normal']);
  });

  it('reports the bar after every update', () => {
    const { fb, progress } = setup();
    fb.update(job('a', 'queued'));
    fb.update(job('a', 'processing'));
    fb.update(job('a', 'done'));
    expect(progress).toHaveLength(3);
  });
});

describe('JobFeedback notifications', () => {
  it('tells of a failure at once, with the node and the message', () => {
    const { fb, notes } = setup();
    fb.update(job('a', 'processing', { nodeId: 12 }));
    fb.update(job('b', 'processing'));
    fb.update(job('a', 'failed', { nodeId: 12, error: { code: 'provider', message: 'Insufficient credits' } }));
    expect(notes).toEqual([{ title: 'Generation failed — Lake', body: 'Node #12: Insufficient credits' }]);
  });

  it('takes a failed result’s message when the job has none, and says so when there is neither', () => {
    const { fb, notes } = setup();
    fb.update(job('a', 'processing'));
    fb.update(job('b', 'processing'));
    fb.update(job('c', 'processing'));
    fb.update(job('a', 'failed', { results: [result(0, '5'), result(1, '6', { error: { code: 'nsfw', message: 'content flagged' } })] }));
    fb.update(job('b', 'failed'));
    expect(notes.map((n) => n.body)).toEqual(['Node #7: content flagged', 'Node #7: no video came back']);
  });

  it('calls a graph without a name Untitled', () => {
    const { fb, notes } = setup();
    fb.update(job('a', 'processing', { graphName: undefined }));
    fb.update(job('a', 'failed', { graphName: undefined, error: { code: 'x', message: 'm' } }));
    expect(notes[0]!.title).toBe('Generation failed — Untitled');
  });

  it('tells when the one video of a batch is ready, with its seed', () => {
    const { fb, notes } = setup();
    fb.update(job('a', 'processing', { nodeId: 3 }));
    expect(notes).toEqual([]);
    fb.update(job('a', 'done', { nodeId: 3, results: [result(0, '424242')] }));
    expect(notes).toEqual([{ title: 'Video ready — Lake', body: 'Node #3, seed 424242' }]);
  });

  it('lists every seed of a job with several results', () => {
    const { fb, notes } = setup();
    fb.update(job('a', 'processing'));
    fb.update(job('a', 'done', { results: [result(0, '1'), result(1, '2')] }));
    expect(notes[0]!.body).toBe('Node #7, seed 1, 2');
  });

  it('leaves the seed out when no result came back', () => {
    const { fb, notes } = setup();
    fb.update(job('a', 'processing'));
    fb.update(job('a', 'done'));
    expect(notes).toEqual([{ title: 'Video ready — Lake', body: 'Node #7' }]);
  });

  it('waits for the whole batch before saying it is ready', () => {
    const { fb, notes } = setup();
    fb.update(job('a', 'processing'));
    fb.update(job('b', 'processing'));
    fb.update(job('a', 'done', { results: [result(0, '1')] }));
    expect(notes).toEqual([]);
    fb.update(job('b', 'done', { results: [result(0, '2')] }));
    expect(notes).toEqual([{ title: '2 videos ready', body: 'Every job of the batch is done.' }]);
  });

  it('counts the failures when several videos are ready', () => {
    const { fb, notes } = setup();
    for (const id of ['a', 'b', 'c', 'd']) fb.update(job(id, 'queued'));
    fb.update(job('a', 'done'));
    fb.update(job('b', 'failed', { error: { code: 'x', message: 'one' } }));
    fb.update(job('c', 'done'));
    fb.update(job('d', 'done'));
    expect(notes).toEqual([
      { title: 'Generation failed — Lake', body: 'Node #7: one' },
      { title: '3 videos ready', body: '1 failed' },
    ]);
  });

  it('names the done job when the rest of the batch failed or was cancelled', () => {
    const { fb, notes } = setup();
    fb.update(job('a', 'queued'));
    fb.update(job('b', 'queued', { graphName: 'City' }));
    fb.update(job('c', 'queued'));
    fb.update(job('b', 'done', { graphName: 'City', nodeId: 9, results: [result(0, '77')] }));
    fb.update(job('a', 'cancelled'));
    fb.update(job('c', 'failed'));
    expect(notes.at(-1)).toEqual({ title: 'Video ready — City', body: 'Node #9, seed 77; 1 failed' });
  });

  it('leaves out the seeds of results that failed', () => {
    const { fb, notes } = setup();
    fb.update(job('a', 'processing'));
    fb.update(job('a', 'done', { graphName: 'City', nodeId: 2, results: [result(0, '5'), { ...result(1, '6'), error: { code: 'download', message: 'gone' } }] }));
    expect(notes.at(-1)).toEqual({ title: 'Video ready — City', body: 'Node #2, seed 5' });
  });

  it.each(['cancelled', 'estimated', 'lost'] as const)('does not call a %s job ready', (state) => {
    const { fb, notes, last } = setup();
    fb.update(job('a', 'processing'));
    fb.update(job('a', state));
    expect(notes).toEqual([]);
    expect(last()).toEqual([-1, 'normal']);
    expect(fb.activeCount).toBe(0);
  });

  it('ignores finished jobs it never saw running', () => {
    // e.g. the job list's history, or a job finished before the app started
    const { fb, notes } = setup();
    fb.update(job('old', 'done', { results: [result(0, '1')] }));
    fb.update(job('older', 'failed', { error: { code: 'x', message: 'm' } }));
    expect(notes).toEqual([]);
  });

  it('does not tell of a finished job twice', () => {
    const { fb, notes } = setup();
    fb.update(job('a', 'processing'));
    fb.update(job('a', 'done'));
    fb.update(job('a', 'done'));
    fb.update(job('b', 'processing'));
    fb.update(job('b', 'failed'));
    fb.update(job('b', 'failed'));
    expect(notes.map((n) => n.title)).toEqual(['Video ready — Lake', 'Generation failed — Lake']);
  });

  it('counts a lost job that resumes as running again', () => {
    const { fb, notes } = setup();
    fb.update(job('a', 'processing'));
    fb.update(job('a', 'lost'));
    fb.update(job('a', 'downloading'));
    expect(fb.activeCount).toBe(1);
    fb.update(job('a', 'done'));
    expect(notes).toEqual([{ title: 'Video ready — Lake', body: 'Node #7' }]);
  });
});

describe('JobFeedback.seed', () => {
  it('takes in resumed jobs quietly and shows the bar for them', () => {
    const { fb, notes, last } = setup();
    fb.seed([job('a', 'processing'), job('b', 'downloading'), job('c', 'done'), job('d', 'lost'), job('e', 'failed')]);
    expect(fb.activeCount).toBe(2);
    expect(notes).toEqual([]);
    expect(last()![1]).toBe('normal');
    expect(last()![0]).toBeGreaterThan(0);
    expect(last()![0]).toBeLessThan(0.1);
  });

  it('makes the resumed jobs part of the batch', () => {
    const { fb, notes, last } = setup();
    fb.seed([job('a', 'processing'), job('b', 'processing')]);
    fb.update(job('a', 'done'));
    expect(last()).toEqual([0.5, 'normal']);
    fb.update(job('b', 'done'));
    expect(notes).toEqual([{ title: '2 videos ready', body: 'Every job of the batch is done.' }]);
  });

  it('does not count a job twice when it is seeded after an update, or seeded twice', () => {
    const { fb, last } = setup();
    fb.update(job('a', 'processing'));
    fb.seed([job('a', 'processing'), job('b', 'processing')]);
    fb.seed([job('b', 'processing')]);
    expect(fb.activeCount).toBe(2);
    fb.update(job('a', 'done'));
    expect(last()).toEqual([0.5, 'normal']);
  });

  it('removes the bar when nothing is running at start', () => {
    const { fb, progress, notes } = setup();
    fb.seed([job('c', 'done'), job('d', 'cancelled')]);
    fb.seed([]);
    expect(progress).toEqual([
      [-1, 'normal'],
      [-1, 'normal'],
    ]);
    expect(notes).toEqual([]);
  });
});
