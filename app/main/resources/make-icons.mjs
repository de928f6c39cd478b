// Regenerates every icon in this folder from icon.svg:
//   icon.png             1024 px, the SVG as drawn
//   icons/NxN.png        Linux sizes (hicolor declares nothing above 512, so a lone 1024 PNG goes unseen)
//   icon.ico             16–256 px for Windows (BMP entries below 256 px, PNG at 256, as Windows expects)
//   icon.icns            16–1024 px PNG entries for macOS
// Usage: node app/main/resources/make-icons.mjs   (CHROMIUM_PATH overrides /usr/bin/chromium)
// The SVG is rasterised by Chromium at each size, so small icons are drawn, not scaled down.
/* global document, Image, btoa */ // used only inside the page
import { Buffer } from 'node:buffer';
import console from 'node:console';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));

// The SVG's tile leaves macOS's 100 px margin; Windows and Linux icons fill nearly all their square.
const FULL = '0 0 1024 1024';
const TIGHT = '84 84 856 856';
const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512];
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
const ICNS_ENTRIES = [
  ['icp4', 16], ['icp5', 32], ['icp6', 64], ['ic07', 128], ['ic08', 256], ['ic09', 512], ['ic10', 1024],
  ['ic11', 32], ['ic12', 64], ['ic13', 256], ['ic14', 512], // the @2x renditions
];

// --- PNG -------------------------------------------------------------------------------------

const CRC_TABLE = Int32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

function crc32(buf) {
  let c = -1;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

function paeth(a, b, c) {
  const p = a + b - c;
  const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Filters each row with whichever of the five PNG filters gives the smallest absolute sum. */
function filterRows(px, width, height, bpp) {
  const stride = width * bpp;
  const out = Buffer.alloc((stride + 1) * height);
  const candidate = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const row = y * stride;
    let best = Infinity;
    let bestType = 0;
    const bestRow = Buffer.alloc(stride);
    for (let type = 0; type < 5; type++) {
      let sum = 0;
      for (let i = 0; i < stride; i++) {
        const x = px[row + i];
        const a = i >= bpp ? px[row + i - bpp] : 0;
        const b = y > 0 ? px[row - stride + i] : 0;
        const c = i >= bpp && y > 0 ? px[row - stride + i - bpp] : 0;
        const predicted = type === 0 ? 0 : type === 1 ? a : type === 2 ? b : type === 3 ? (a + b) >> 1 : paeth(a, b, c);
        const v = (x - predicted) & 0xff;
        candidate[i] = v;
        sum += v < 128 ? v : 256 - v;
      }
      if (sum < best) {
        best = sum;
        bestType = type;
        candidate.copy(bestRow);
      }
    }
    out[y * (stride + 1)] = bestType;
    bestRow.copy(out, y * (stride + 1) + 1);
  }
  return out;
}

/** RGBA pixels to a PNG; drops the alpha channel when every pixel is opaque. */
function encodePng(rgba, width, height) {
  let opaque = true;
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i] !== 255) { opaque = false; break; }
  let px = rgba;
  if (opaque) {
    px = Buffer.alloc(width * height * 3);
    for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) { px[j] = rgba[i]; px[j + 1] = rgba[i + 1]; px[j + 2] = rgba[i + 2]; }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = opaque ? 2 : 6; // truecolour, with alpha unless opaque
  const idat = deflateSync(filterRows(px, width, height, opaque ? 3 : 4), { level: 9, memLevel: 9 });
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', idat),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// --- ICO and ICNS ----------------------------------------------------------------------------

/** A 32-bit BMP icon entry: BITMAPINFOHEADER, bottom-up BGRA rows, then the 1-bit AND mask. */
function bmpEntry(rgba, size) {
  const maskStride = Math.ceil(size / 32) * 4;
  const header = Buffer.alloc(40);
  header.writeUInt32LE(40, 0);
  header.writeInt32LE(size, 4);
  header.writeInt32LE(size * 2, 8); // colour rows plus mask rows
  header.writeUInt16LE(1, 12);
  header.writeUInt16LE(32, 14);
  const pixels = Buffer.alloc(size * size * 4);
  const mask = Buffer.alloc(maskStride * size);
  for (let y = 0; y < size; y++) {
    const dst = size - 1 - y;
    for (let x = 0; x < size; x++) {
      const s = (y * size + x) * 4;
      const d = (dst * size + x) * 4;
      pixels[d] = rgba[s + 2];
      pixels[d + 1] = rgba[s + 1];
      pixels[d + 2] = rgba[s];
      pixels[d + 3] = rgba[s + 3];
      if (rgba[s + 3] === 0) mask[dst * maskStride + (x >> 3)] |= 0x80 >> (x & 7);
    }
  }
  return Buffer.concat([header, pixels, mask]);
}

function packIco(images) {
  const dir = Buffer.alloc(6 + 16 * images.length);
  dir.writeUInt16LE(1, 2); // type: icon
  dir.writeUInt16LE(images.length, 4);
  let offset = dir.length;
  images.forEach(({ size, data }, i) => {
    const e = 6 + 16 * i;
    dir[e] = size >= 256 ? 0 : size;
    dir[e + 1] = size >= 256 ? 0 : size;
    dir.writeUInt16LE(1, e + 4); // planes
    dir.writeUInt16LE(32, e + 6); // bits per pixel
    dir.writeUInt32LE(data.length, e + 8);
    dir.writeUInt32LE(offset, e + 12);
    offset += data.length;
  });
  return Buffer.concat([dir, ...images.map((i) => i.data)]);
}

function packIcns(entries) {
  const parts = entries.map(({ type, data }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(8 + data.length, 4);
    return Buffer.concat([head, data]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(8 + parts.reduce((n, p) => n + p.length, 0), 4);
  return Buffer.concat([head, ...parts]);
}

// --- Rasterising -----------------------------------------------------------------------------

const svg = await readFile(join(here, 'icon.svg'), 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--force-color-profile=srgb'],
});
const cache = new Map();

/** RGBA pixels of the SVG drawn at size x size through the given viewBox. */
async function render(page, size, viewBox) {
  const key = `${size} ${viewBox}`;
  if (!cache.has(key)) {
    const source = svg
      .replace(/viewBox="[^"]*"/, `viewBox="${viewBox}"`)
      .replace(/width="1024" height="1024"/, `width="${size}" height="${size}"`)
      .replace('</defs>', size <= 24 ? '</defs><style>.detail{display:none}</style>' : '</defs>');
    const base64 = await page.evaluate(async ({ source, size }) => {
      const img = new Image();
      img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(source)}`;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = size;
      const ctx = canvas.getContext('2d');
      ctx.drawImage(img, 0, 0, size, size);
      const bytes = ctx.getImageData(0, 0, size, size).data;
      let text = '';
      for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(text);
    }, { source, size });
    cache.set(key, Buffer.from(base64, 'base64'));
  }
  return cache.get(key);
}

try {
  const page = await browser.newPage();
  const png = async (size, viewBox) => encodePng(await render(page, size, viewBox), size, size);

  await writeFile(join(here, 'icon.png'), await png(1024, FULL));

  await rm(join(here, 'icons'), { recursive: true, force: true });
  await mkdir(join(here, 'icons'));
  for (const size of LINUX_SIZES) await writeFile(join(here, 'icons', `${size}x${size}.png`), await png(size, TIGHT));

  const ico = [];
  for (const size of ICO_SIZES) {
    ico.push({ size, data: size >= 256 ? await png(size, TIGHT) : bmpEntry(await render(page, size, TIGHT), size) });
  }
  await writeFile(join(here, 'icon.ico'), packIco(ico));

  const icns = [];
  for (const [type, size] of ICNS_ENTRIES) icns.push({ type, data: await png(size, FULL) });
  await writeFile(join(here, 'icon.icns'), packIcns(icns));

  console.log(`icons written to ${here}`);
} finally {
  await browser.close();
}
