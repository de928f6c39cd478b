import type { Registry } from '../../core/node-def';
import { NODE_VIEW_HOOKS, preferredExtraHeight } from './node-hooks';
import { TEXT_AREA_EXTRA_HEIGHT } from './param-widgets/text-area';
import { behaviourOf } from './widgets';

// How tall a node is drawn when its document stores no size. Free of litegraph, so tests in Node
// can derive what the canvas must show.

/** Height a node of this type is given beyond its minimum when the document stores no size: its area's and its text areas' preferred room. */
export function preferredExtra(type: string, registry: Registry): number {
  const texts = Object.values(registry.get(type)?.params ?? {}).filter((spec) => behaviourOf(spec).editor === 'multiline').length;
  return preferredExtraHeight(type) + texts * TEXT_AREA_EXTRA_HEIGHT;
}

/** The width of a node whose type has none of its own. */
export const NODE_WIDTH = 300;

/** Width of a node of this type the document gives no size: its type's own, else the standard width. */
export const preferredWidth = (type: string): number => NODE_VIEW_HOOKS[type]?.width ?? NODE_WIDTH;
