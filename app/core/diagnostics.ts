import { z } from 'zod';

// Every problem found in a graph says where it is: the node (id and title), the field or port,
// or the link, so the CLI can print it and the editor can highlight it.

export const Diagnostic = z.object({
  severity: z.enum(['error', 'warning']),
  code: z.string(),
  message: z.string(),
  nodeId: z.number().optional(),
  nodeTitle: z.string().optional(),
  /** A parameter name or a port name of the node. */
  field: z.string().optional(),
  linkId: z.number().optional(),
  /** Where in the file, for problems found before nodes are known (e.g. "nodes[3].mode"). */
  path: z.string().optional(),
});
export type Diagnostic = z.infer<typeof Diagnostic>;

export function formatDiagnostic(d: Diagnostic, file?: string): string {
  const where: string[] = [];
  if (d.nodeId !== undefined) where.push(`node ${d.nodeId}${d.nodeTitle ? ` "${d.nodeTitle}"` : ''}`);
  if (d.linkId !== undefined) where.push(`link ${d.linkId}`);
  if (d.field) where.push(d.field);
  if (!where.length && d.path) where.push(d.path);
  const head = [file, where.join(' › ')].filter(Boolean).join(': ');
  return `${head ? head + ': ' : ''}${d.severity === 'warning' ? 'warning: ' : ''}${d.message}`;
}
