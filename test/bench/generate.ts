import { FILE_FORMAT, FILE_VERSION, type GraphDocument, type GraphLink, type GraphNode } from '../../app/core/document';
import { seededRandom } from '../../app/sandbox/faults';
import { GraphBuilder } from '../helpers';

// Generated graphs for benchmarks and tests: deterministic (same options, same graph), valid
// against the real node types, and shaped like what artists build.

export interface GenerateOptions {
  /** Video Inference task nodes, each with its own Model, positive and negative Prompt, two chained LoRAs and two chained Frame Images. */
  tasks: number;
  /** Video Preview nodes linked to the first task nodes, to round a graph to an exact node count. */
  previews?: number;
  /** Approximate length of each positive prompt, in characters. */
  promptLength?: number;
  seed?: number;
}

/** Nodes per task (Model, 2 Prompts, 2 LoRAs, 2 Frame Images, Video Inference); one Output node is shared. */
const NODES_PER_TASK = 8;

/** Options for a graph of exactly `nodes` nodes (≥ 1 + NODES_PER_TASK). */
export function optionsForNodeCount(nodes: number): GenerateOptions {
  const tasks = Math.floor((nodes - 1) / NODES_PER_TASK);
  return { tasks, previews: nodes - 1 - tasks * NODES_PER_TASK };
}

const SUBJECTS = ['a caravan of sleds', 'a lone lighthouse keeper', 'a flock of paper cranes', 'two dancers in red silk', 'a glass train', 'a choir of monks', 'a fox in fresh snow', 'a fleet of fishing boats'];
const PLACES = ['across a frozen lagoon', 'through a flooded cathedral', 'over volcanic salt flats', 'along a wind-carved canyon', 'under a lantern-lit market roof', 'past a glacier at sunrise'];
const MOTION = ['the camera tracks slowly forward with gentle parallax', 'a slow crane shot rises above the scene', 'the camera orbits in a wide half circle', 'a steady dolly pushes in toward the subject', 'handheld framing drifts softly with the wind'];
const DETAIL = [
  'mist curls across the ground and catches the low light',
  'loose snow skitters over the ice in thin ribbons',
  'lanterns sway and throw warm pools of amber light',
  'reflections ripple across the wet stone floor',
  'dust glitters in shafts of sunlight between the pillars',
  'pennants whip in the cold wind above the procession',
  'embers drift upward and fade into the dark sky',
];
const STYLE = ['cinematic, realistic textures, crisp natural lighting', 'muted palette with deep blues and warm highlights', 'epic scale, coherent detail, filmic grain', 'soft volumetric light, shallow depth of field'];
const NEGATIVE = 'low detail, blurry motion, flicker, warped anatomy, duplicated subjects, extra limbs, melting shapes, sudden camera shake, oversaturated colors, cartoon look, text, watermark, logo';


function generatePrompt(rand: () => number, length: number): string {
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  let text = `${pick(SUBJECTS)} moves ${pick(PLACES)}; ${pick(MOTION)}.`;
  while (text.length < length) text += ` ${pick(DETAIL).replace(/^./, (c) => c.toUpperCase())}, ${pick(STYLE)}.`;
  return text.length > length + 40 ? text.slice(0, length).trimEnd() + '.' : text;
}

export function generateGraph(options: GenerateOptions): GraphDocument {
  const { tasks, previews = 0, promptLength = 400, seed = 1 } = options;
  const rand = seededRandom(seed);
  const nodes: GraphNode[] = [];
  const links: GraphLink[] = [];
  const layoutNodes: GraphDocument['layout']['nodes'] = {};
  let nextNode = 1;
  let nextLink = 1;
  const add = (type: string, title: string, params: GraphNode['params'], x: number, y: number): number => {
    const id = nextNode++;
    nodes.push({ id, type, typeVersion: 1, title, mode: 'active', params });
    layoutNodes[String(id)] = { pos: [x, y], size: [320, 120] };
    return id;
  };
  const link = (from: number, fromPort: string, to: number, toPort: string) => {
    links.push({ id: nextLink++, from: { node: from, port: fromPort }, to: { node: to, port: toPort } });
  };

  const output = add('Output', 'Output', { outputType: 'URL', outputFormat: 'MP4', outputQuality: 95, ttl: 3600 }, 0, 0);
  const taskIds: number[] = [];
  for (let t = 0; t < tasks; t++) {
    const y = 200 + t * 900;
    const model = add('Model', `Model ${t + 1}`, { model: t % 4 === 3 ? 'runware:200@8' : 'runware:200@6' }, 0, y);
    const positive = add('Prompt', `Positive prompt ${t + 1}`, { text: generatePrompt(rand, promptLength) }, 0, y + 120);
    const negative = add('Prompt', `Negative prompt ${t + 1}`, { text: NEGATIVE }, 0, y + 360);
    const lora1 = add('LoRA', `LoRA ${t + 1}a`, { model: `civitai:${100000 + t}@${1 + (t % 7)}`, weight: 0.8, transformer: 'both' }, 400, y);
    const lora2 = add('LoRA', `LoRA ${t + 1}b`, { model: `civitai:${200000 + t}@1`, weight: -0.35, transformer: 'low' }, 400, y + 160);
    const frame1 = add('FrameImage', `First frame ${t + 1}`, { image: `https://assets.example.com/frames/${t + 1}/first.jpg`, frame: 'first' }, 400, y + 320);
    const frame2 = add('FrameImage', `Last frame ${t + 1}`, { image: `https://assets.example.com/frames/${t + 1}/last.jpg`, frame: 'last' }, 400, y + 480);
    const turbo = t % 4 === 3;
    const task = add(
      'VideoInference',
      `Video Inference ${t + 1}`,
      { width: 1280, height: 720, duration: 5, fps: 24, seed: 1000 + t, steps: turbo ? 8 : 30, scheduler: 'DPM++ 2M Karras', CFGScale: turbo ? 2 : 6.5, numberResults: 1 },
      800,
      y,
    );
    taskIds.push(task);
    link(model, 'model', task, 'model');
    link(positive, 'text', task, 'positive');
    link(negative, 'text', task, 'negative');
    link(lora1, 'lora', lora2, 'lora');
    link(lora2, 'lora', task, 'lora');
    link(frame1, 'frames', frame2, 'frames');
    link(frame2, 'frames', task, 'frames');
    link(output, 'output', task, 'output');
  }
  for (let p = 0; p < previews; p++) {
    const preview = add('VideoPreview', `Video Preview ${p + 1}`, {}, 1200, 200 + p * 900);
    if (taskIds[p] !== undefined) link(taskIds[p]!, 'video', preview, 'video');
  }
  return {
    format: FILE_FORMAT,
    version: FILE_VERSION,
    name: `Generated: ${tasks} tasks`,
    nodes,
    links,
    groups: [],
    layout: { nodes: layoutNodes, groups: {}, viewport: { offset: [0, 0], scale: 1 } },
  };
}

/**
 * A 3-list sweep (10 prompts × 10 seeds × 10 CFG values: 1,000 tasks) into one Video Inference
 * with a LoRA and an Output, laid out so that the editor shows every node at zoom 1.
 */
export function sweepGraph(): GraphDocument {
  const g = new GraphBuilder();
  const m = g.node('Model', { model: 'runware:200@6' });
  const prompts = g.node('PromptList', { prompts: Array.from({ length: 10 }, (_, i) => `shot ${i + 1}: a slow dolly through a misty pine forest at first light, volumetric rays, cinematic`).join('\n') });
  const seeds = g.node('Values', { values: '1000 ×10' });
  const cfg = g.node('Values', { values: '1..5.5 step 0.5' });
  const lora = g.node('LoRA', { model: 'civitai:1307155@1475095', weight: 0.8, transformer: 'both' });
  const out = g.node('Output', { outputFormat: 'MP4', includeCost: true });
  const vi = g.node('VideoInference', { width: 832, height: 480, duration: 5, fps: 16, steps: 30, numberResults: 1 });
  g.link(m, 'model', vi, 'model');
  g.link(prompts, 'prompt', vi, 'positive');
  g.link(seeds, 'values', vi, 'seed');
  g.link(cfg, 'values', vi, 'CFGScale');
  g.link(lora, 'lora', vi, 'lora');
  g.link(out, 'output', vi, 'output');
  const at: [number, [number, number]][] = [[m, [0, 0]], [prompts, [0, 110]], [seeds, [0, 340]], [cfg, [0, 490]], [vi, [380, 0]], [lora, [720, 0]], [out, [720, 150]]];
  for (const [id, pos] of at) g.doc.layout.nodes[String(id)] = { pos };
  g.doc.layout.viewport = { offset: [30, 40], scale: 1 };
  g.doc.name = 'sweep bench';
  return g.doc;
}
