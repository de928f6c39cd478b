import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseJson } from '../../app/core/support/json';
import { compile, loadFile } from '../helpers';

// The four example requests of the A14B specification are the contract: each graph in graphs/
// must compile to its request exactly, key for key and value for value, the taskUUID aside.

interface SeedExample {
  name: string;
  request: Record<string, unknown>;
}
const examples: SeedExample[] = JSON.parse(readFileSync('test/fixtures/seed-examples.json', 'utf8'));
const fileOf = (name: string) => `graphs/${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.wgraph.json`;
const withoutUuid = ({ taskUUID: _u, ...rest }: Record<string, unknown>) => rest;

describe('the four seed examples', () => {
  it('are all here', () => {
    expect(examples.map((e) => e.name)).toEqual(['Submerged Cathedral Choir Procession', 'Wind-Carved Canyon Pilgrims', 'Volcanic Salt Flats Procession', 'Aurora Ice Caravan Crossing']);
  });

  for (const example of examples) {
    it(`${example.name} compiles to its request`, () => {
      const result = compile(loadFile(fileOf(example.name)));
      expect(result.diagnostics).toEqual([]);
      expect(result.tasks).toHaveLength(1);
      const task = result.tasks[0]!.task;
      expect(withoutUuid(task)).toStrictEqual(withoutUuid(example.request));
      // same keys in the same order as the specification writes them
      expect(Object.keys(task)).toEqual(Object.keys(example.request));
      expect(task.taskUUID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });
  }

});

describe('the Turbo example graphs', () => {
  it('text to video compiles for runware:200@8 with 8 steps and no frame images', () => {
    const { tasks, diagnostics } = compile(loadFile('graphs/turbo-lantern-market-text-to-video.wgraph.json'));
    expect(diagnostics).toEqual([]);
    expect(tasks[0]!.task).toMatchObject({ model: 'runware:200@8', steps: 8, numberResults: 2 });
    expect(tasks[0]!.task).not.toHaveProperty('inputs');
  });

  it('first and last frame compiles with both frames in order, and its LoRA', () => {
    const { tasks, diagnostics } = compile(loadFile('graphs/turbo-glacier-sunrise-first-last-frame.wgraph.json'));
    expect(diagnostics).toEqual([]);
    const task = tasks[0]!.task as { inputs: { frameImages: { frame: string }[] }; lora: unknown[] };
    expect(task.inputs.frameImages.map((f) => f.frame)).toEqual(['first', 'last']);
    expect(task.lora).toEqual([{ model: 'civitai:1307155@1475095', weight: 0.8, transformer: 'low' }]);
  });
});

describe('the sweep example graphs', () => {
  // Pinned by hand-checked files: each task without its UUID, with the swept values that made it.
  const pinned = (name: string) => parseJson(readFileSync(`test/fixtures/sweeps/${name}.tasks.json`, 'utf8'));
  const compiled = (name: string) => {
    const { tasks, diagnostics } = compile(loadFile(`graphs/${name}.wgraph.json`));
    expect(diagnostics).toEqual([]);
    return tasks.map(({ task, coordinates }) => ({ coordinates: coordinates.map((c) => `${c.title} = ${c.label}`), task: withoutUuid(task) }));
  };

  it('Turbo seed × CFG: 3 × 3 tasks, seeds outer, CFG inner', () => {
    const tasks = compiled('sweep-turbo-night-market-seed-cfg');
    expect(tasks).toStrictEqual(pinned('sweep-turbo-night-market-seed-cfg'));
    expect(tasks.map((t) => [t.task.seed, t.task.CFGScale])).toEqual([1001, 1002, 1003].flatMap((s) => [1, 1.5, 2].map((c) => [s, c])));
  });

  it('A14B prompt list × LoRA weight: 3 prompts ({dawn|midnight} expanded) × 4 weights', () => {
    const tasks = compiled('sweep-a14b-lighthouse-prompts-lora-weight');
    expect(tasks).toStrictEqual(pinned('sweep-a14b-lighthouse-prompts-lora-weight'));
    expect(tasks).toHaveLength(12);
    expect(new Set(tasks.map((t) => t.task.positivePrompt)).size).toBe(3);
  });
});
