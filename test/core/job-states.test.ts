import { describe, expect, it } from 'vitest';
import { FINISHED, isMoving, isStepOver, JOB_STATES, STEP_STATES, WAITING } from '../../app/core/job-states';

describe('job and step states', () => {
  it('a job is exactly one of finished, waiting for the artist, or moving', () => {
    for (const s of JOB_STATES) expect([FINISHED.has(s), WAITING.has(s), isMoving(s)].filter(Boolean)).toHaveLength(1);
  });

  it('a step is over once done, failed, blocked or cancelled, and only then', () => {
    expect(STEP_STATES.filter(isStepOver)).toEqual(['done', 'failed', 'blocked', 'cancelled']);
  });
});
