import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The folder table of the architecture, held by lint: each row is an import that must be refused
// (or allowed) in a file of that folder.

const eslint = new ESLint({ cwd: process.cwd() });
const importIn = async (filePath: string, specifier: string) => {
  const [result] = await eslint.lintText(`import { x } from '${specifier}';\nexport const y = x;\n`, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
};

describe('folder import rules', () => {
  it('keeps the renderer away from the preload, types included: its API type comes from the contract', async () => {
    const [typed] = await eslint.lintText(`import type { BridgeApi } from '../preload/api';\nexport type A = BridgeApi;\n`, { filePath: 'app/renderer/a.ts' });
    expect(typed!.messages.filter((m) => m.ruleId === 'no-restricted-imports')).not.toEqual([]);
    expect(await importIn('app/renderer/a.ts', '../preload/api')).not.toEqual([]);
    expect(await importIn('app/renderer/a.ts', '../core/contract')).toEqual([]);
  });

  it.each([
    ['app/core/a.ts', 'node:fs'],
    ['app/core/a.ts', 'undici'],
    ['app/core/a.ts', '../../nodes'],
    ['app/core/a.ts', '../../nodes/lora'],
    ['app/core/a.ts', '../host/file-io'],
    // app/core/support/ is held to the same rule as the domain beside it
    ['app/core/support/a.ts', 'node:fs'],
    ['app/core/support/a.ts', 'undici'],
    ['app/core/support/a.ts', 'electron'],
    ['app/core/support/a.ts', '../../../nodes'],
    ['app/core/support/a.ts', '../../host/file-io'],
    ['app/core/support/a.ts', '../../renderer/app'],
    ['nodes/a.ts', 'node:path'],
    ['nodes/a.ts', '../app/host/file-io'],
    ['nodes/a.ts', '../app/runware/client'],
    ['app/runware/a.ts', '../host/jobs'],
    ['app/runware/a.ts', 'electron'],
    ['app/sandbox/a.ts', '../host/file-io'],
    ['app/host/a.ts', 'electron'],
    ['app/host/a.ts', '../renderer/graph/canvas'],
    ['app/host/service/a.ts', '../../sandbox/server'],
    ['app/web/a.ts', '../sandbox/server'],
    ['app/web/a.ts', '../cli/main'],
    ['app/web/a.ts', '../../nodes'],
    ['app/renderer/a.ts', '../host/file-io'],
    ['app/renderer/a.ts', 'node:fs'],
    ['app/renderer/a.ts', '../main/window'],
    ['app/renderer/a.ts', '../preload/api'],
    ['app/main/a.ts', '../renderer/app'],
    ['app/main/a.ts', '../web/server'],
    ['app/preload/a.ts', 'node:fs'],
    ['app/preload/a.ts', '../host/service/service'],
    ['app/preload/a.ts', '../main/ipc'],
  ])('%s may not import %s', async (file, specifier) => {
    expect(await importIn(file, specifier)).not.toEqual([]);
  });

  it.each([
    ['app/core/a.ts', 'zod'],
    ['app/core/a.ts', './support/json'],
    ['app/core/support/a.ts', 'zod'],
    ['app/core/support/a.ts', '../contract'],
    ['nodes/a.ts', '../app/core/wan-spec'],
    ['app/host/a.ts', 'node:fs/promises'],
    ['app/host/a.ts', '../core/compile'],
    ['app/host/a.ts', '../../nodes'],
    ['app/sandbox/a.ts', '../runware/schemas'],
    ['app/cli/a.ts', '../host/file-io'],
    ['app/cli/a.ts', '../web/server'],
    ['app/web/a.ts', '../host/service/service'],
    ['app/web/a.ts', '../core/contract'],
    ['app/renderer/a.ts', '../core/compile'],
    ['app/main/a.ts', 'electron'],
    ['app/main/a.ts', '../host/service/service'],
    ['app/main/a.ts', '../sandbox/server'],
    ['app/preload/a.ts', 'electron'],
    ['app/preload/a.ts', '../core/contract'],
  ])('%s may import %s', async (file, specifier) => {
    expect(await importIn(file, specifier)).toEqual([]);
  });
});
