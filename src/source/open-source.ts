/** Opening what a replay or a live device reads: a fixture folder, its fixture.json, or a recording. */
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BodycamError } from '../errors/index.js';
import { ENCRYPTED_RECORDING_NAME } from '../evidence/index.js';
import { type LoadFixtureOptions, loadFixture } from '../fixture/index.js';
import { closeInput, openInput, readOpenInput } from '../io/index.js';
import { fixtureSource } from './fixture-source.js';
import type { FrameSource } from './frame-source.js';
import { matroskaSource } from './matroska-source.js';

/** The bundled default fixture, shipped with the package. */
export const BUNDLED_FIXTURE_DIR = fileURLToPath(new URL('../../fixtures/street-warning', import.meta.url));

/** The bundled fixture's own scenario (record at 40 s, stop by a hold at 65 s), shipped with the package. */
export const BUNDLED_SCENARIO_FILE = join(BUNDLED_FIXTURE_DIR, 'scenario.json');

/** Opens a fixture folder (or its fixture.json), or a recording (Matroska, or H.264/PCM MP4), as a frame source. */
export async function openSource(path: string, options: LoadFixtureOptions = {}): Promise<FrameSource> {
  if (!existsSync(path)) throw BodycamError.badInput({ file: path }, 'a fixture folder, a fixture.json or an .mkv recording', 'nothing at that path');
  if (ENCRYPTED_RECORDING_NAME.test(path)) {
    // The device side has no decrypt path: only the back office can open an encrypted recording.
    throw BodycamError.badInput({ file: path }, 'a fixture folder or an unencrypted recording',
      'a recording encrypted at rest, which only the back office can decrypt (bodycam evidence offload, then evidence view or export)');
  }
  if (statSync(path).isDirectory()) return fixtureSource(await loadFixture(path, options));
  if (/\.(mkv|mka|webm)$/i.test(path) || startsWithEbml(path)) return matroskaSource(path);
  // An MP4: the device's own recordings (and any H.264/PCM MP4) replay as they are; others are
  // refused with the import command (matroska-source.ts).
  if (hasFtypBox(path)) return matroskaSource(path);
  if (OTHER_VIDEO.test(path) || hasFtypBox(path)) {
    throw BodycamError.badInput({ file: path }, 'a fixture folder, a fixture.json or an .mkv recording',
      `a video in another format; import it as a fixture first: bodycam fixture import ${path} --out <folder>, then bodycam run <folder>`);
  }
  return fixtureSource(await loadFixture(dirname(path), options));
}

/** Video files `run` cannot replay directly, but `bodycam fixture import` can turn into a fixture. */
const OTHER_VIDEO = /\.(mp4|m4v|mov|avi|wmv|flv|mpe?g|ts|mts|m2ts|3gp|ogv)$/i;

/** An ISO base media file (MP4, MOV, 3GP) whatever its name: `ftyp` at byte 4. */
function hasFtypBox(path: string): boolean {
  return Buffer.from(readHead(path, 8).subarray(4, 8)).toString('latin1') === 'ftyp';
}

function startsWithEbml(path: string): boolean {
  const head = readHead(path, 4);
  return head.length === 4 && head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3;
}

/** The first `bytes` bytes of a regular file (a FIFO or device is refused: src/io). */
function readHead(path: string, bytes: number): Uint8Array {
  const head = new Uint8Array(bytes);
  const input = openInput(path, { what: 'a fixture.json or an .mkv recording', maxBytes: Number.MAX_SAFE_INTEGER });
  try {
    return head.subarray(0, readOpenInput(input, head, 0));
  } finally {
    closeInput(input);
  }
}
