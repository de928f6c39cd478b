import { randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { ffprobeBeside, runTool } from './ffmpeg';

// A Compare Grid as files, with ffmpeg: one video of every cell side by side (xstack), playing
// together, and a contact sheet (each cell's middle frame). Cells are scaled to one size; the top
// row carries the column labels and the left column the row labels, drawn in the shipped DejaVu
// font. Label text reaches ffmpeg through files (drawtext textfile=, expansion off) in a private
// working folder, as the sandbox does: nothing typed by the artist is ever escaped by hand.

export interface GridExportInput {
  ffmpegPath: string;
  /** A TrueType font for the labels (DejaVu Sans Mono Bold: its glyphs all advance alike, so a label is cut to fit exactly). */
  fontFile: string;
  /** Video files row by row; undefined where a cell has none (drawn as an empty cell). */
  cells: readonly (string | undefined)[];
  columns: number;
  columnLabels: readonly string[];
  rowLabels: readonly string[];
  outVideo: string;
  outImage: string;
}

export interface GridExportResult {
  columns: number;
  rows: number;
  cellWidth: number;
  cellHeight: number;
  fps: number;
  /** Seconds: the longest cell's; shorter ones hold their last frame. */
  duration: number;
}

interface Probed {
  width: number;
  height: number;
  fps: number;
  duration: number;
}

/** DejaVu Sans Mono advances every glyph by 1233/2048 em. */
const MONO_ADVANCE = 1233 / 2048;
/** The grid is kept within 4K: larger cells are scaled down. */
const MAX_SIDE = { width: 3840, height: 2160 };
/** Small cells are scaled up to this height (within MAX_SIDE), so that their labels stay readable. */
const MIN_CELL_HEIGHT = 240;
const EMPTY = '0x202020';

async function probe(ffmpeg: string, file: string): Promise<Probed> {
  const out = await runTool(ffprobeBeside(ffmpeg), ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height,r_frame_rate:format=duration', '-of', 'json', `file:${file}`]).catch((e: unknown) => {
    throw new Error(`${file} could not be read as a video: ${(e as Error).message}`);
  });
  const j = JSON.parse(out) as { streams?: { width?: number; height?: number; r_frame_rate?: string }[]; format?: { duration?: string } };
  const s = j.streams?.[0];
  if (!s?.width || !s.height) throw new Error(`${file} has no video stream`);
  const [num, den] = (s.r_frame_rate ?? '16/1').split('/').map(Number);
  const fps = num && den ? num / den : 16;
  return { width: s.width, height: s.height, fps, duration: Number(j.format?.duration) || 1 };
}

const even = (n: number) => Math.max(2, 2 * Math.round(n / 2));

/** A label cut to `cols` characters (code points), ending in "…" when cut; control characters become spaces. */
function fitLabel(text: string, cols: number): string {
  const chars = Array.from(text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ' ').replace(/\s+/gu, ' ').trim());
  if (chars.length <= cols) return chars.join('');
  return chars.slice(0, Math.max(1, cols - 1)).join('') + '…';
}

interface Plan {
  args: string[];
  /** Text files for drawtext, written into the working folder. */
  texts: { name: string; text: string }[];
}

/**
 * The ffmpeg arguments for the video (`sheet: false`) or the contact sheet (`sheet: true`); pure,
 * so what ffmpeg is asked can be read in tests. Files are named relative to the working folder.
 */
function planGrid(o: Omit<GridExportInput, 'ffmpegPath' | 'fontFile'>, probed: readonly (Probed | undefined)[], sheet: boolean, out: string): Plan & GridExportResult {
  const { columns } = o;
  const rows = Math.ceil(o.cells.length / columns);
  const first = probed.find((p) => p !== undefined);
  if (!first) throw new Error('the grid has no video to export');
  const fit = Math.min(Math.max(1, MIN_CELL_HEIGHT / first.height), MAX_SIDE.width / (columns * first.width), MAX_SIDE.height / (rows * first.height));
  const W = even(first.width * fit);
  const H = even(first.height * fit);
  const fps = Math.max(...probed.map((p) => p?.fps ?? 0));
  const duration = Math.max(...probed.map((p) => p?.duration ?? 0));
  const fs = Math.min(48, Math.max(12, Math.round(H / 11)));
  const border = Math.max(3, Math.round(fs * 0.3));
  const margin = Math.max(4, Math.round(fs * 0.4));
  const room = (share: number) => Math.max(4, Math.floor((W * share - 2 * margin - 2 * border) / (fs * MONO_ADVANCE)));

  const texts: Plan['texts'] = [];
  const label = (text: string, x: string, y: string, cols: number) => {
    const name = `label-${texts.length}.txt`;
    texts.push({ name, text: fitLabel(text, cols) });
    return `drawtext=fontfile=label.ttf:textfile=${name}:expansion=none:fontsize=${fs}:fontcolor=white:box=1:boxcolor=black@0.7:boxborderw=${border}:fix_bounds=1:x=${x}:y=${y}`;
  };

  const inputs: string[] = [];
  const chains: string[] = [];
  let input = 0;
  const n = rows * columns;
  for (let k = 0; k < n; k++) {
    const file = o.cells[k];
    const p = probed[k];
    const [r, c] = [Math.floor(k / columns), k % columns];
    const steps: string[] = [];
    let source: string;
    if (file && p) {
      if (sheet) inputs.push('-ss', (p.duration / 2).toFixed(3));
      inputs.push('-i', `file:${file}`);
      source = `[${input++}:v]`;
      steps.push(`fps=${fps}`, `scale=${W}:${H}:force_original_aspect_ratio=decrease`, `pad=${W}:${H}:(ow-iw)/2:(oh-ih)/2:color=${EMPTY}`, 'setsar=1', 'format=yuv420p');
      if (!sheet && duration - p.duration > 0.01) steps.push(`tpad=stop_mode=clone:stop_duration=${(duration - p.duration).toFixed(3)}`);
    } else {
      source = '';
      steps.push(`color=c=${EMPTY}:s=${W}x${H}:r=${fps}:d=${sheet ? 1 : duration.toFixed(3)}`, 'format=yuv420p');
      if (k < o.cells.length) steps.push(label('no video', '(w-text_w)/2', '(h-text_h)/2', room(0.9)));
    }
    if (r === 0 && o.columnLabels[c] !== undefined) steps.push(label(o.columnLabels[c]!, '(w-text_w)/2', String(margin + border), room(0.95)));
    if (c === 0 && rows > 1 && o.rowLabels[r] !== undefined) steps.push(label(o.rowLabels[r]!, String(margin + border), '(h-text_h)/2', room(0.6)));
    chains.push(`${source}${steps.join(',')}[c${k}]`);
  }
  const cells = Array.from({ length: n }, (_, k) => `[c${k}]`).join('');
  chains.push(n > 1 ? `${cells}xstack=inputs=${n}:grid=${columns}x${rows}[out]` : `${cells}null[out]`);

  const output = sheet
    ? ['-frames:v', '1', '-update', '1', '-c:v', 'png', '-f', 'image2']
    : ['-t', duration.toFixed(3), '-r', String(fps), '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', '-f', 'mp4'];
  const args = ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', ...inputs, '-filter_complex', chains.join(';\n'), '-map', '[out]', '-an', '-sn', '-dn', '-map_metadata', '-1', '-threads', '2', ...output, `file:${out}`];
  return { args, texts, columns, rows, cellWidth: W, cellHeight: H, fps, duration };
}

/** Makes the grid's video and contact sheet; each appears at its path only once it is complete. */
export async function exportGrid(o: GridExportInput): Promise<GridExportResult> {
  if (o.cells.length === 0) throw new Error('the grid has no cells');
  const probed = await Promise.all(o.cells.map((f) => (f ? probe(o.ffmpegPath, f) : undefined)));
  const work = await mkdtemp(join(tmpdir(), 'wan-grid-'));
  const partial = (path: string) => join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.part`);
  const parts: string[] = [];
  try {
    await copyFile(o.fontFile, join(work, 'label.ttf')).catch((e: unknown) => {
      throw new Error(`the font for the grid's labels is missing (${o.fontFile}): ${(e as Error).message}`);
    });
    let result: GridExportResult | undefined;
    for (const [sheet, out] of [[false, o.outVideo], [true, o.outImage]] as const) {
      const tmp = partial(out);
      parts.push(tmp);
      const plan = planGrid(o, probed, sheet, tmp);
      for (const t of plan.texts) await writeFile(join(work, t.name), t.text);
      await runTool(o.ffmpegPath, plan.args, { cwd: work });
      result ??= plan;
    }
    for (const [k, out] of [o.outVideo, o.outImage].entries()) await rename(parts[k]!, out);
    const { columns, rows, cellWidth, cellHeight, fps, duration } = result!;
    return { columns, rows, cellWidth, cellHeight, fps, duration };
  } finally {
    await Promise.all(parts.map((p) => rm(p, { force: true })));
    await rm(work, { recursive: true, force: true });
  }
}
