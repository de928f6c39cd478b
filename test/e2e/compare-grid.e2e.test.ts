import { execFile } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../app/core/document';
import { serializeGraph } from '../../app/core/save';
import { GraphBuilder } from '../helpers';
import { closeBrowser, withEditor, type Session } from './harness';
import { documentText, openByDialog } from './ui';

// A sweep of two seeds × two CFG scales run on the sandbox into a Compare Grid: its axes say the
// swept values, the four cells play in step under one Play and one scrub bar, a click opens a cell
// large, a star is kept in the library entry (a reload still shows it), "Use these values" leaves
// a graph without the sweep holding the cell's values (Undo brings the sweep back), and Export
// saves a labelled video and a contact sheet in the library.

afterAll(closeBrowser);

const exec = promisify(execFile);

/** Model, prompt and a Video Inference swept over Values → seed and Values → CFG scale, into a Compare Grid. */
function sweepGraph(): { doc: GraphDocument; vi: number; grid: number } {
  const g = new GraphBuilder();
  const m = g.node('Model', { model: 'runware:200@8' }, { title: 'Model' });
  const p = g.node('Prompt', { text: 'a paper boat drifting down a rain gutter' }, { title: 'Positive prompt' });
  const vi = g.node('VideoInference', { width: 320, height: 192, duration: 2, fps: 16, steps: 8 }, { title: 'Video Inference' });
  const seed = g.node('Values', { values: '1\n2' }, { title: 'Values' });
  const cfg = g.node('Values', { values: '4\n6' }, { title: 'Values' });
  const grid = g.node('CompareGrid', {}, { title: 'Compare Grid' });
  g.link(m, 'model', vi, 'model');
  g.link(p, 'text', vi, 'positive');
  g.link(seed, 'values', vi, 'seed');
  g.link(cfg, 'values', vi, 'CFGScale');
  g.link(vi, 'video', grid, 'video');
  const at: Record<number, [number, number]> = { [m]: [-560, -160], [p]: [-560, -60], [seed]: [-560, 180], [cfg]: [-560, 420], [vi]: [-220, -160] };
  for (const [id, pos] of Object.entries(at)) g.doc.layout.nodes[id] = { pos };
  g.doc.layout.nodes[grid] = { pos: [140, -160], size: [720, 560] };
  g.doc.name = 'Boat sweep';
  return { doc: g.doc, vi, grid };
}

const cellSel = (grid: number) => `.compare[data-node="${grid}"] .compare-cell`;

/** Every grid video's time, pause state and file. */
const videos = (s: Session, grid: number) =>
  s.page.evaluate((id) => [...document.querySelectorAll<HTMLVideoElement>(`.compare[data-node="${id}"] video`)].map((v) => ({ t: v.currentTime, paused: v.paused, file: v.dataset.file!, d: v.duration })), grid);

/** The largest difference between two cells' times, round the loop. */
function spread(ts: { t: number; d: number }[]): number {
  let worst = 0;
  for (const a of ts)
    for (const b of ts) {
      const d = Math.abs(a.t - b.t) % a.d;
      worst = Math.max(worst, Math.min(d, a.d - d));
    }
  return worst;
}

async function waitForGrid(s: Session, grid: number, count: number) {
  await s.page.waitForFunction(
    ([id, n]) => {
      const vs = [...document.querySelectorAll<HTMLVideoElement>(`.compare[data-node="${id}"] video`)];
      return vs.length === n && vs.every((v) => v.readyState >= 2);
    },
    [grid, count] as const,
    { timeout: 120_000 },
  );
}

describe('Compare Grid', () => {
  it('lays a 2×2 sweep out by its values, plays it in step, keeps a favourite, uses a cell’s values (undoably) and exports the grid', async () => {
    await withEditor('compare-grid', async (s) => {
      const { doc, vi, grid } = sweepGraph();
      const file = join(s.home, 'boat-sweep.wgraph.json');
      await writeFile(file, serializeGraph(doc));
      await openByDialog(s, file);
      await s.page.waitForFunction(() => (JSON.parse((window as unknown as { wanGraphProbe: { documentText(): string } }).wanGraphProbe.documentText()) as { name?: string }).name === 'Boat sweep');
      await s.page.waitForSelector(`.compare[data-node="${grid}"] .preview-empty`);
      await s.shot('before-run');

      // (no click on the canvas: a gesture there reads the links back from the view, which does not show links into parameters yet)
      await s.page.keyboard.press('Control+Enter');
      await waitForGrid(s, grid, 4);
      // they start together once all four have loaded
      await s.page.waitForFunction((id) => [...document.querySelectorAll<HTMLVideoElement>(`.compare[data-node="${id}"] video`)].every((v) => !v.paused && v.currentTime > 0.2), grid, { timeout: 20_000 });
      await s.shot('grid-playing');

      // the axes: seeds across, CFG scales down, named after the parameters they feed
      const colLabels = await s.page.locator(`.compare[data-node="${grid}"] .compare-col`).allInnerTexts();
      const rowLabels = await s.page.locator(`.compare[data-node="${grid}"] .compare-row`).allInnerTexts();
      expect(colLabels).toEqual(['1', '2']);
      expect(rowLabels).toEqual(['4', '6']);
      expect(await s.page.locator(`.compare[data-node="${grid}"] .compare-corner`).innerText()).toMatch(/Seed →\s+CFG scale ↓/);
      expect(await s.page.locator(`.compare[data-node="${grid}"] .compare-col`).first().getAttribute('title')).toBe('Seed: 1');
      // each cell is the task with its values: the sandbox writes the seed into the video's data
      const cells = await s.page.locator(cellSel(grid)).evaluateAll((els) => els.map((e) => ({ row: (e as HTMLElement).dataset.row, col: (e as HTMLElement).dataset.col, seed: e.querySelector('video')?.dataset.seed })));
      expect(cells).toEqual([
        { row: '0', col: '0', seed: '1' },
        { row: '0', col: '1', seed: '2' },
        { row: '1', col: '0', seed: '1' },
        { row: '1', col: '1', seed: '2' },
      ]);

      // in step while they play: never further apart than the clock lets them drift before it seeks
      // (how close they stay under load is measured by the benchmark, not asserted here)
      for (let k = 0; k < 5; k++) {
        await s.page.waitForTimeout(300);
        const playing = await videos(s, grid);
        expect(playing.every((v) => !v.paused)).toBe(true);
        expect(spread(playing)).toBeLessThan(0.5);
      }
      // one Pause for all, on one frame
      await s.page.click(`.compare[data-node="${grid}"] .compare-play`);
      await s.page.waitForTimeout(100);
      let state = await videos(s, grid);
      expect(state.every((v) => v.paused)).toBe(true);
      expect(spread(state)).toBeLessThan(1 / 16);
      // the scrub bar moves every cell, paused
      const bar = (await s.page.locator(`.compare[data-node="${grid}"] .compare-seek`).boundingBox())!;
      await s.page.mouse.click(bar.x + bar.width * 0.5, bar.y + bar.height / 2);
      await s.page.waitForTimeout(200);
      state = await videos(s, grid);
      expect(state.every((v) => v.paused)).toBe(true);
      expect(spread(state)).toBeLessThan(1 / 16);
      expect(state[0]!.t).toBeGreaterThan(0.7);
      expect(state[0]!.t).toBeLessThan(1.3);
      await s.shot('paused-scrubbed');
      await s.page.click(`.compare[data-node="${grid}"] .compare-play`);
      await s.page.waitForFunction((id) => [...document.querySelectorAll<HTMLVideoElement>(`.compare[data-node="${id}"] video`)].every((v) => !v.paused), grid);

      // a click opens the cell large, with the grid's videos to compare
      const enlarged = cells[3]!;
      const target = s.page.locator(`${cellSel(grid)}[data-row="1"][data-col="1"] video`);
      const targetFile = await target.getAttribute('data-file');
      await target.click();
      await s.page.locator('.player').waitFor();
      expect(await s.page.locator('.player video.player-a').getAttribute('data-file')).toBe(targetFile);
      expect(await s.page.locator('.player figcaption').first().innerText()).toContain(`seed ${enlarged.seed}`);
      await s.page.waitForFunction(() => (document.querySelector<HTMLVideoElement>('.player video.player-a')?.readyState ?? 0) >= 2);
      await s.shot('enlarged');
      await s.page.keyboard.press('Escape');
      await s.page.locator('.player').waitFor({ state: 'detached' });

      // a favourite: starred in the cell, kept in the library entry, still starred after a reload
      const starCell = `${cellSel(grid)}[data-row="1"][data-col="0"]`;
      const starredFile = (await s.page.locator(`${starCell} video`).getAttribute('data-file'))!;
      await s.page.click(`${starCell} .compare-star`);
      await s.page.waitForFunction((sel) => document.querySelector(`${sel} .compare-star`)?.getAttribute('aria-pressed') === 'true', starCell);
      const entry = JSON.parse(await readFile(starredFile.replace(/\.\w+$/, '.json'), 'utf8')) as { favourite?: boolean; coordinates?: { label: string }[] };
      expect(entry.favourite).toBe(true);
      expect(entry.coordinates?.map((c) => c.label)).toEqual(['1', '6']);
      await s.shot('starred');
      // the run wrote its seeds into the graph: saved first, so the reload asks nothing
      await s.page.keyboard.press('Control+s');
      await s.page.waitForFunction(() => !document.title.startsWith('●'));
      await s.reopen();
      await waitForGrid(s, grid, 4);
      await s.page.waitForFunction((sel) => document.querySelector(`${sel} .compare-star`)?.getAttribute('aria-pressed') === 'true', starCell);
      expect(await s.page.locator(`.compare[data-node="${grid}"] .compare-star[aria-pressed="true"]`).count()).toBe(1);
      await s.shot('starred-after-reload');

      // use the values of seed 2 × CFG 6: no Values node is left and the parameters hold them; Undo restores
      const before = await documentText(s);
      const useCell = `${cellSel(grid)}[data-row="1"][data-col="1"]`;
      await s.page.hover(useCell);
      await s.shot('use-values-hover');
      await s.page.click(`${useCell} .compare-use`);
      await s.page.waitForFunction(() => !(JSON.parse((window as unknown as { wanGraphProbe: { documentText(): string } }).wanGraphProbe.documentText()) as GraphDocument).nodes.some((n) => n.type === 'Values'));
      const used = JSON.parse(await documentText(s)) as GraphDocument;
      expect(used.nodes.find((n) => n.id === vi)!.params).toMatchObject({ seed: 2, CFGScale: 6 });
      expect(used.links.some((l) => l.to.node === vi && (l.to.port === 'seed' || l.to.port === 'CFGScale'))).toBe(false);
      expect(await s.page.locator('.toast').last().innerText()).toContain('Use these values (Seed 2, CFG scale 6)');
      await s.shot('values-used');
      await s.page.keyboard.press('Control+z');
      await s.page.waitForFunction((text) => (window as unknown as { wanGraphProbe: { documentText(): string } }).wanGraphProbe.documentText() === text, before);
      await s.shot('undone');

      // export: a labelled video and a contact sheet in the library, each with its entry
      await s.page.click(`.compare[data-node="${grid}"] .compare-export`);
      await s.page.locator('.toast', { hasText: 'Grid exported' }).waitFor({ timeout: 60_000 });
      await s.shot('exported');
      const library = join(s.home, 'sandbox', 'library');
      const day = (await readdir(library)).find((d) => /^\d{4}-\d\d-\d\d$/.test(d))!;
      const names = await readdir(join(library, day));
      const video = names.find((n) => /-grid-[0-9a-f]{8}\.mp4$/.test(n))!;
      const sheet = names.find((n) => /-grid-[0-9a-f]{8}-sheet\.png$/.test(n))!;
      expect(video && sheet).toBeTruthy();
      expect(names).toContain(video.replace(/\.mp4$/, '.json'));
      expect(names).toContain(sheet.replace(/\.png$/, '.json'));
      const { stdout } = await exec('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height:format=duration', '-of', 'csv=p=0', join(library, day, video)]);
      const [w, hgt] = stdout.trim().split(/\s+/)[0]!.split(',').map(Number);
      expect([w, hgt]).toEqual([2 * 400, 2 * 240]); // 320 × 192 cells are scaled up to 240 high for readable labels
      const gridEntry = JSON.parse(await readFile(join(library, day, video.replace(/\.mp4$/, '.json')), 'utf8')) as { columnLabels: string[]; rowLabels: string[]; cells: { coordinates: { label: string }[] }[] };
      expect(gridEntry.columnLabels).toEqual(['Seed 1', 'Seed 2']);
      expect(gridEntry.rowLabels).toEqual(['CFG scale 4', 'CFG scale 6']);
      expect(gridEntry.cells.map((c) => c.coordinates.map((x) => x.label).join('/'))).toEqual(['1/4', '2/4', '1/6', '2/6']);
      await exec('cp', [join(library, day, sheet), join('test-results', 'e2e', 'compare-grid', 'exported-contact-sheet.png')]);
      await exec('ffmpeg', ['-v', 'error', '-y', '-ss', '1', '-i', join(library, day, video), '-frames:v', '1', join('test-results', 'e2e', 'compare-grid', 'exported-video-frame.png')]);
    });
  }, 300_000);

  it('a prompt sweep: prompts shortened on the axis with the full text on hover; using one puts a Prompt node holding it in the list’s place', async () => {
    await withEditor('compare-grid-prompts', async (s) => {
      const prompts = [
        'a paper boat drifting down a rain gutter past glowing shop windows at dusk, reflections rippling',
        'a paper boat sailing across a still pond at dawn while mist lifts off the water and ducks watch',
      ];
      const g = new GraphBuilder();
      const m = g.node('Model', { model: 'runware:200@8' }, { title: 'Model' });
      const list = g.node('PromptList', { prompts: prompts.join('\n') }, { title: 'Prompt List' });
      const vi = g.node('VideoInference', { width: 320, height: 192, duration: 2, fps: 16, steps: 8 }, { title: 'Video Inference' });
      const grid = g.node('CompareGrid', {}, { title: 'Compare Grid' });
      g.link(m, 'model', vi, 'model');
      g.link(list, 'prompt', vi, 'positive');
      g.link(vi, 'video', grid, 'video');
      for (const [id, pos] of [[m, [-560, -160]], [list, [-560, -60]], [vi, [-220, -160]]] as const) g.doc.layout.nodes[id] = { pos: [...pos] };
      g.doc.layout.nodes[grid] = { pos: [140, -160], size: [720, 330] };
      g.doc.name = 'Boat prompts';
      const file = join(s.home, 'boat-prompts.wgraph.json');
      await writeFile(file, serializeGraph(g.doc));
      await openByDialog(s, file);
      await s.page.waitForSelector(`.compare[data-node="${grid}"] .preview-empty`);
      await s.page.keyboard.press('Control+Enter');
      await waitForGrid(s, grid, 2);

      const labels = s.page.locator(`.compare[data-node="${grid}"] .compare-col`);
      expect(await s.page.locator(`.compare[data-node="${grid}"] .compare-col .compare-axis-name`).allInnerTexts()).toEqual(['Positive prompt', 'Positive prompt']);
      expect(await s.page.locator(`.compare[data-node="${grid}"] .compare-col .compare-value`).allTextContents()).toEqual(prompts.map((p) => `${p.slice(0, 89)}…`));
      // shown in at most two lines
      const lines = await s.page.locator(`.compare[data-node="${grid}"] .compare-col .compare-value`).evaluateAll((els) => els.map((e) => Math.round(e.clientHeight / parseFloat(getComputedStyle(e).lineHeight))));
      expect(lines.every((n) => n >= 1 && n <= 2)).toBe(true);
      expect(await labels.evaluateAll((els) => els.map((e) => e.getAttribute('title')))).toEqual(prompts.map((p) => `Positive prompt: ${p}`));
      // a label wider than its cell is cut by the cell, not spilled over its neighbour
      const boxes = await labels.evaluateAll((els) => els.map((e) => ({ scroll: e.scrollWidth, client: e.clientWidth, right: e.getBoundingClientRect().right })));
      const cells = await s.page.locator(cellSel(grid)).evaluateAll((els) => els.map((e) => e.getBoundingClientRect().right));
      boxes.forEach((b, k) => expect(b.right).toBeLessThanOrEqual(cells[k]! + 1));
      await s.page.hover(`.compare[data-node="${grid}"] .compare-col >> nth=1`);
      await s.shot('prompt-axis');

      const before = await documentText(s);
      await s.page.hover(`${cellSel(grid)}[data-col="1"]`);
      await s.page.click(`${cellSel(grid)}[data-col="1"] .compare-use`);
      await s.page.waitForFunction(() => !(JSON.parse((window as unknown as { wanGraphProbe: { documentText(): string } }).wanGraphProbe.documentText()) as GraphDocument).nodes.some((n) => n.type === 'PromptList'));
      const used = JSON.parse(await documentText(s)) as GraphDocument;
      const prompt = used.nodes.find((n) => n.type === 'Prompt')!;
      expect(prompt).toMatchObject({ title: 'Positive prompt', params: { text: prompts[1] } });
      expect(used.links.find((l) => l.to.node === vi && l.to.port === 'positive')!.from).toEqual({ node: prompt.id, port: 'text' });
      await s.shot('prompt-used');
      await s.page.keyboard.press('Control+z');
      await s.page.waitForFunction((text) => (window as unknown as { wanGraphProbe: { documentText(): string } }).wanGraphProbe.documentText() === text, before);
    });
  }, 240_000);
});
