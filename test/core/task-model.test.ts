import { describe, expect, it } from 'vitest';
import { paramProblem, type IntSpec } from '../../app/core/params';
import { checkVideoTask } from '../../app/core/task-check';
import { modelOfTaskNode, paramSpecInGraph } from '../../app/core/task-model';
import { MODELS, TASK_FIELDS } from '../../app/core/wan-spec';
import { registry } from '../../nodes';
import { compile, GraphBuilder } from '../helpers';

// Every editor takes a parameter's limits from the model its task runs on, and those limits are
// the ones the task check applies: one rule, read in two places.

const TURBO = 'runware:200@8';

describe('limits of the connected model', () => {
  it('narrows Results to 1–4 on a Video Inference linked to Turbo, and leaves A14B at 1–20', () => {
    const turbo = GraphBuilder.minimal(TURBO);
    expect((paramSpecInGraph(turbo.g.doc, registry, turbo.vi, 'numberResults') as IntSpec).max).toBe(4);
    const a14b = GraphBuilder.minimal('runware:200@6');
    expect((paramSpecInGraph(a14b.g.doc, registry, a14b.vi, 'numberResults') as IntSpec).max).toBe(20);
    // other fields and other nodes are as their definition gives them
    expect(paramSpecInGraph(turbo.g.doc, registry, turbo.vi, 'steps')).toBe(registry.get('VideoInference')!.params.steps);
    expect(paramSpecInGraph(turbo.g.doc, registry, turbo.p, 'text')).toBe(registry.get('Prompt')!.params.text);
  });

  it('follows the model node: its default, a change of model, an unlinked or muted model', () => {
    const { g, m, vi } = GraphBuilder.minimal(TURBO);
    delete g.doc.nodes[m - 1]!.params.model; // unset: the Model node's default (A14B)
    expect(modelOfTaskNode(g.doc, registry, vi)?.id).toBe(MODELS[0]!.id);
    g.doc.nodes[m - 1]!.params.model = TURBO;
    expect(modelOfTaskNode(g.doc, registry, vi)?.name).toBe('Wan2.2 A14B Turbo');
    g.doc.nodes[m - 1]!.mode = 'muted';
    expect(modelOfTaskNode(g.doc, registry, vi)).toBeUndefined();
    expect((paramSpecInGraph(g.doc, registry, vi, 'numberResults') as IntSpec).max).toBe(20);
    g.doc.links = g.doc.links.filter((l) => l.to.port !== 'model');
    expect(modelOfTaskNode(g.doc, registry, vi)).toBeUndefined();
  });

  it('refuses in the editor exactly what the task check refuses', () => {
    for (const n of [1, 4, 5, 20, 21]) {
      const { g, vi } = GraphBuilder.minimal(TURBO, { numberResults: n });
      const editor = paramProblem(paramSpecInGraph(g.doc, registry, vi, 'numberResults')!, n);
      const checked = checkVideoTask({ taskType: 'videoInference', model: TURBO, positivePrompt: 'a lake', numberResults: n }, { requireEnvelope: false }).filter((i) => i.parameter === 'numberResults');
      expect(editor === undefined, `numberResults ${n}`).toBe(checked.length === 0);
      expect(compile(g.doc).ok, `numberResults ${n}`).toBe(n <= 4);
    }
    expect(TASK_FIELDS.numberResults.max).toBe(20); // the general field stays as the service gives it
  });
});
