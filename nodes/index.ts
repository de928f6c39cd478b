import { createRegistry } from '../app/core/node-def';
import accelerator from './accelerator';
import delivery from './delivery';
import frameImage from './frame-image';
import lora from './lora';
import model from './model';
import output from './output';
import prompt from './prompt';
import safety from './safety';
import videoInference from './video-inference';
import videoPreview from './video-preview';

/** Every node type. Adding one is a new file in this folder and one line here. */
export const registry = createRegistry([model, prompt, lora, frameImage, videoInference, accelerator, output, delivery, safety, videoPreview]);
