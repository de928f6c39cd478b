// What the page's read-only probe answers (see probe.ts); types only, so tests can share them.

/** One node as the canvas holds it, read from litegraph. */
export interface NodeFacts {
  id: number;
  type: string;
  title: string;
  /** Ports in order: [name, type]. */
  inputs: [string, string][];
  outputs: [string, string][];
  /** Parameters that take links, as "param:port type": each has an input slot tied to its widget. */
  paramInputs: string[];
  /** Parameter widgets in order: [name, the text the widget shows]. */
  widgets: [string, string][];
  /** Areas a node type's view hooks add below its widgets (a preview player, …), in order. */
  areas: string[];
  mode: 'active' | 'muted' | 'bypassed';
  pos: [number, number];
  size: [number, number];
  /** The size litegraph computes for the node's contents (a node without a stored size takes it). */
  autoSize: [number, number];
  collapsed: boolean;
  /** What its title bar says its sweep counts ("9 values", "× 9 tasks"), or null. */
  count?: string | null;
}

export interface CanvasFacts {
  nodes: NodeFacts[];
  /** Every link as `from:port>to:port`, sorted; a link litegraph keeps but cannot resolve reads `?`. */
  links: string[];
  groups: { id: number; title: string; color: string | undefined; bounding: [number, number, number, number] }[];
}

export interface Probe {
  /** The document as file text, the viewport left out (it moves without being an edit). */
  documentText(): string;
  nodeIds(): number[];
  /** What litegraph holds: to compare with what the document says. */
  canvasFacts(): CanvasFacts;
  /** Which results each preview node shows: its node id and the files of the videos it plays. */
  previewFiles(): { nodeId: number; files: string[] }[];
  /** Client coordinates of a port's dot. */
  portPosition(nodeId: number, port: string, side: 'input' | 'output'): { x: number; y: number };
  /** Each link's middle as last drawn and the middle between its ports now, in graph units. */
  linkMiddles(): { link: string; drawn: [number, number]; ports: [number, number] }[];
  /** Client coordinates of a node's title bar (to click or drag it). */
  titlePosition(nodeId: number): { x: number; y: number };
  /** Client rectangle of a parameter's widget. */
  widgetRect(nodeId: number, name: string): { x: number; y: number; width: number; height: number };
  selectedIds(): number[];
  /** The open tabs in strip order: id, title, file, unsaved, running, in front. */
  tabs(): { id: string; title: string; path: string | null; dirty: boolean; running: boolean; active: boolean; canUndo: boolean }[];
  /** What a Frame Image's picture area shows: its picture (with its pixel size) or the mark in its place. */
  thumbnail(nodeId: number): { state: 'none' | 'loading' } | { state: 'shown'; width: number; height: number; src: string } | { state: 'mark'; text: string; detail: string };
  /** The canvas's viewport now. */
  viewport(): { offset: [number, number]; scale: number };
}
