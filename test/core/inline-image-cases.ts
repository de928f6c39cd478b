// Inline frame image data (data URIs and bare base64), each with the verdict the one rule gives
// (app/core/image-ref.ts). Every place that reads such data must agree with this table.

/** A PNG header (16×8) and some bytes after it: enough for sniffing, and its base64 has "+", "/" and "=". */
export const pngBytes = (() => {
  const ihdr = Buffer.from([0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 16, 0, 0, 0, 8, 8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xde]);
  const tail = Buffer.from([0xfb, 0xef, 0xbe, 0xff, 0xff, 0xfe, 0x3e, 0x3f, 0xfa, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ihdr, tail]);
})();

const b64 = pngBytes.toString('base64');
const text = Buffer.from('not an image at all, only words that happen to be long enough to look like data').toString('base64');

export interface InlineCase {
  name: string;
  value: string;
  accepted: boolean;
}

export const inlineCases: InlineCase[] = [
  { name: 'bare base64', value: b64, accepted: true },
  { name: 'data URI', value: `data:image/png;base64,${b64}`, accepted: true },
  { name: 'data URI in capitals', value: `DATA:IMAGE/PNG;BASE64,${b64}`, accepted: true },
  { name: 'data URI with a parameter', value: `data:image/png;name=frame.png;base64,${b64}`, accepted: true },
  { name: 'data URI with no media type', value: `data:;base64,${b64}`, accepted: true },
  { name: 'data URI that declares another type (the bytes decide)', value: `data:image/jpeg;base64,${b64}`, accepted: true },
  { name: 'base64 without its padding', value: b64.replace(/=+$/, ''), accepted: false },
  { name: 'base64 cut short', value: b64.slice(0, -3), accepted: false },
  { name: 'base64 with line breaks', value: b64.replace(/(.{40})/g, '$1\n'), accepted: false },
  { name: 'base64 with a space', value: `${b64.slice(0, 20)} ${b64.slice(20, -1)}`, accepted: false },
  { name: 'URL-safe base64', value: b64.replace(/\+/g, '-').replace(/\//g, '_'), accepted: false },
  { name: 'padding in the middle', value: `${b64.slice(0, 40)}==${b64.slice(42)}`, accepted: false },
  { name: 'data URI without base64', value: `data:image/png,${encodeURIComponent(pngBytes.toString('latin1'))}`, accepted: false },
  { name: 'empty data URI', value: 'data:image/png;base64,', accepted: false },
  { name: 'data URI with a broken parameter', value: `data:image/png;charset;base64,${b64}`, accepted: false },
  { name: 'valid base64 of text, not an image', value: text, accepted: false },
  { name: 'data URI of text, not an image', value: `data:image/png;base64,${text}`, accepted: false },
];
