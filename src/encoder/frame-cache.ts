/**
 * A content-addressed cache of device-encoded frames on disk, so that replaying one fixture again
 * (CI runs the same scenarios on every push) takes each encoded frame from the cache instead of
 * encoding it again (docs/performance.md, "The frame cache").
 *
 * An entry's key is the SHA-256 of everything its bytes depend on: the sensor frame's bytes, its
 * capture time (the burn-in's text), the encoder's settings (size, quality, burn-in identity,
 * paths allowed, byte budget), the quality asked for, the code that encodes (the files of
 * src/encoder, src/jpeg and src/text as loaded, source or compiled) and sharp's and libvips'
 * versions. A hit therefore gives the same bytes the encoder would give; every entry carries its
 * length and SHA-256, and one that does not match (a torn or altered file) is a miss.
 *
 * Bounded: when the entries' bytes pass {@link FrameCacheOptions.maxBytes}, the oldest written
 * are removed down to 90 % of it. Several processes may share the folder (entries are written to
 * a temporary name and renamed); the bound is then kept by each of them on its own view.
 * A cache that cannot be read or written is turned off for the rest of the process: it is an
 * optimisation and never fails a run.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

/** Which path made a cached frame (FrameEncoder.paths). */
export type CachedPath = 'blocks' | 'requantised' | 'frame';

/** A frame from the cache. */
export interface CachedFrame {
  readonly jpeg: Uint8Array;
  readonly path: CachedPath;
  readonly quality: number;
}

/** Where the cache lives and how big it may grow. */
export interface FrameCacheOptions {
  readonly dir: string;
  readonly maxBytes: number;
}

/** Default bound: about ten minutes of 720p30 frames at quality 80. */
export const DEFAULT_FRAME_CACHE_MB = 1024;

/** Bumped when the entry format or the key's recipe changes. */
const FORMAT = 'bodycam-frame-cache/1';
const MAGIC = 0x42434631; // "BCF1"
const HEADER_BYTES = 4 + 1 + 1 + 2 + 4 + 32;
const PATHS: readonly CachedPath[] = ['blocks', 'requantised', 'frame'];

/**
 * The cache the environment asks for: `BODYCAM_FRAME_CACHE=off` (or `0`) turns it off;
 * `BODYCAM_FRAME_CACHE_DIR` is its folder (default `$XDG_CACHE_HOME/bodycam-sim/frames`, else
 * `~/.cache/bodycam-sim/frames`); `BODYCAM_FRAME_CACHE_MB` its bound (default
 * {@link DEFAULT_FRAME_CACHE_MB}). Null when off.
 */
export function frameCacheFromEnv(env: NodeJS.ProcessEnv = process.env): FrameCacheOptions | null {
  const switchValue = (env.BODYCAM_FRAME_CACHE ?? '').trim().toLowerCase();
  if (switchValue === 'off' || switchValue === '0' || switchValue === 'false') return null;
  const base = env.XDG_CACHE_HOME !== undefined && env.XDG_CACHE_HOME !== '' ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  const dir = env.BODYCAM_FRAME_CACHE_DIR !== undefined && env.BODYCAM_FRAME_CACHE_DIR !== '' ? env.BODYCAM_FRAME_CACHE_DIR : join(base, 'bodycam-sim', 'frames');
  const mb = Number(env.BODYCAM_FRAME_CACHE_MB ?? DEFAULT_FRAME_CACHE_MB);
  return { dir, maxBytes: Math.max(0, Number.isFinite(mb) ? mb : DEFAULT_FRAME_CACHE_MB) * 1024 * 1024 };
}

const shared = new Map<string, FrameCache>();

/**
 * The process's cache for what the environment asks for ({@link frameCacheFromEnv}), or null
 * when it is off; one per folder, so every encoder of a process shares its view of the bound.
 */
export function sharedFrameCache(env: NodeJS.ProcessEnv = process.env): FrameCache | null {
  const options = frameCacheFromEnv(env);
  if (options === null) return null;
  const key = JSON.stringify(options);
  let cache = shared.get(key);
  if (cache === undefined) {
    cache = new FrameCache(options);
    shared.set(key, cache);
  }
  return cache;
}

let codeVersion: string | null = null;

/**
 * A hash of the code that turns sensor frames into the device's (this folder, src/jpeg and
 * src/text, as loaded: .ts from sources, .js from dist/) and of sharp's and libvips' versions.
 */
function encoderCodeVersion(): string {
  if (codeVersion !== null) return codeVersion;
  const hash = createHash('sha256').update(FORMAT).update(JSON.stringify(sharp.versions));
  const here = dirname(fileURLToPath(import.meta.url));
  for (const folder of ['encoder', 'jpeg', 'text']) {
    const path = join(here, '..', folder);
    for (const name of readdirSync(path).filter((file) => /\.(ts|js)$/.test(file) && !file.endsWith('.d.ts')).sort()) {
      hash.update(name).update(readFileSync(join(path, name)));
    }
  }
  codeVersion = hash.digest('hex');
  return codeVersion;
}

interface Entry {
  readonly file: string;
  readonly bytes: number;
}

/** The on-disk cache of one process. */
export class FrameCache {
  /** Lookups answered from the cache, missed, entries written, entries removed to keep the bound. */
  readonly stats = { hits: 0, misses: 0, writes: 0, evictions: 0 };
  private entries: Entry[] | null = null;
  /** The entries' files, as {@link entries} lists them (a lookup without a file-system call). */
  private readonly files = new Set<string>();
  /** Shard folders this process made or found. */
  private readonly shards = new Set<string>();
  private totalBytes = 0;
  private disabled = false;
  private readonly version: string;

  constructor(readonly options: FrameCacheOptions) {
    this.version = encoderCodeVersion();
  }

  /** The key of a frame: `settings` is the encoder's output settings (JSON-able). */
  keyOf(source: Uint8Array, captureUs: number, quality: number, settings: unknown): string {
    return createHash('sha256').update(this.version).update(JSON.stringify([settings, quality, captureUs]))
      .update(source).digest('hex');
  }

  /**
   * The frame stored under `key`, or null (absent, unreadable, or not matching its checksum).
   * A key the folder did not hold when this process first looked (nor written since by this
   * process) is a miss without a file-system call: on a first run every lookup misses, and an
   * `open` that fails cost the replay's thread ~0.16 ms a frame. An entry another process writes
   * meanwhile is seen by the next run.
   */
  get(key: string): CachedFrame | null {
    if (this.disabled) return null;
    const file = this.fileOf(key);
    if (!this.holds(file)) {
      this.stats.misses += 1;
      return null;
    }
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      this.stats.misses += 1;
      return null;
    }
    const frame = parseEntry(bytes);
    if (frame === null) this.stats.misses += 1;
    else this.stats.hits += 1;
    return frame;
  }

  /** Stores `frame` under `key`, then keeps the bound. */
  put(key: string, frame: CachedFrame): void {
    if (this.disabled || this.options.maxBytes <= 0) return;
    const file = this.fileOf(key);
    const data = serialiseEntry(frame);
    try {
      this.scan();
      const shard = dirname(file);
      if (!this.shards.has(shard)) {
        mkdirSync(shard, { recursive: true });
        this.shards.add(shard);
      }
      const temporary = `${file}.${process.pid}.${this.stats.writes}.tmp`;
      writeFileSync(temporary, data);
      renameSync(temporary, file);
    } catch {
      this.disabled = true;
      return;
    }
    this.stats.writes += 1;
    this.entries?.push({ file, bytes: data.length });
    this.files.add(file);
    this.totalBytes += data.length;
    if (this.totalBytes > this.options.maxBytes) this.evict(Math.floor(this.options.maxBytes * 0.9));
  }

  /** Whether the folder held `file` at this process's first look, or this process wrote it. */
  private holds(file: string): boolean {
    try {
      this.scan();
    } catch {
      this.disabled = true;
      return false;
    }
    return this.files.has(file);
  }

  private fileOf(key: string): string {
    return join(this.options.dir, key.slice(0, 2), key);
  }

  /** Lists what is on disk, oldest first, once per process. */
  private scan(): void {
    if (this.entries !== null) return;
    const found: (Entry & { mtimeMs: number })[] = [];
    mkdirSync(this.options.dir, { recursive: true });
    for (const shard of readdirSync(this.options.dir)) {
      if (!/^[0-9a-f]{2}$/.test(shard)) continue;
      this.shards.add(join(this.options.dir, shard));
      for (const name of readdirSync(join(this.options.dir, shard))) {
        if (name.endsWith('.tmp')) continue;
        const file = join(this.options.dir, shard, name);
        try {
          const stat = statSync(file);
          found.push({ file, bytes: stat.size, mtimeMs: stat.mtimeMs });
        } catch {
          // removed by another process meanwhile
        }
      }
    }
    found.sort((a, b) => a.mtimeMs - b.mtimeMs);
    this.entries = found.map(({ file, bytes }) => ({ file, bytes }));
    for (const { file } of found) this.files.add(file);
    this.totalBytes = found.reduce((sum, entry) => sum + entry.bytes, 0);
  }

  private evict(targetBytes: number): void {
    const entries = this.entries ?? [];
    let removed = 0;
    while (this.totalBytes > targetBytes && removed < entries.length) {
      const entry = entries[removed]!;
      removed += 1;
      this.files.delete(entry.file);
      try {
        unlinkSync(entry.file);
      } catch {
        // already gone
      }
      this.totalBytes -= entry.bytes;
      this.stats.evictions += 1;
    }
    entries.splice(0, removed);
  }
}

function serialiseEntry(frame: CachedFrame): Buffer {
  const out = Buffer.allocUnsafe(HEADER_BYTES + frame.jpeg.length);
  out.writeUInt32BE(MAGIC, 0);
  out.writeUInt8(PATHS.indexOf(frame.path), 4);
  out.writeUInt8(frame.quality, 5);
  out.writeUInt16BE(0, 6);
  out.writeUInt32BE(frame.jpeg.length, 8);
  createHash('sha256').update(frame.jpeg).digest().copy(out, 12);
  out.set(frame.jpeg, HEADER_BYTES);
  return out;
}

function parseEntry(bytes: Buffer): CachedFrame | null {
  if (bytes.length < HEADER_BYTES || bytes.readUInt32BE(0) !== MAGIC) return null;
  const path = PATHS[bytes.readUInt8(4)];
  const quality = bytes.readUInt8(5);
  const length = bytes.readUInt32BE(8);
  if (path === undefined || quality < 1 || quality > 100 || length !== bytes.length - HEADER_BYTES) return null;
  const jpeg = new Uint8Array(bytes.buffer, bytes.byteOffset + HEADER_BYTES, length);
  const digest = createHash('sha256').update(jpeg).digest();
  if (!digest.equals(bytes.subarray(12, HEADER_BYTES))) return null;
  return { jpeg, path, quality };
}
