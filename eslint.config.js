// Lint, including the folder rules of the architecture: which folder may import which.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const node = ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'undici', 'electron'];
const patterns = (...groups) => ({ 'no-restricted-imports': ['error', { patterns: groups.map(([group, message, allowTypeImports = false]) => ({ group, message, allowTypeImports })) }] });

// Paths are matched against the import specifier; folders import each other by relative path.
const HOST = ['**/host/**', '**/app/host', '**/app/host/**'];
const MAIN = ['**/main/**', '**/preload/**'];
const RENDERER = ['**/renderer/**'];
const NODE_ONLY = [...node.map((n) => n), '**/runware/**', '**/sandbox/**', '**/web/**', '**/cli/**'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'test-results/**', 'bench-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.name='eval'], NewExpression[callee.name='Function']", message: 'no code from strings' }],
    },
  },
  {
    files: ['app/**/*.mjs', 'test/**/*.mjs', '.ci/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly' } },
  },
  // nodes/ and app/core/ run anywhere: pure TypeScript and zod, no I/O, no platform modules.
  { files: ['nodes/**/*.ts'], rules: patterns([[...NODE_ONLY, ...HOST, ...MAIN, ...RENDERER], 'nodes/ is pure: it may import app/core only']) },
  { files: ['app/core/**/*.ts'], rules: patterns([[...NODE_ONLY, ...HOST, ...MAIN, ...RENDERER, '**/nodes', '**/nodes/**'], 'app/core is pure and sees nodes/ only through the registry it is given']) },
  { files: ['app/runware/**/*.ts'], rules: patterns([[...HOST, ...MAIN, ...RENDERER, '**/sandbox/**', '**/nodes/**', 'electron'], 'app/runware may import app/core only']) },
  { files: ['app/sandbox/**/*.ts'], rules: patterns([[...HOST, ...MAIN, ...RENDERER, '**/nodes/**', 'electron'], 'app/sandbox may import app/core and app/runware only']) },
  { files: ['app/host/**/*.ts'], rules: patterns([[...MAIN, ...RENDERER, '**/web/**', '**/cli/**', '**/sandbox/**', 'electron'], 'app/host may import core, runware and nodes only (the sandbox is injected by app/cli)']) },
  { files: ['app/web/**/*.ts'], rules: patterns([[...MAIN, ...RENDERER, '**/cli/**', '**/sandbox/**', '**/runware/**', '**/nodes', '**/nodes/**', 'electron'], 'app/web may import host and core only']) },
  { files: ['app/cli/**/*.ts'], rules: patterns([[...MAIN, ...RENDERER, 'electron'], 'no Electron or renderer code here']) },
  // app/main composes the host with Electron and starts the sandbox (as app/cli does); the preload runs in the sandboxed window
  { files: ['app/main/**/*.ts'], rules: patterns([[...RENDERER, '**/preload/**', '**/web/**', '**/cli/**', '**/runware/**', '**/nodes', '**/nodes/**'], 'app/main may import host, core and the sandbox only']) },
  { files: ['app/preload/**/*.ts'], rules: patterns([[...NODE_ONLY.filter((n) => n !== 'electron'), ...HOST, ...RENDERER, '**/main/**', '**/nodes', '**/nodes/**'], 'the preload may import app/core and electron only']) },
  {
    files: ['app/renderer/**/*.ts'],
    rules: patterns([[...NODE_ONLY, ...HOST, ...MAIN], 'the renderer reaches the host only through the contract (window.wanGraph is typed by app/core/contract.ts)']),
  },
);
