import { defineNode, port } from '../app/core/node-def';
import { VIDEO } from './ports';

export default defineNode({
  type: 'CompareGrid',
  version: 1,
  title: 'Compare Grid',
  category: 'Output',
  description: 'Lays the results of a sweep out by their swept values, one cell per task, playing in step: pick a favourite, use its values, export the grid. Compiles to nothing.',
  params: {},
  inputs: { video: port.optional(VIDEO, 'Video') },
  outputs: {},
  migrations: [],
  evaluate: () => ({}),
});
