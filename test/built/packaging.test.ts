import { describe, it, expect, beforeAll } from 'vitest';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, inflateSync } from 'node:zlib';
import type * as AppBuilderLib from 'app-builder-lib';
import type { Configuration, FileAssociation, FuseOptionsV1, PlatformSpecificBuildOptions } from 'app-builder-lib';
import type * as ConfigModule from 'app-builder-lib/out/util/config/config';
import type * as FileMatcherModule from 'app-builder-lib/out/fileMatcher';
import type * as IconConverterModule from 'app-builder-lib/out/util/iconConverter';
import type * as BuilderUtil from 'builder-util';

// The packaging configuration, checked with electron-builder's own code: the copy of
// app-builder-lib that electron-builder itself loads reads the file, validates it against its
// schema, resolves the icons and decides which files would go into the package. Nothing is
// packaged (that needs Electron's binaries).

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CONFIG = 'app/main/electron-builder.yml';
const RESOURCES = join(root, 'app/main/resources');

const fromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder/package.json'));
const fromLib = createRequire(fromBuilder.resolve('app-builder-lib/package.json'));
const lib = fromLib('./out/index.js') as typeof AppBuilderLib;
const { validateConfiguration } = fromLib('./out/util/config/config.js') as typeof ConfigModule;
const { convertIcon } = fromLib('./out/util/iconConverter.js') as typeof IconConverterModule;
const { DebugLogger } = fromLib('builder-util') as typeof BuilderUtil;
const { FuseV1Options } = fromLib('@electron/fuses') as { FuseV1Options: Record<string, number> };

// Internal to app-builder-lib (not in its typings): the matchers a platform packager builds.
type Filter = (file: string, stat: Stats) => boolean;
interface Matcher { createFilter(): Filter; isEmpty(): boolean }
const fileMatchers = fromLib('./out/fileMatcher.js') as typeof FileMatcherModule & {
  getMainFileMatchers(appDir: string, destination: string, expand: (p: string) => string, options: PlatformSpecificBuildOptions,
    platformPackager: { info: AppBuilderLib.Packager }, outDir: string, isElectronCompile: boolean): Matcher[];
  getNodeModuleFileMatcher(appDir: string, destination: string, expand: (p: string) => string, options: PlatformSpecificBuildOptions,
    packager: AppBuilderLib.Packager): Matcher;
};

const asArray = <T>(v: T | T[] | null | undefined): T[] => (v == null ? [] : Array.isArray(v) ? v : [v]);
const validate = (config: Configuration) => validateConfiguration(structuredClone(config), new DebugLogger(false));

let packager: AppBuilderLib.Packager;
let config: Configuration;

beforeAll(async () => {
  // What `electron-builder --config app/main/electron-builder.yml` does first, from the repo root.
  packager = new lib.Packager({ projectDir: root, config: CONFIG });
  await packager.validateConfig();
  config = packager.config;
});

describe('the electron-builder configuration', () => {
  it('passes electron-builder validation, paths resolved from the repository root', () => {
    expect(packager.appDir).toBe(root);
    expect(packager.buildResourcesDir).toBe(RESOURCES);
    expect(config.directories?.output).toBe('dist');
    expect(config.appId).toBe('app.wangraph.editor');
    expect(config.productName).toBe('Wan Graph');
    // The file names electron-builder derives per platform: executable, and the macOS bundle.
    const fileName = (platform: 'linux' | 'mac' | 'win') => new lib.AppInfo(packager, null, config[platform]).productFilename;
    expect(fileName('linux')).toBe('wan-graph');
    expect(fileName('win')).toBe('wan-graph');
    expect(fileName('mac')).toBe('Wan Graph');
    expect(packager.metadata.desktopName).toBe('wan-graph.desktop');
  });

  it('is rejected by the same validator once mutated', async () => {
    await expect(validate(config)).resolves.toBeUndefined();
    await expect(validate({ ...config, unknownOption: true } as Configuration)).rejects.toThrow(/unknownOption/);
    await expect(validate({ ...config, electronFuses: { ...config.electronFuses, runAsNodes: false } as FuseOptionsV1 })).rejects.toThrow(/electronFuses/);
    const linux = { ...config.linux, fileAssociations: [{ ext: 'wgraph.json', mime: 'application/x-wan-graph+json' }] };
    await expect(validate({ ...config, linux } as Configuration)).rejects.toThrow(/mime/);
    // And the whole command-line path rejects it too.
    const bad = new lib.Packager({ projectDir: root, config: { ...structuredClone(config), unknownOption: true } as Configuration });
    await expect(bad.validateConfig()).rejects.toThrow(/Invalid configuration object/);
  });

  it('builds AppImage and deb, dmg for x64 and arm64, and an x64 nsis installer', () => {
    const targets = (platform: 'linux' | 'mac' | 'win') =>
      asArray(config[platform]?.target).map((t) => (typeof t === 'string' ? { target: t, arch: undefined } : t));
    expect(targets('linux')).toEqual([{ target: 'AppImage', arch: ['x64'] }, { target: 'deb', arch: ['x64'] }]);
    expect(targets('mac')).toEqual([{ target: 'dmg', arch: ['x64', 'arm64'] }]);
    expect(targets('win')).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(config.mac?.category).toBe('public.app-category.video');
    expect(config.linux?.category?.split(';')).toEqual(expect.arrayContaining(['AudioVideo', 'Video', 'Graphics']));
  });

  it('associates *.wgraph.json on every platform, and Linux gets its MIME type and glob', () => {
    // As platformPackager.fileAssociations combines them, then normalizeExt.
    const associations = (platform: 'linux' | 'mac' | 'win'): FileAssociation[] =>
      [...asArray(config.fileAssociations), ...asArray(config[platform]?.fileAssociations)];
    const exts = (a: FileAssociation) => asArray(a.ext).map((e) => e.replace(/^\./, ''));
    for (const platform of ['linux', 'mac', 'win'] as const) {
      expect(associations(platform).filter((a) => exts(a).includes('wgraph.json')), platform).toHaveLength(1);
    }
    const linux = associations('linux').find((a) => exts(a).includes('wgraph.json'));
    expect(linux?.mimeType).toBe('application/x-wan-graph+json');
    expect(`*.${exts(linux!)[0]}`).toBe('*.wgraph.json'); // the glob the deb's MIME file declares
    // .json itself: never on Windows (the installer would make the app its default handler),
    // only as an alternate handler on macOS.
    expect(associations('win').flatMap(exts)).not.toContain('json');
    const macJson = associations('mac').filter((a) => exts(a).includes('json'));
    expect(macJson.every((a) => a.rank === 'Alternate')).toBe(true);
  });

  it('sets every fuse, and electron-builder maps each one to its fuse wire', async () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
      loadBrowserProcessSpecificV8Snapshot: false,
      resetAdHocDarwinSignature: true,
    });
    const generate = (lib.PlatformPackager.prototype as unknown as {
      generateFuseConfig(fuses: FuseOptionsV1): Promise<Record<string | number, unknown>>;
    }).generateFuseConfig;
    const wires = await generate.call(undefined, config.electronFuses!);
    expect(wires).toMatchObject({
      [FuseV1Options.RunAsNode!]: false,
      [FuseV1Options.EnableCookieEncryption!]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable!]: false,
      [FuseV1Options.EnableNodeCliInspectArguments!]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation!]: true,
      [FuseV1Options.OnlyLoadAppFromAsar!]: true,
      [FuseV1Options.GrantFileProtocolExtraPrivileges!]: false,
      [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot!]: false,
    });
  });

  it('packs the app into an asar, with the fonts ffmpeg reads left outside it', () => {
    expect(config.asar).toBe(true);
    const [unpack] = fileMatchers.getFileMatchers(config, 'asarUnpack', join(root, 'dist/app'), {
      macroExpander: (p) => p, customBuildOptions: config.linux ?? {}, globalOutDir: join(root, 'dist'), defaultSrc: root,
    }) ?? [];
    const unpacked = unpack!.createFilter();
    expect(unpacked(join(root, 'x'), moduleStat('node_modules/dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'))).toBe(true);
    expect(unpacked(join(root, 'x'), moduleStat('node_modules/dejavu-fonts-ttf/ttf/DejaVuSansMono.ttf'))).toBe(true);
    expect(unpacked(join(root, 'x'), moduleStat('node_modules/undici/index.js'))).toBe(false);
    expect(unpacked(join(root, 'out/main/index.js'), fakeStat(false))).toBe(false);
  });
});

describe('what goes into the package', () => {
  let included: (rel: string, isDirectory?: boolean) => boolean;
  let moduleIncluded: Filter | null;

  beforeAll(() => {
    const [main] = fileMatchers.getMainFileMatchers(root, join(root, 'dist/app'), (p) => p, config.linux ?? {},
      { info: packager }, join(root, 'dist'), false);
    const filter = main!.createFilter();
    // As builder-util's walk: a file is copied only if every folder above it passed the filter.
    included = (rel, isDirectory = false) => {
      const parts = rel.split('/');
      for (let i = 1; i < parts.length; i++) if (!filter(join(root, ...parts.slice(0, i)), fakeStat(true))) return false;
      return filter(join(root, ...parts), fakeStat(isDirectory));
    };
    const modules = fileMatchers.getNodeModuleFileMatcher(root, join(root, 'dist/app'), (p) => p, config.linux ?? {}, packager);
    moduleIncluded = modules.isEmpty() ? null : modules.createFilter();
  });

  it('lists out/** and graphs/** in files', () => {
    const patterns = asArray(config.files).flatMap((f) => (typeof f === 'string' ? [f] : asArray(f.filter)));
    expect(patterns).toEqual(expect.arrayContaining(['out/**', 'graphs/**', 'package.json']));
  });

  it('takes the electron-vite output, the example graphs and package.json', () => {
    for (const rel of ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'out/renderer/assets/index-3f2a.js',
      'graphs/turbo-lantern-market-text-to-video.wgraph.json', 'package.json']) {
      expect(included(rel), rel).toBe(true);
    }
  });

  it('leaves out sources, tests, docs, tooling, build resources and source maps', () => {
    for (const rel of ['app/main/window.ts', 'app/core/contract.ts', 'app/cli/wan-graph.mjs', 'app/main/electron-builder.yml',
      'app/main/resources/icon.png', 'nodes/index.ts', 'test/main/packaging.test.ts', 'test-results/vitest.json', 'docs/graph-format.md',
      'bench-results/bench.json', '.ci/run', 'dist/wan-graph-0.1.0.AppImage', 'README.md', 'tsconfig.json', 'eslint.config.js',
      'package-lock.json', 'out/main/index.js.map', '.git/HEAD']) {
      expect(included(rel), rel).toBe(false);
    }
  });

  it('from the repository as it stands, takes every example graph and nothing outside out/, graphs/ and package.json', () => {
    const taken: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        const rel = relative(root, path).split(sep).join('/');
        if (rel === 'node_modules') continue; // electron-builder collects production modules on its own
        const isDir = statSync(path).isDirectory();
        if (!included(rel, isDir)) continue;
        if (isDir) walk(path);
        else taken.push(rel);
      }
    };
    walk(root);
    expect(taken.filter((rel) => !/^(out|graphs)\//.test(rel) && rel !== 'package.json')).toEqual([]);
    expect(taken.filter((rel) => /\.(ts|tsx|mts|cts|map)$/.test(rel))).toEqual([]);
    const graphs = readdirSync(join(root, 'graphs')).filter((n) => n.endsWith('.wgraph.json'));
    expect(graphs.length).toBeGreaterThan(0);
    for (const graph of graphs) expect(taken).toContain(`graphs/${graph}`);
  });

  it('keeps the production modules the main process loads', () => {
    for (const rel of ['node_modules/undici/index.js', 'node_modules/zod/package.json', 'node_modules/ws/index.js',
      'node_modules/dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf']) {
      expect(moduleIncluded === null || moduleIncluded(join(root, rel), moduleStat(rel)), rel).toBe(true);
    }
  });
});

describe('the icons', () => {
  // Resolved as electron-builder resolves them: build resources first, then the project.
  const resolveIcon = async (icon: string | null | undefined, format: 'icns' | 'ico' | 'set') => {
    expect(icon, `${format} icon`).toBeTruthy();
    const result = await convertIcon({
      sources: [icon!], fallbackSources: [], roots: [RESOURCES, root], format, outDir: join(tmpdir(), 'wan-graph-icons-unused'),
    });
    expect(result.isFallback).toBe(false);
    return result.icons;
  };

  it('gives macOS an ICNS with PNG entries up to 1024 px, used as is', async () => {
    expect(config.mac?.icon).toMatch(/\.icns$/); // no conversion step, which would need a download
    const [icns] = await resolveIcon(config.mac?.icon, 'icns');
    expect(icns!.file).toBe(join(RESOURCES, 'icon.icns'));
    const entries = parseIcns(readFileSync(icns!.file));
    const expected = { ic07: 128, ic08: 256, ic09: 512, ic10: 1024, ic11: 32, ic12: 64, ic13: 256, ic14: 512, icp4: 16, icp5: 32, icp6: 64 };
    for (const [type, size] of Object.entries(expected)) {
      const entry = entries.find((e) => e.type === type);
      expect(entry, type).toBeDefined();
      expect(parsePng(entry!.data), type).toEqual({ width: size, height: size });
    }
  });

  it('gives Windows an ICO with 16 to 256 px images, used as is', async () => {
    expect(config.win?.icon).toMatch(/\.ico$/);
    const [ico] = await resolveIcon(config.win?.icon, 'ico');
    expect(ico).toEqual({ file: join(RESOURCES, 'icon.ico'), size: 256 });
    const images = parseIco(readFileSync(ico!.file));
    expect(images.map((i) => i.size)).toEqual([16, 24, 32, 48, 64, 128, 256]);
  });

  it('gives Linux PNGs at the hicolor sizes, none larger than the theme declares', async () => {
    const icons = await resolveIcon(config.linux?.icon, 'set');
    expect(icons.map((i) => i.size)).toEqual([16, 24, 32, 48, 64, 128, 256, 512]);
    for (const { file, size } of icons) {
      expect(dirname(file)).toBe(join(RESOURCES, 'icons'));
      expect(parsePng(readFileSync(file)), file).toEqual({ width: size, height: size });
    }
  });

  it('has the 1024 px PNG and the SVG it is drawn from, both kept small', () => {
    const png = readFileSync(join(RESOURCES, 'icon.png'));
    expect(parsePng(png)).toEqual({ width: 1024, height: 1024 });
    expect(png.length).toBeLessThan(200_000);
    const svg = readFileSync(join(RESOURCES, 'icon.svg'), 'utf8');
    expect(svg).toMatch(/^<svg [^>]*viewBox="0 0 1024 1024"/);
    for (const file of ['icon.ico', 'icon.icns']) expect(statSync(join(RESOURCES, file)).size, file).toBeLessThan(300_000);
    expect(existsSync(join(RESOURCES, 'make-icons.mjs'))).toBe(true);
  });
});

// --- helpers ---------------------------------------------------------------------------------

function fakeStat(isDirectory: boolean): Stats {
  return { isDirectory: () => isDirectory, isFile: () => !isDirectory } as Stats;
}

/** A file inside node_modules as electron-builder's module copier presents it to the filters. */
function moduleStat(rel: string): Stats {
  return Object.assign(fakeStat(false), { moduleFullFilePath: rel });
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Checks the signature, every chunk's CRC and that the image data inflates to the right length. */
function parsePng(buf: Buffer): { width: number; height: number } {
  if (!buf.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG');
  let offset = 8;
  let header: Buffer | undefined;
  const data: Buffer[] = [];
  for (;;) {
    const length = buf.readUInt32BE(offset);
    const type = buf.toString('latin1', offset + 4, offset + 8);
    const body = buf.subarray(offset + 8, offset + 8 + length);
    if (crc32(buf.subarray(offset + 4, offset + 8 + length)) !== buf.readUInt32BE(offset + 8 + length)) throw new Error(`bad CRC in ${type}`);
    if (type === 'IHDR') header = body;
    if (type === 'IDAT') data.push(body);
    offset += 12 + length;
    if (type === 'IEND') break;
  }
  if (!header) throw new Error('no IHDR');
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[header[9]!];
  if (header[8] !== 8 || channels === undefined) throw new Error('unexpected PNG format');
  if (inflateSync(Buffer.concat(data)).length !== height * (1 + width * channels)) throw new Error('truncated image data');
  return { width, height };
}

function parseIco(buf: Buffer): { size: number }[] {
  if (buf.readUInt16LE(0) !== 0 || buf.readUInt16LE(2) !== 1) throw new Error('not an ICO');
  const images = [];
  for (let i = 0; i < buf.readUInt16LE(4); i++) {
    const e = 6 + 16 * i;
    const size = buf[e] || 256;
    expect(buf[e + 1] || 256).toBe(size);
    const data = buf.subarray(buf.readUInt32LE(e + 12), buf.readUInt32LE(e + 12) + buf.readUInt32LE(e + 8));
    if (data.subarray(0, 8).equals(PNG_SIGNATURE)) {
      expect(parsePng(data)).toEqual({ width: size, height: size });
    } else {
      // BITMAPINFOHEADER: colour rows and mask rows, 32 bits per pixel, then pixels and mask.
      expect([data.readUInt32LE(0), data.readInt32LE(4), data.readInt32LE(8), data.readUInt16LE(14)]).toEqual([40, size, size * 2, 32]);
      expect(data.length).toBe(40 + size * size * 4 + Math.ceil(size / 32) * 4 * size);
    }
    images.push({ size });
  }
  return images;
}

function parseIcns(buf: Buffer): { type: string; data: Buffer }[] {
  if (buf.toString('latin1', 0, 4) !== 'icns' || buf.readUInt32BE(4) !== buf.length) throw new Error('not an ICNS');
  const entries = [];
  for (let offset = 8; offset < buf.length;) {
    const length = buf.readUInt32BE(offset + 4);
    entries.push({ type: buf.toString('latin1', offset, offset + 4), data: buf.subarray(offset + 8, offset + length) });
    offset += length;
  }
  return entries;
}
