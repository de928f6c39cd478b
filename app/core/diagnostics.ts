// Every problem found in a graph says where it is: the node (id and title), the field or port,
// or the link, so the CLI can print it and the editor can highlight it.

export interface Diagnostic {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  nodeId?: number;
  nodeTitle?: string;
  /** A parameter name or a port name of the node. */
  field?: string;
  linkId?: number;
  /** Where in the file, for problems found before nodes are known (e.g. "nodes[3].mode"). */
  path?: string;
}

export function formatDiagnostic(d: Diagnostic, file?: string): string {
  const where: string[] = [];
  if (d.nodeId !== undefined) where.push(`node ${d.nodeId}${d.nodeTitle ? ` "${d.nodeTitle}"` : ''}`);
  if (d.linkId !== undefined) where.push(`link ${d.linkId}`);
  if (d.field) where.push(d.field);
  if (!where.length && d.path) where.push(d.path);
  const head = [file, where.join(' › ')].filter(Boolean).join(': ');
  return `${head ? head + ': ' : ''}${d.severity === 'warning' ? 'warning: ' : ''}${d.message}`;
}

export const hasErrors = (ds: readonly Diagnostic[]) => ds.some((d) => d.severity === 'error');
