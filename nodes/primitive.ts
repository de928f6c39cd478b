import { defineNode, port, VALUE_PORT } from '../app/core/node-def';
import { param } from '../app/core/params';

// One value shared by the parameters it is linked to (one seed or one size for several tasks).

export default defineNode({
  type: 'Primitive',
  version: 1,
  title: 'Primitive',
  category: 'Sweep',
  description: 'One value for every parameter it is linked to, e.g. one seed or one size for several Video Inference nodes.',
  params: {
    value: param.string({ label: 'Value', optional: false, default: '', maxLength: 3000, description: 'Read as the kind of each parameter it is linked to.' }),
  },
  inputs: {},
  outputs: { value: port.output(VALUE_PORT, 'Value') },
  migrations: [],
  evaluate: (ctx) => ({ value: { raw: ctx.params.value ?? '', nodeId: ctx.nodeId, field: 'value' } }),
});
