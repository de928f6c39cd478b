import { LORA_FIELDS } from '../app/core/wan-spec';
import { defineNode, port, portType, taskInput } from '../app/core/node-def';
import { childPath } from '../app/core/task-builder';
import { extendChain, type Chain } from './ports';

const LORA = portType<Chain>('LORA', '#9ccc65');

export default defineNode({
  type: 'LoRA',
  version: 1,
  title: 'LoRA',
  category: 'LoRA',
  description: 'Adds a LoRA. Chain LoRA nodes to apply several, in order.',
  params: LORA_FIELDS,
  inputs: { lora: port.optional(LORA, 'LoRAs before') },
  outputs: { lora: port.output(LORA, 'LoRAs') },
  contributes: [
    taskInput('lora', port.optional(LORA, 'LoRAs'), (loras, task) => {
      // the list is the task node's input; each LoRA's model is its own node's
      if (loras.length) task.put('lora', loras.map((l, i) => task.nest(childPath('lora', i), l, { itemField: 'model' })), { nodeId: task.taskNodeId, field: 'lora' });
    }),
  ],
  migrations: [],
  evaluate: (ctx) => ({ lora: extendChain(ctx, ctx.inputs.lora) }),
});
