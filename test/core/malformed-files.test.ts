import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../app/core/compile';
import { formatDiagnostic, type Diagnostic } from '../../app/core/diagnostics';
import { parseJson } from '../../app/core/support/json';
import { serializeGraph } from '../../app/core/save';
import { readGraphFile } from '../../app/host/file-io';
import { registry } from '../../nodes';
import { counterUuid } from '../helpers';

// Malformed graph files, each through the path an artist's file takes: readGraphFile (read,
// parse, migrate, structural checks), then compileGraph (node types, parameters, links, task
// rules). Every case must end in an error that says what is wrong and where — never a crash,
// a hang, or a silent success.
//
// Fixtures live in test/fixtures/malformed/: most are the valid base graph (valid-base.wgraph.json)
// with one thing broken, their "name" saying what; the rest are not JSON or not a graph at all.
// Files too big to commit (50 MB, 100,000 levels of nesting) are generated into a temp folder.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = 'test/fixtures/malformed';
const fixture = (name: string) => join(ROOT, FIXTURES, `${name}.wgraph.json`);

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'wan-graph-malformed-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const baseText = () => readFile(fixture('valid-base'), 'utf8');

type Generator = (dir: string) => Promise<string>;

/** Writes `data` into the temp folder as NAME.wgraph.json and returns its path. */
const temp = async (dir: string, name: string, data: string | Uint8Array) => {
  const path = join(dir, `${name}.wgraph.json`);
  await writeFile(path, data);
  return path;
};

/** The base graph with the positive prompt's text replaced by raw JSON. */
const withPromptText = async (dir: string, name: string, rawValue: string) => {
  const text = await baseText();
  const from = /"text":"a caravan[^"]*"/;
  expect(text).toMatch(from);
  return temp(dir, name, text.replace(from, `"text":${rawValue}`));
};

const GENERATED = {
  /** 100,000 nested arrays as a parameter value: must stop at the depth limit, not overflow the stack. */
  deepNesting: (dir) => withPromptText(dir, 'deep-nesting', '['.repeat(100_000) + ']'.repeat(100_000)),
  /** A prompt one character over the 3000 limit. */
  promptTooLong: (dir) => {
    const sentence = 'Lanterns sway over the night market while the camera drifts between the stalls. ';
    return withPromptText(dir, 'prompt-too-long', JSON.stringify(sentence.repeat(40).slice(0, 3001)));
  },
  /** A valid graph padded with 50 MB of whitespace: only the size limit can refuse it. */
  fiftyMegabytes: async (dir) => {
    const text = await baseText();
    const end = text.lastIndexOf('}');
    const bytes = Buffer.alloc(50 * 1024 * 1024, 0x20);
    bytes.write(text.slice(0, end), 0, 'utf8');
    bytes.write('}\n', bytes.length - 2, 'utf8');
    return temp(dir, 'fifty-megabytes', bytes);
  },
  missingFile: async (dir) => join(dir, 'does-not-exist.wgraph.json'),
} satisfies Record<string, Generator>;

interface Case {
  /** A fixture name in test/fixtures/malformed, or a generator writing the file at run time. */
  file: string | Generator;
  name?: string;
  /** 'load': readGraphFile refuses the file. 'compile': it loads, and compileGraph reports the error. */
  stage: 'load' | 'compile';
  code: string;
  /** In the diagnostic as the CLI prints it: the field or the reason, in words. */
  says: string | RegExp;
  node?: number;
  field?: string;
  link?: number;
  path?: string;
}

const load = (file: Case['file'], code: string, says: Case['says'], where: Partial<Case> = {}): Case => ({ file, stage: 'load', code, says, ...where });
const compile = (file: Case['file'], code: string, says: Case['says'], where: Partial<Case> = {}): Case => ({ file, stage: 'compile', code, says, ...where });

const CASES: Case[] = [
  // wrong types
  load('nodes-is-object', 'invalidStructure', /nodes: .*expected array/, { path: 'nodes' }),
  load('node-id-string', 'invalidStructure', /nodes\[0\]\.id: .*expected number/, { path: 'nodes[0].id' }),
  load('node-mode-paused', 'invalidStructure', /mode: .*"active"\|"muted"\|"bypassed"/, { node: 4, field: 'mode' }),
  load('params-array', 'invalidStructure', /params: .*expected record, received array/, { node: 4, field: 'params' }),
  // missing fields
  load('no-format', 'notAGraph', '"format" must be "wan-graph"', { path: 'format' }),
  load('no-version', 'invalidVersion', '"version" must be 1, not missing', { path: 'version' }),
  load('no-nodes', 'invalidStructure', /nodes: .*expected array, received undefined/, { path: 'nodes' }),
  load('node-without-type', 'invalidStructure', /type: .*expected string, received undefined/, { node: 4, field: 'type' }),
  load('link-without-to', 'invalidStructure', /link 2 › to: .*expected object, received undefined/, { link: 2, field: 'to' }),
  // unknown fields
  load('unknown-top-level-field', 'invalidStructure', 'unknown field "author"', { path: '(top level)' }),
  load('unknown-node-field', 'invalidStructure', 'unknown field "color"', { node: 4 }),
  // format and version
  load('version-99', 'newerVersion', /format version 99, made by a newer version/, { path: 'version' }),
  load('version-0', 'invalidVersion', '"version" must be 1, not', { path: 'version' }),
  load('version-string', 'invalidVersion', '"version" must be 1, not', { path: 'version' }),
  load('version-fraction', 'invalidVersion', '"version" must be 1, not', { path: 'version' }),
  load('wrong-format', 'notAGraph', 'not a graph file: "format" must be "wan-graph", not "comfyui-workflow"', { path: 'format' }),
  // links
  compile('cycle-two-loras', 'cycle', 'part of a cycle (5 → 6 → 5)', { node: 5 }),
  compile('cycle-two-loras', 'cycle', 'part of a cycle (5 → 6 → 5)', { node: 6, name: 'cycle-two-loras (second node)' }),
  compile('self-link', 'cycle', 'part of a cycle (5 → 5)', { node: 5 }),
  compile('dangling-link-to', 'danglingLink', 'link 4 points at node 99, which does not exist', { node: 3, field: 'text', link: 4 }),
  compile('dangling-link-from', 'danglingLink', 'link 1 points at node 99, which does not exist', { node: 4, field: 'model', link: 1 }),
  compile('unknown-input-port', 'unknownPort', 'Video Inference has no input or parameter "negativePrompt"', { node: 4, field: 'negativePrompt', link: 3 }),
  compile('unknown-output-port', 'unknownPort', 'Prompt has no output "prompt"', { node: 2, field: 'prompt', link: 2 }),
  compile('incompatible-link', 'incompatibleLink', 'input "negative" takes PROMPT, but it is linked to "model" of node 1, which gives MODEL', { node: 4, field: 'negative', link: 3 }),
  compile('input-linked-twice', 'inputLinkedTwice', 'input "positive" has more than one link', { node: 4, field: 'positive', link: 4 }),
  load('duplicate-node-ids', 'duplicateId', 'two nodes have the id 2', { node: 2 }),
  load('duplicate-link-ids', 'duplicateId', 'two links have the id 2', { link: 2 }),
  // kept verbatim, reported (see also "unknown things survive a save" below)
  compile('unknown-node-type', 'unknownNodeType', 'unknown node type "SuperResolution"', { node: 5 }),
  compile('unknown-parameter', 'unknownParameter', 'unknown parameter "motionStrength" for Video Inference', { node: 4, field: 'motionStrength' }),
  // out of range
  compile('steps-51', 'invalidParameter', 'Steps must be at most 50', { node: 4, field: 'steps' }),
  compile('cfgscale-0', 'invalidParameter', 'CFG scale must be at least 0.1', { node: 4, field: 'CFGScale' }),
  compile('cfgscale-off-step', 'invalidParameter', 'CFG scale must be a multiple of 0.01', { node: 4, field: 'CFGScale' }),
  compile('number-results-21', 'invalidParameter', 'Results must be at most 20', { node: 4, field: 'numberResults' }),
  compile('turbo-number-results-5', 'invalidNumberResults', 'numberResults must be at most 4 for Wan2.2 A14B Turbo', { node: 4, field: 'numberResults' }),
  compile('duration-16', 'invalidParameter', 'Duration (s) must be at most 15', { node: 4, field: 'duration' }),
  compile('fps-15', 'invalidParameter', 'FPS must be at least 16', { node: 4, field: 'fps' }),
  compile('output-quality-100', 'invalidParameter', 'Quality must be at most 99', { node: 5, field: 'outputQuality' }),
  compile('ttl-59', 'invalidParameter', 'TTL (s) must be at least 60', { node: 5, field: 'ttl' }),
  compile('lora-weight-5', 'invalidParameter', 'Weight must be at most 4', { node: 5, field: 'weight' }),
  compile('seed-negative', 'invalidParameter', 'Seed must be at least 0', { node: 4, field: 'seed' }),
  compile('seed-above-max', 'invalidParameter', 'Seed must be at most 9223372036854775807', { node: 4, field: 'seed' }),
  // numbers JSON cannot hold
  load('number-1e400', 'invalidJson', 'number 1e400 is too large at line 9', { path: 'line 9' }),
  load('nan', 'invalidJson', 'NaN and Infinity are not valid JSON numbers at line 9', { path: 'line 9' }),
  load('infinity', 'invalidJson', 'NaN and Infinity are not valid JSON numbers at line 9', { path: 'line 9' }),
  load('negative-infinity', 'invalidJson', 'NaN and Infinity are not valid JSON numbers at line 9', { path: 'line 9' }),
  // prototype keys: reported, and Object.prototype stays clean (checked after every case)
  load('proto-top-level', 'invalidStructure', 'unknown field "__proto__"', { path: '(top level)' }),
  load('proto-in-node', 'invalidStructure', 'unknown field "__proto__"', { node: 4 }),
  load('proto-in-params', 'reservedParameter', 'parameter name "__proto__" is reserved', { node: 4, field: '__proto__' }),
  load('constructor-top-level', 'invalidStructure', 'unknown field "constructor"', { path: '(top level)' }),
  load('constructor-in-node', 'invalidStructure', 'unknown field "constructor"', { node: 4 }),
  load('constructor-in-params', 'reservedParameter', 'parameter name "constructor" is reserved', { node: 4, field: 'constructor' }),
  // not JSON, or not a graph
  load(GENERATED.deepNesting, 'invalidJson', 'nesting deeper than 64 levels', { name: 'deep nesting (100,000 arrays, generated)' }),
  load('empty', 'emptyFile', 'the file is empty'),
  load('whitespace-only', 'emptyFile', 'the file is empty'),
  load('null', 'notAGraph', 'a graph file must be a JSON object'),
  load('top-level-array', 'notAGraph', 'a graph file must be a JSON object'),
  load('invalid-utf8', 'invalidEncoding', /not valid UTF-8 text \(first bad byte at offset \d+\)/),
  load('utf16-bom', 'invalidEncoding', 'the file is UTF-16 text; graph files are UTF-8'),
  load('trailing-garbage', 'invalidJson', "unexpected '}' after the end of the document"),
  load('duplicate-keys', 'invalidJson', 'duplicate key "steps" at line 9'),
  load('truncated', 'invalidJson', /unterminated string|end of file/),
  load(GENERATED.fiftyMegabytes, 'fileTooLarge', 'the file is 50.0 MB; graph files are limited to 32 MB', { name: '50 MB file (generated)' }),
  load(GENERATED.missingFile, 'unreadable', 'no such file', { name: 'missing file' }),
  // prompts
  compile('prompt-too-short', 'invalidParameter', 'Text is too short (allowed: 2–3000 characters)', { node: 2, field: 'text' }),
  compile(GENERATED.promptTooLong, 'invalidParameter', 'Text is too long (allowed: 2–3000 characters)', { node: 2, field: 'text', name: 'prompt of 3001 characters (generated)' }),
  // task rules across nodes
  compile('width-without-height', 'invalidDimensions', 'width and height go together: height is missing', { node: 4, field: 'height' }),
  compile('cache-start-not-below-end', 'invalidCacheStartStep', 'cacheStartStep (10) must be less than cacheEndStep (10)', { node: 5, field: 'cacheStartStep' }),
  compile('cache-end-above-steps', 'invalidCacheEndStep', 'cacheEndStep (25) must be at most steps (20)', { node: 5, field: 'cacheEndStep' }),
  compile('cache-steps-and-percentage', 'conflictingParameters', 'absolute cache steps and cache percentages are alternatives', { node: 5, field: 'cacheStartStepPercentage' }),
  compile('three-frame-images', 'invalidFrameImages', 'frameImages takes 1 to 2 images (got 3)', { node: 4, field: 'frames' }),
  compile('positive-prompt-unlinked', 'missingInput', 'Positive prompt is not linked', { node: 4, field: 'positive' }),
  compile('positive-prompt-muted', 'missingInput', 'Positive prompt comes from node 2, which is muted', { node: 4, field: 'positive' }),
];

interface Outcome {
  stage: 'load' | 'compile';
  diagnostics: Diagnostic[];
  /** Compile only: whether it produced tasks without errors. */
  ok: boolean;
}

async function check(path: string): Promise<Outcome> {
  const loaded = await readGraphFile(path, registry);
  if (!loaded.ok) return { stage: 'load', diagnostics: loaded.errors, ok: false };
  const result = compileGraph(loaded.doc, registry, { uuid: counterUuid() });
  return { stage: 'compile', diagnostics: result.diagnostics, ok: result.ok };
}

const pathOf = async (file: Case['file']) => (typeof file === 'string' ? fixture(file) : file(tmp));
const nameOf = (c: Case) => c.name ?? (typeof c.file === 'string' ? c.file : 'generated');

describe('malformed graph files', () => {
  it('the base every fixture breaks is itself valid', async () => {
    const outcome = await check(fixture('valid-base'));
    expect(outcome).toEqual({ stage: 'compile', diagnostics: [], ok: true });
  });

  it('covers at least 50 malformed files', () => {
    expect(new Set(CASES.map((c) => c.file)).size).toBeGreaterThanOrEqual(50);
  });

  it.each(CASES.map((c) => [nameOf(c), c] as const))('%s', async (_name, c) => {
    const outcome = await check(await pathOf(c.file));
    const all = outcome.diagnostics.map((d) => `  ${d.severity} ${d.code}: ${formatDiagnostic(d)}`).join('\n');

    expect(outcome.stage, `caught at the wrong stage; diagnostics:\n${all}`).toBe(c.stage);
    expect(outcome.ok).toBe(false);
    const errors = outcome.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);

    const d = errors.find(
      (e) =>
        e.code === c.code &&
        (c.node === undefined || e.nodeId === c.node) &&
        (c.field === undefined || e.field === c.field) &&
        (c.link === undefined || e.linkId === c.link),
    );
    expect(d, `no ${c.code} error at ${JSON.stringify({ node: c.node, field: c.field, link: c.link })}; got:\n${all}`).toBeDefined();
    const text = formatDiagnostic(d!);
    if (typeof c.says === 'string') expect(text).toContain(c.says);
    else expect(text).toMatch(c.says);
    if (c.node !== undefined) {
      expect(d!.nodeTitle, 'a node diagnostic names the node').toEqual(expect.any(String));
      expect(text).toContain(`node ${c.node} "${d!.nodeTitle}"`);
    }
    if (c.field !== undefined) expect(text).toContain(c.field);
    if (c.path !== undefined) expect(d!.path).toBe(c.path);

    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
  }, 20_000);
});

describe('unknown things survive a save', () => {
  // Loading keeps what this app does not understand, so saving cannot destroy an artist's work.
  it.each([
    ['unknown-node-type', 5, 'unknownNodeType'],
    ['unknown-parameter', 4, 'unknownParameter'],
  ] as const)('%s: reported, and node %i is saved verbatim', async (name, nodeId, code) => {
    const original = await readFile(fixture(name), 'utf8');
    const loaded = await readGraphFile(fixture(name), registry);
    if (!loaded.ok) throw new Error(loaded.errors.map((d) => formatDiagnostic(d)).join('\n'));
    const result = compileGraph(loaded.doc, registry, { uuid: counterUuid() });
    expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.nodeId])).toContainEqual([code, nodeId]);

    const nodeIn = (text: string) => (parseJson(text) as { nodes: { id: number }[] }).nodes.find((n) => n.id === nodeId);
    const saved = serializeGraph(loaded.doc);
    expect(nodeIn(saved)).toEqual(nodeIn(original));
    expect(nodeIn(saved)).toBeDefined();

    const again = await readGraphFile(await temp(tmp, `${name}-saved`, saved), registry);
    expect(again.ok && serializeGraph(again.doc)).toBe(saved);
  });
});
