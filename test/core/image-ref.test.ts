import { describe, expect, it } from 'vitest';
import { IMAGE_LIMITS, imageSizeProblem, sniffImage } from '../../app/core/support/image-kind';
import { classifyImageRef, decodeInlineImage, inlineImageProblem, parseInlineImage } from '../../app/core/image-ref';
import { checkVideoTask } from '../../app/core/task-check';
import { inlineCases, pngBytes } from './inline-image-cases';

const taskWith = (frame: unknown) => ({
  taskType: 'videoInference',
  taskUUID: '00000000-0000-4000-8000-000000000001',
  model: 'runware:200@8',
  positivePrompt: 'a lighthouse in fog',
  inputs: { frameImages: [frame] },
});
const frameIssues = (frame: unknown) => checkVideoTask(taskWith(frame)).filter((i) => i.code === 'invalidFrameImage');

describe('inline frame image data: one rule', () => {
  it.each(inlineCases)('$name: accepted is $accepted', ({ value, accepted }) => {
    expect(inlineImageProblem(value) === undefined).toBe(accepted);
    const kind = classifyImageRef(value).kind;
    const asData = kind === 'dataUri' || kind === 'base64';
    // the task rules (compiler and sandbox) refuse exactly the data the rule refuses; anything
    // else is a file path, read (and checked) when the task runs
    expect(frameIssues({ image: value }).length > 0).toBe(asData && !accepted);
    expect(frameIssues(value).length > 0).toBe(asData && !accepted);
    if (accepted) expect(Buffer.from(decodeInlineImage(value))).toEqual(pngBytes);
  });

  it('says what is wrong with the data, and where in the task', () => {
    expect(frameIssues({ image: `data:image/png;base64,${pngBytes.toString('base64').slice(0, -1)}` })).toEqual([
      expect.objectContaining({ parameter: 'inputs.frameImages.0.image', message: expect.stringMatching(/^frame image 1: the base64 data is cut short or not padded \(its length, \d+, is not a multiple of 4\)$/) }),
    ]);
    expect(inlineImageProblem(`data:image/png;base64,${'A'.repeat(8)}-${'A'.repeat(7)}`)).toMatch(/character outside .* at position 9$/);
    expect(inlineImageProblem('data:text/plain,hello')).toMatch(/^a data URI must carry base64/);
  });

  it('holds the one size limit, counted in decoded bytes', () => {
    const b64Of = (bytes: number) => Buffer.alloc(bytes).toString('base64');
    expect(parseInlineImage(b64Of(IMAGE_LIMITS.maxBytes)).byteLength).toBe(IMAGE_LIMITS.maxBytes);
    expect(() => parseInlineImage(b64Of(IMAGE_LIMITS.maxBytes + 1))).toThrow(imageSizeProblem(IMAGE_LIMITS.maxBytes + 1)!);
    expect(imageSizeProblem(30 * 1024 * 1024)).toBe('the image is 30.0 MB; frame images are limited to 20 MB');
    expect(imageSizeProblem(IMAGE_LIMITS.maxBytes + 1)).toBe(`the image is ${IMAGE_LIMITS.maxBytes + 1} bytes; frame images are limited to 20 MB`);
    const big = Buffer.alloc(IMAGE_LIMITS.maxBytes + 1);
    pngBytes.copy(big);
    expect(() => sniffImage(big)).toThrow(imageSizeProblem(big.length)!);
  });
});
