import { LORA_FIELDS } from '../app/core/wan-spec';
import { defineNode, extendChain } from './kit';

export default defineNode({
  type: 'LoRA',
  version: 1,
  title: 'LoRA',
  category: 'LoRA',
  description: 'Adds a LoRA. Chain LoRA nodes to apply several, in order.',
  params: LORA_FIELDS,
  inputs: { lora: { type: 'LORA', label: 'LoRAs before', optional: true } },
  outputs: { lora: { type: 'LORA', label: 'LoRAs' } },
  migrations: [],
  evaluate: (ctx) => ({ lora: extendChain(ctx, 'lora') }),
});
