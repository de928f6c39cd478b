import { describe, expect, it } from 'vitest';
import { readEnvelope, type AnswerBody } from '../../app/runware/protocol';

// The sandbox writes AnswerBody and the client reads it with readEnvelope: one shape for both, held
// by the compiler (the @ts-expect-error lines fail the type-check if a wrong answer ever compiles).

describe('an answer as a server writes it', () => {
  it('is read back by the client item for item', () => {
    const body: AnswerBody = {
      data: [{ taskType: 'videoInference', taskUUID: 't1', status: 'success', videoUUID: 'v1', videoURL: 'http://127.0.0.1/v1.mp4', seed: 5n, cost: 0.01 }],
      errors: [{ code: 'invalidSteps', message: 'steps must be at most 50', parameter: 'steps', taskUUID: 't2', allowedValues: [1, 50] }],
    };
    const read = readEnvelope(body);
    expect(read.data).toEqual(body.data);
    expect(read.errors).toEqual(body.errors);
  });

  it('does not compile with a misspelt key, a missing taskUUID or a wrong type', () => {
    // @ts-expect-error videoURl is not a key of a data item
    const misspelt: AnswerBody = { data: [{ taskUUID: 't', videoURl: 'http://x' }] };
    // @ts-expect-error a result item needs its taskUUID
    const anonymous: AnswerBody = { data: [{ taskType: 'videoInference', status: 'success' }] };
    // @ts-expect-error cost is a number
    const costText: AnswerBody = { data: [{ taskUUID: 't', cost: '0.01' }] };
    expect([misspelt, anonymous, costText]).toHaveLength(3);
  });
});
