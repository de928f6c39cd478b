import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Text the type checker and the linter never read (READMEs, decisions, data) is still checked for
// what a merge can leave behind.

const tracked = execFileSync('git', ['ls-files', '-z'], { encoding: 'utf8' }).split('\0').filter((f) => /\.(md|ts|mjs|json|yml|css|html)$/.test(f));

describe('the repository', () => {
  it('holds no merge-conflict markers', () => {
    const marked = tracked.filter((f) => /^(<<<<<<<|>>>>>>>) /m.test(readFileSync(f, 'utf8')));
    expect(marked).toEqual([]);
  });
});
