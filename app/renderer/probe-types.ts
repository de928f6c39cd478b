// What the page's read-only probe answers (see probe.ts); types only, so tests can share them.

export interface Probe {
  /** The document as file text, the viewport left out (it moves without being an edit). */
  documentText(): string;
  nodeIds(): number[];
  /** Client coordinates of a port's dot. */
  portPosition(nodeId: number, port: string, side: 'input' | 'output'): { x: number; y: number };
  /** Client coordinates of a node's title bar (to click or drag it). */
  titlePosition(nodeId: number): { x: number; y: number };
  /** Client rectangle of a parameter's widget. */
  widgetRect(nodeId: number, name: string): { x: number; y: number; width: number; height: number };
  selectedIds(): number[];
  /** The open tabs in strip order: id, title, file, unsaved, running, in front. */
  tabs(): { id: string; title: string; path: string | null; dirty: boolean; running: boolean; active: boolean; canUndo: boolean }[];
  /** The canvas's viewport now. */
  viewport(): { offset: [number, number]; scale: number };
}
