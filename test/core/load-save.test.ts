import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FILE_VERSION, graphName } from '../../app/core/document';
import { stringifyJson } from '../../app/core/support/json';
import { loadGraph } from '../../app/core/load';
import { FILE_MIGRATIONS, migrateFile, type FileMigration } from '../../app/core/migrations';
import { createRegistry, type NodeDefinition } from '../../app/core/node-def';
import { param } from '../../app/core/params';
import { serializeGraph } from '../../app/core/save';
import { validateGraph } from '../../app/core/validate';
import { registry } from '../../nodes';
import { compile, GraphBuilder, loadFile } from '../helpers';

const FIXTURE = 'test/fixtures/format/v1-every-node-type.wgraph.json';

describe('golden format fixtures (kept forever)', () => {
  it('format version 1 with every node type loads, re-saves to the same bytes and compiles as it always did', () => {
    const bytes = readFileSync(FIXTURE, 'utf8');
    const doc = loadFile(FIXTURE);
    expect(serializeGraph(doc)).toBe(bytes);
    expect(stringifyJson(compile(doc).tasks.map((t) => t.task))).toBe(readFileSync('test/fixtures/format/v1-every-node-type.tasks.json', 'utf8'));
  });

  it('the every-node-type fixture holds every node type of the registry, each linked into the graph, and compiles without a problem', () => {
    const doc = loadFile(FIXTURE);
    const linked = (id: number) => doc.links.some((l) => l.from.node === id || l.to.node === id);
    const wired = new Set(doc.nodes.filter((n) => linked(n.id)).map((n) => n.type));
    expect(registry.all().map((d) => d.type).filter((type) => !wired.has(type))).toEqual([]);
    expect(compile(doc).diagnostics).toEqual([]);
  });

  it('every file migration step has a golden fixture of the version it upgrades from', () => {
    for (const step of FILE_MIGRATIONS) expect(readFileSync(`test/fixtures/format/v${step.from}-every-node-type.wgraph.json`, 'utf8')).toContain(`"version": ${step.from}`);
    expect(FILE_MIGRATIONS.map((s) => s.from)).toEqual(Array.from({ length: FILE_VERSION - 1 }, (_, k) => k + 1));
  });
});

describe('saving', () => {
  it('is deterministic: the same graph gives the same bytes whatever order params were set in', () => {
    const a = GraphBuilder.minimal('runware:200@6', { steps: 30, fps: 24, duration: 6 });
    const b = GraphBuilder.minimal('runware:200@6', { duration: 6, fps: 24, steps: 30 });
    expect(serializeGraph(a.g.doc)).toBe(serializeGraph(b.g.doc));
  });

  it('round-trips every example graph byte for byte', () => {
    for (const file of ['aurora-ice-caravan-crossing', 'turbo-glacier-sunrise-first-last-frame']) {
      const path = `graphs/${file}.wgraph.json`;
      expect(serializeGraph(loadFile(path))).toBe(readFileSync(path, 'utf8'));
    }
  });

  it('keeps unknown node types and unknown parameters verbatim, while reporting them', () => {
    const { g, vi } = GraphBuilder.minimal();
    const alien = g.node('UpscaleVideo', { factor: 2, nested: { keep: [1, 'two'] } });
    g.doc.nodes[vi - 1]!.params.motionBucket = 7;
    const loaded = loadGraph(serializeGraph(g.doc), registry);
    if (!loaded.ok) throw new Error('should load');
    const problems = validateGraph(loaded.doc, registry);
    expect(problems).toEqual([
      expect.objectContaining({ code: 'unknownParameter', nodeId: vi, field: 'motionBucket' }),
      expect.objectContaining({ code: 'unknownNodeType', nodeId: alien, message: expect.stringContaining('"UpscaleVideo"') }),
    ]);
    expect(serializeGraph(loaded.doc)).toBe(serializeGraph(g.doc));
  });
});

describe('loading', () => {
  it('refuses a file from a newer format version, saying so', () => {
    const r = loadGraph(JSON.stringify({ format: 'wan-graph', version: FILE_VERSION + 1 }), registry);
    expect(r).toMatchObject({ ok: false, errors: [{ code: 'newerVersion', message: expect.stringContaining('newer version of this app') }] });
  });

  it('names the node, its title and the field of a structural error', () => {
    const { g } = GraphBuilder.minimal();
    const raw = JSON.parse(serializeGraph(g.doc));
    raw.nodes[1].mode = 'paused';
    raw.nodes[2].colour = 'red';
    const r = loadGraph(JSON.stringify(raw), registry);
    expect(r).toMatchObject({
      ok: false,
      errors: [
        { nodeId: 2, nodeTitle: 'Prompt 2', field: 'mode' },
        { nodeId: 3, nodeTitle: 'VideoInference 3', message: 'unknown field "colour"' },
      ],
    });
  });

  it('upgrades old node type versions through their named migrations', () => {
    const v2: NodeDefinition = {
      ...registry.get('LoRA')!,
      version: 3,
      params: { model: param.string({ label: 'LoRA', optional: false }), strength: param.float({ label: 'Strength', min: -4, max: 4, step: 0.01 }) },
      migrations: [
        { from: 1, name: 'weight becomes strength', up: ({ weight, ...rest }) => ({ ...rest, ...(weight === undefined ? {} : { strength: weight }) }) },
        { from: 2, name: 'model ids lose a civitai: prefix typo', up: (p) => ({ ...p, model: String(p.model).replace('civitia:', 'civitai:') }) },
      ],
    };
    const testRegistry = createRegistry(registry.all().map((d) => (d.type === 'LoRA' ? v2 : d)));
    const g = new GraphBuilder();
    g.node('LoRA', { model: 'civitia:1@1', weight: 0.7 });
    const r = loadGraph(serializeGraph(g.doc), testRegistry);
    expect(r).toMatchObject({ ok: true, migrated: ['LoRA: weight becomes strength', 'LoRA: model ids lose a civitai: prefix typo'] });
    if (r.ok) expect(r.doc.nodes[0]).toMatchObject({ typeVersion: 3, params: { model: 'civitai:1@1', strength: 0.7 } });
  });

  it('runs file migrations as ordered named steps up to the current version', () => {
    const steps: FileMigration[] = [
      { from: 1, name: 'nodes gain tags', up: (f) => ({ ...f, tags: [] }) },
      { from: 2, name: 'tags become labels', up: ({ tags, ...f }) => ({ ...f, labels: tags ?? [] }) },
    ];
    expect(migrateFile({ version: 1 }, 1, steps, 3)).toEqual({ file: { version: 3, labels: [] }, applied: ['nodes gain tags', 'tags become labels'] });
    expect(() => migrateFile({ version: 1 }, 1, steps.slice(1), 3)).toThrow('no migration from format version 1 to 2');
  });
});

describe('the name a graph goes by', () => {
  it('is its own, else its file’s without the extension, else Untitled — one rule for tabs, runs and the library', () => {
    expect(graphName({ name: 'Lantern Market' }, '/g/x.wgraph.json')).toBe('Lantern Market');
    expect(graphName({}, '/graphs/night-market.wgraph.json')).toBe('night-market');
    expect(graphName({}, 'C:\\graphs\\night-market.json')).toBe('night-market');
    expect(graphName({}, undefined)).toBe('Untitled');
  });
});
