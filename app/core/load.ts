import type { z } from 'zod';
import type { Diagnostic } from './diagnostics';
import { FILE_FORMAT, FILE_VERSION, GraphDocument } from './document';
import { JsonSyntaxError, parseJson, type JsonValue } from './support/json';
import { migrateFile, migrateParams, type FileMigration, FILE_MIGRATIONS, type RawFile } from './migrations';
import type { Registry } from './node-def';

// Loading is parse → migrate → validate. A file that fails here opens nothing; what passes is a
// GraphDocument whose unknown node types and parameters are kept verbatim (and reported by
// validateGraph), so loading and saving again loses nothing.

export const MAX_FILE_BYTES = 32 * 1024 * 1024;

export type LoadResult =
  | { ok: true; doc: GraphDocument; migrated: string[] }
  | { ok: false; errors: Diagnostic[] };

const fail = (message: string, code: string, extra: Partial<Diagnostic> = {}): LoadResult => ({ ok: false, errors: [{ severity: 'error', code, message, ...extra }] });

export const fileTooLarge = (bytes: number): LoadResult =>
  fail(`the file is ${(bytes / 1048576).toFixed(1)} MB; graph files are limited to ${MAX_FILE_BYTES / 1048576} MB`, 'fileTooLarge');

export function loadGraph(input: Uint8Array | string, registry: Registry, fileMigrations: readonly FileMigration[] = FILE_MIGRATIONS): LoadResult {
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    if (input.byteLength > MAX_FILE_BYTES) return fileTooLarge(input.byteLength);
    if ((input[0] === 0xff && input[1] === 0xfe) || (input[0] === 0xfe && input[1] === 0xff)) return fail('the file is UTF-16 text; graph files are UTF-8 (save it as UTF-8)', 'invalidEncoding');
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      return fail(`the file is not valid UTF-8 text (first bad byte at offset ${firstInvalidUtf8(input)})`, 'invalidEncoding');
    }
  }
  if (text.length > MAX_FILE_BYTES) return fileTooLarge(text.length);
  if (text.trim() === '') return fail('the file is empty', 'emptyFile');

  let raw: JsonValue;
  try {
    raw = parseJson(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) return fail(`not valid JSON: ${e.message}`, 'invalidJson', { path: `line ${e.line}` });
    throw e;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || typeof raw === 'bigint') return fail('a graph file must be a JSON object', 'notAGraph');
  if (raw.format !== FILE_FORMAT) return fail(`not a graph file: "format" must be "${FILE_FORMAT}"${raw.format === undefined ? '' : `, not ${JSON.stringify(raw.format)?.slice(0, 60)}`}`, 'notAGraph', { path: 'format' });
  const version = raw.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    return fail(`"version" must be ${FILE_VERSION === 1 ? '1' : `a whole number from 1 to ${FILE_VERSION}`}, not ${JSON.stringify(version)?.slice(0, 40) ?? 'missing'}`, 'invalidVersion', { path: 'version' });
  if (version > FILE_VERSION) return fail(`the file is format version ${version}, made by a newer version of this app (this one reads up to ${FILE_VERSION}); update the app to open it`, 'newerVersion', { path: 'version' });

  let migrated: string[] = [];
  let file: RawFile = raw;
  if (version < FILE_VERSION) {
    try {
      ({ file, applied: migrated } = migrateFile(raw, version, fileMigrations));
    } catch (e) {
      return fail(`could not upgrade the file from format version ${version}: ${(e as Error).message}`, 'migrationFailed');
    }
  }

  const parsed = GraphDocument.safeParse(file);
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.slice(0, 50).map((i) => structuralDiagnostic(i, file)) };
  const doc = parsed.data;

  const errors: Diagnostic[] = [];
  const seen = new Set<number>();
  for (const node of doc.nodes) {
    if (seen.has(node.id)) errors.push({ severity: 'error', code: 'duplicateId', message: `two nodes have the id ${node.id}`, nodeId: node.id, nodeTitle: node.title });
    seen.add(node.id);
  }
  const seenLinks = new Set<number>();
  for (const link of doc.links) {
    if (seenLinks.has(link.id)) errors.push({ severity: 'error', code: 'duplicateId', message: `two links have the id ${link.id}`, linkId: link.id });
    seenLinks.add(link.id);
  }
  // zod drops a "__proto__" key from a record without a word, and names such as "constructor"
  // read as inherited properties in plain-object lookups: neither can be kept as a parameter.
  (file.nodes as RawFile[]).forEach((raw, k) => {
    const node = doc.nodes[k]!;
    for (const key of Object.keys(raw.params as RawFile)) {
      if (Object.hasOwn(Object.prototype, key))
        errors.push({ severity: 'error', code: 'reservedParameter', message: `parameter name "${key}" is reserved (a built-in name of JavaScript objects); rename or remove it`, nodeId: node.id, nodeTitle: node.title, field: key, path: `nodes[${k}].params` });
    }
  });
  if (errors.length) return { ok: false, errors };

  for (const node of doc.nodes) {
    const def = registry.get(node.type);
    if (!def || node.typeVersion >= def.version) continue;
    try {
      const r = migrateParams(node.params, node.typeVersion, def.version, def.migrations);
      node.params = r.params;
      node.typeVersion = def.version;
      migrated.push(...r.applied.map((n) => `${node.type}: ${n}`));
    } catch (e) {
      errors.push({ severity: 'error', code: 'migrationFailed', message: `could not upgrade from type version ${node.typeVersion}: ${(e as Error).message}`, nodeId: node.id, nodeTitle: node.title });
    }
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, doc, migrated };
}

function structuralDiagnostic(issue: z.core.$ZodIssue, file: RawFile): Diagnostic {
  const path = issue.path.map(String);
  const message = issue.code === 'unrecognized_keys' ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k.slice(0, 60)}"`).join(', ')}` : issue.message;
  const d: Diagnostic = { severity: 'error', code: 'invalidStructure', message, path: formatPath(path) };
  const list = path[0] === 'nodes' || path[0] === 'links' ? file[path[0]] : undefined;
  const index = Number(path[1]);
  if (Array.isArray(list) && Number.isInteger(index)) {
    const item = list[index];
    const itemId = typeof item === 'object' && item && !Array.isArray(item) && typeof item.id === 'number' ? item.id : undefined;
    const field = path.slice(2).join('.') || undefined;
    if (path[0] === 'nodes') {
      const title = typeof item === 'object' && item && !Array.isArray(item) && typeof item.title === 'string' ? item.title : undefined;
      // Without a usable id, the full path ("nodes[0].id") says where: a field alone would hide it.
      return { ...d, ...(itemId !== undefined ? { nodeId: itemId, ...(field ? { field } : {}) } : {}), ...(title !== undefined ? { nodeTitle: title } : {}) };
    }
    return { ...d, ...(itemId !== undefined ? { linkId: itemId, ...(field ? { field } : {}) } : {}) };
  }
  return d;
}

const formatPath = (path: string[]) => path.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '') || '(top level)';

function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    const need = c < 0x80 ? 0 : c >= 0xc2 && c < 0xe0 ? 1 : c >= 0xe0 && c < 0xf0 ? 2 : c >= 0xf0 && c < 0xf5 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) if (((b[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return b.length;
}
