import { describe, expect, it } from 'vitest';
import { shareable, shareableText } from '../../../app/core/support/shareable';

describe('shareable copies', () => {
  it('cut every URL down to scheme, host and path: no query, fragment or user-info', () => {
    expect(shareableText('https://user:pass@bucket.s3.amazonaws.com/frames/first.png?X-Amz-Signature=abc&X-Amz-Credential=AK%2F1#frag')).toBe('https://bucket.s3.amazonaws.com/frames/first.png');
    expect(shareableText('https://hooks.example.com/wan?token=t0k3n')).toBe('https://hooks.example.com/wan');
    expect(shareableText('http://me@127.0.0.1:8080#x')).toBe('http://127.0.0.1:8080');
    expect(shareableText('could not fetch "https://a.example/x.png?sig=1" (403), see ftp://u:p@h/f')).toBe('could not fetch "https://a.example/x.png" (403), see ftp://h/f');
  });

  it('leave everything else as it was', () => {
    for (const text of ['a paper boat, 50% off? no', 'data:image/png;base64,iVBORw0KGgo=', 'C:\\frames\\a.png', 'frames/a.png?', 'runware:200@8', 'a1b2c3d4-0000-4000-8000-000000000001']) expect(shareableText(text)).toBe(text);
  });

  it('copy a payload deeply, keeping numbers (bigints too), booleans and field names', () => {
    const payload = { taskUUID: 'u', seed: 9223372036854775807n, includeCost: true, inputs: { frameImages: [{ image: 'https://x.example/a.png?s=1', frame: 'first' }] }, webhookURL: 'https://h.example/?t=2' };
    const copy = shareable(payload);
    expect(copy).toEqual({ taskUUID: 'u', seed: 9223372036854775807n, includeCost: true, inputs: { frameImages: [{ image: 'https://x.example/a.png', frame: 'first' }] }, webhookURL: 'https://h.example/' });
    expect(payload.webhookURL).toBe('https://h.example/?t=2');
  });
});
