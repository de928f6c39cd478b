import { createRegistry } from '../app/core/node-def';
import accelerator from './accelerator';
import compareGrid from './compare-grid';
import delivery from './delivery';
import frameFromVideo from './frame-from-video';
import frameImage from './frame-image';
import loadVideo from './load-video';
import lora from './lora';
import model from './model';
import output from './output';
import primitive from './primitive';
import prompt from './prompt';
import promptList from './prompt-list';
import safety from './safety';
import sequence from './sequence';
import videoInference from './video-inference';
import values from './values';
import videoPreview from './video-preview';

/** Every node type. Adding one is a new file in this folder and one line here. */
export const registry = createRegistry([model, prompt, lora, frameImage, videoInference, accelerator, output, delivery, safety, videoPreview, values, promptList, primitive, compareGrid, loadVideo, frameFromVideo, sequence]);
