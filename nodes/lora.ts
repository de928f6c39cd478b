import { LORA_FIELDS } from '../app/core/wan-spec';
import { defineNode, port } from '../app/core/node-def';
import { LORA, extendChain } from './ports';

export default defineNode({
  type: 'LoRA',
  version: 1,
  title: 'LoRA',
  category: 'LoRA',
  description: 'Adds a LoRA. Chain LoRA nodes to apply several, in order.',
  params: LORA_FIELDS,
  inputs: { lora: port.optional(LORA, 'LoRAs before') },
  outputs: { lora: port.output(LORA, 'LoRAs') },
  migrations: [],
  evaluate: (ctx) => ({ lora: extendChain(ctx, ctx.inputs.lora) }),
});
