/**
 * AssemblyScript, compiled to WebAssembly by scripts/build-wasm.mjs into
 * src/jpeg/entropy-transcode-wasm.ts (generated, committed; test/jpeg/wasm-build.test.ts checks it
 * is this file's output). Not TypeScript: outside tsc's and vitest's globs.
 *
 * The coefficient transcode's inner loop, src/jpeg/requantise.ts's `transcodeMcus`, as WebAssembly:
 * Huffman-decode a source scan's blocks, requantise every coefficient from the source's
 * quantisation step to the device's, Huffman-encode it with the device's tables, in one pass with
 * no block stored (`transcode`); and its coder of stored blocks, `codeStoredMcus` (`codeStored`),
 * with the same tables and writer. It must give the JavaScript loop's bytes and its errors exactly (the property
 * test in test/jpeg/wasm-transcode.test.ts drives both), so it follows that loop step by step:
 * the same lookups, the same checks in the same order, the same requantising (magnitudes below 64
 * from a table the host fills with requantise.ts's own function; larger ones with the same
 * double-precision multiply and add, which WebAssembly's IEEE f64 arithmetic, with no fused
 * multiply-add, gives bit for bit). What differs is only how bits are buffered, which no output
 * shows: 64-bit accumulators on both sides, so the reader refills a word every ~6 bytes instead of
 * every 2, and the writer spills 32 bits at a time. A corrupt scan whose DC values run past
 * DC_LIMIT (a baseline scan's stay within ±2047) is handed back to the JavaScript loop (BAIL),
 * whose doubles never overflow, rather than reproducing JavaScript's number semantics here.
 *
 * Why hand-written: no library does this. JPEG libraries (libjpeg-turbo's jpegtran, libvips and
 * sharp, mozjpeg, and their WebAssembly builds) requantise only by decoding to pixels, or
 * transcode losslessly with the same tables; none takes one scan's coefficients to another
 * quantisation and Huffman code in one pass, and none could promise the JavaScript loop's exact
 * bytes and refusals, which make a recording the same bytes on every machine whichever loop ran.
 *
 * Both byte streams lie in memory reversed, byte i at `start - i`: a little-endian load of 8 bytes
 * ending at byte `pos` is then the big-endian word the reader wants (WebAssembly has no byte swap;
 * AssemblyScript's takes a dozen instructions per refill), and a little-endian store of the
 * writer's 32 bits puts them in stream order. The host reverses the scan on its way in and the
 * output on its way out, natively.
 *
 * The host (src/jpeg/wasm-transcode.ts) lays out memory; this module only reads and writes where
 * the parameter block says. No allocation, no runtime (`--runtime stub`), no imports.
 */

// The parameter block, i32 slots at PARAMS (the host's layout; keep src/jpeg/wasm-transcode.ts in step).
const PARAMS: usize = 2048;
const P_POS = 0; // reader, JavaScript form: `bits` unread bits in `acc` ending at data byte `pos`
const P_ACC = 1;
const P_BITS = 2;
const P_SOURCE_PREDICTORS = 3; // 4 slots
const P_DEVICE_PREDICTORS = 7; // 4 slots
const P_OUT_ACC = 11; // writer: `pending` (< 8) bits in the low bits of `outAcc`
const P_PENDING = 12;
const P_BLOCKS = 13;
const P_DATA = 14; // where the unstuffed scan's byte 0 is (it lies reversed, see below), and its length in bytes
const P_DATA_LENGTH = 15;
const P_OUT = 16; // where output byte 0 goes (reversed too), the room, and how many bytes were written
const P_OUT_CAPACITY = 17;
const P_OUT_LENGTH = 18;
const P_ERROR_VALUE = 19; // the number an error message names
const P_DONE = 20; // MCUs done
const P_ERROR_BIT = 21; // and the bit it names, for an error that names both
const P_STORE = 22; // codeStored: where the blocks' coefficients lie (i16, 64 a block, in MCU order); decode: where they go
const P_MCU_BITS = 23; // decode: where each MCU's first bit goes (i32 by MCU)
const P_NOTED = 24; // decode and walk: where long code words are noted (i32 pairs: bit, word), the room (pairs) and how many
const P_NOTED_CAPACITY = 25;
const P_NOTED_COUNT = 26;
const P_BLOCK_TABLES = 32; // per block of an MCU: BLOCK_SLOTS slots
const BLOCK_SLOTS = 4;
const B_COMPONENT = 0;
const B_DC_TABLE = 1; // a decoding table (layout below)
const B_AC_BUNDLE = 2; // an AC bundle (layout below)
const B_DC_CODES = 3; // 256 u32 by symbol: (code word << 8) | its length (0: none)
// decode and walk (entropy-decoder.ts's loops): per block of an MCU, DECODE_SLOTS slots from P_DECODE_TABLES.
const P_DECODE_TABLES = 80;
const DECODE_SLOTS = 4;
const D_COMPONENT = 0;
const D_DC_TABLE = 1; // a decoding table
const D_AC_TABLE = 2; // a decoding table
const D_IDS = 3; // the tables' ids as noted: (dcId << 16) | acId
/** Code words this long or longer are noted (entropy-decoder.ts's NOTED_CODE_BITS). */
const NOTED_CODE_BITS = 12;

// A decoding table (src/jpeg/huffman-tables.ts's HuffmanTable).
const T_FAST: usize = 0; // u16[1024]
const T_AC_VALUE: usize = 2048; // i32[1024]
const T_MAX_CODE: usize = 6144; // i32[18]
const T_SYMBOL_OFFSET: usize = 6216; // i32[18]
const T_SYMBOLS: usize = 6288; // u8[4096], zero past the table's symbols (to 10384)

// An AC bundle: a block's AC decoding table (as above), the device's AC code words (256 u32 by
// symbol: (code word << 8) | its length, 0: none), by zigzag index k `qOld / qNew` (f64[64]),
// then each requantised magnitude below SMALL (u16 at [k][magnitude]), computed by the host with
// requantise.ts's own formula.
const A_CODES = 10384;
const A_RATIO = A_CODES + 1024;
const A_SMALL = A_RATIO + 512;
const SMALL = 64;

// Results (the host turns each into requantise.ts's message).
const DONE = 0;
const OUT_FULL = 1; // the output room ran short: P_DONE MCUs done, call again
const BAIL = 2; // a DC value far outside baseline: the host redoes the call in JavaScript
const E_NO_DC_CODE = 10;
const E_DC_SIZE = 11;
const E_DC_DIFFERENCE = 12;
const E_NO_AC_CODE = 13;
const E_PAST_63 = 14;
const E_NO_ZRL = 15;
const E_OUT_OF_RANGE = 16;
const E_NO_SYMBOL = 17;
const E_NO_EOB = 18;
const E_DATA_ENDS = 19;
const E_STORED_OUT_OF_RANGE = 20;

const FAST_BITS = 10;
const END_OF_BLOCK_RUN = 0x7f;
const HALF_UP: f64 = 0.5 + 1e-7;
/** Bytes one MCU of at most 10 blocks can take when coded, stuffing included (as requantise.ts). */
const MCU_MAX_BYTES = 4196;
/** DC values beyond this (never in a baseline scan, only in a corrupt one) go to JavaScript, whose doubles never overflow. */
const DC_LIMIT = 1 << 20;

@inline function param(slot: i32): i32 {
  return load<i32>(PARAMS + (<usize>slot << 2));
}

@inline function setParam(slot: i32, value: i32): void {
  store<i32>(PARAMS + (<usize>slot << 2), value);
}

/** requantise.ts's `decodeLong`: a code word longer than FAST_BITS from the next 16 bits. */
function decodeLong(table: usize, peek16: u32): u32 {
  for (let length: u32 = FAST_BITS + 1; length <= 16; length += 1) {
    const code = peek16 >> (16 - length);
    if (<i32>code <= load<i32>(table + T_MAX_CODE + (<usize>length << 2))) {
      return (length << 8) | <u32>load<u8>(table + T_SYMBOLS + <usize>(load<i32>(table + T_SYMBOL_OFFSET + (<usize>length << 2)) + <i32>code));
    }
  }
  return 0;
}

/** The signed value of `size` raw bits (T.81 F.2.2.1's EXTEND). */
@inline function extend(raw: i32, size: i32): i32 {
  return raw < 1 << (size - 1) ? raw - (1 << size) + 1 : raw;
}

/**
 * Writes the 4 bytes of `full`, each 0xFF followed by a stuffed zero, below `wp` (see
 * {@link transcode}'s writer); the new `wp`.
 */
function writeStuffed(wp: usize, full: u32): usize {
  let at = wp;
  for (let shift = 24; shift >= 0; shift -= 8) {
    const byte = (full >> <u32>shift) & 0xff;
    store<u8>(at, <u8>byte, 3);
    at -= 1;
    if (byte === 0xff) {
      store<u8>(at, 0, 3);
      at -= 1;
    }
  }
  return at;
}

/** Writes the whole bytes of the `outBits` waiting in `outAcc` below `wp`, and leaves the rest (under 8) and the length in the parameter block. */
function settle(out: usize, wp: usize, outAcc: u64, outBits: i32): void {
  let at = wp;
  let pending = outBits;
  while (pending >= 8) {
    pending -= 8;
    const byte = <u32>(outAcc >> <u64>pending) & 0xff;
    store<u8>(at, <u8>byte, 3);
    at -= 1;
    if (byte === 0xff) {
      store<u8>(at, 0, 3);
      at -= 1;
    }
  }
  setParam(P_OUT_ACC, <i32>(<u32>outAcc & ((1 << <u32>pending) - 1)));
  setParam(P_PENDING, pending);
  setParam(P_OUT_LENGTH, <i32>(out - 3 - at));
}

/** The reader's state back in JavaScript's form: at bit `bit`, under 8 bits held, from whole bytes of the data. */
function saveReader(data: usize, bit: i32): void {
  const pos = (bit + 7) >> 3;
  const bits = (pos << 3) - bit;
  setParam(P_POS, pos);
  setParam(P_BITS, bits);
  setParam(P_ACC, bits === 0 ? 0 : <i32>load<u8>(data - <usize>(pos - 1)) & ((1 << bits) - 1));
}

/**
 * Transcodes `count` MCUs as requantise.ts's `transcodeMcus` does, from and into the state in the
 * parameter block. Returns DONE, OUT_FULL, BAIL or an error (its number in P_ERROR_VALUE).
 *
 * Few live values, for the register allocator: the reader's and the writer's positions are one
 * pointer each, and a block's AC tables lie together at one address (an AC bundle).
 */
export function transcode(count: i32): i32 {
  const data = <usize>param(P_DATA);
  const endBits = param(P_DATA_LENGTH) * 8 + 32;
  const blocks = param(P_BLOCKS);
  // The writer: `outBits` (< 32 between code words) bits waiting in the low bits of `outAcc`; a
  // code word of n ≤ 27 bits goes in, and a full 32 bits go out at once, stuffed. `wp` is where
  // the next 4 bytes go (output byte i lies at `out - i`, so they are `wp + 3` down to `wp`).
  // Written out at each of its four uses (DC, zero run, AC, end of block): its state stays in
  // locals.
  const out = <usize>param(P_OUT);
  const wpLimit = out - 3 - (<usize>param(P_OUT_CAPACITY) - MCU_MAX_BYTES);
  let wp: usize = out - 3;
  let outAcc: u64 = <u64><u32>param(P_OUT_ACC);
  let outBits: i32 = param(P_PENDING);
  // The reader: the next unread bit at the top of `acc`, `held` of them valid; `rp` the address of
  // the 8 bytes after those taken in (data byte i lies at `data - i`, so a little-endian load at
  // `rp` is the big-endian word from byte `data - 7 - rp` on). The bits below `held` are the next
  // bytes' or zero, so a refill ORs in the same ones.
  const startBits = param(P_BITS);
  let acc: u64 = startBits === 0 ? 0 : <u64>(<u32>param(P_ACC) & ((1 << <u32>startBits) - 1)) << <u64>(64 - startBits);
  let held: i32 = startBits;
  let rp: usize = data - 7 - <usize>param(P_POS);
  const predictors = PARAMS + (<usize>P_SOURCE_PREDICTORS << 2);
  const devicePredictors = PARAMS + (<usize>P_DEVICE_PREDICTORS << 2);
  for (let n = 0; n < count; n += 1) {
    if (wp < wpLimit) {
      setParam(P_DONE, n);
      saveReader(data, (<i32>(data - 7 - rp) << 3) - held);
      settle(out, wp, outAcc, outBits);
      return OUT_FULL;
    }
    for (let b = 0; b < blocks; b += 1) {
      const slots = PARAMS + (<usize>(P_BLOCK_TABLES + b * BLOCK_SLOTS) << 2);
      const component = <usize>load<i32>(slots + (B_COMPONENT << 2)) << 2;
      const dcTable = <usize>load<i32>(slots + (B_DC_TABLE << 2));
      const ac = <usize>load<i32>(slots + (B_AC_BUNDLE << 2));
      const dcCodes = <usize>load<i32>(slots + (B_DC_CODES << 2));
      // DC: the source's difference onto its predictor, requantised, then the device's difference.
      if (held < 32) {
        acc |= load<u64>(rp) >> <u64>held;
        rp -= <usize>((63 - held) >> 3);
        held |= 56;
      }
      let entry = <u32>load<u16>(dcTable + T_FAST + (<usize>(acc >> 54) << 1));
      if (entry === 0) {
        entry = decodeLong(dcTable, <u32>(acc >> 48));
        if (entry === 0) {
          setParam(P_ERROR_VALUE, (<i32>(data - 7 - rp) << 3) - held);
          return E_NO_DC_CODE;
        }
      }
      let codeLength = <i32>(entry >> 8);
      acc <<= <u64>codeLength;
      held -= codeLength;
      let size = <i32>(entry & 0xff);
      if (size > 11) {
        setParam(P_ERROR_VALUE, size);
        setParam(P_ERROR_BIT, (<i32>(data - 7 - rp) << 3) - held);
        return E_DC_SIZE;
      }
      if (size > 0) {
        const raw = <i32>(acc >> <u64>(64 - size));
        acc <<= <u64>size;
        held -= size;
        store<i32>(predictors + component, load<i32>(predictors + component) + extend(raw, size));
      }
      const dc = load<i32>(predictors + component);
      if (dc > DC_LIMIT || dc < -DC_LIMIT) return BAIL;
      const dcMagnitude = <i32>(<f64>(dc < 0 ? -dc : dc) * load<f64>(ac, A_RATIO) + HALF_UP);
      const deviceDc = dc < 0 ? -dcMagnitude : dcMagnitude;
      const devicePredictor = load<i32>(devicePredictors + component);
      if (devicePredictor > 0x3fffffff || devicePredictor < -0x3fffffff) return BAIL;
      const difference = deviceDc - devicePredictor;
      store<i32>(devicePredictors + component, deviceDc);
      let magnitude = difference < 0 ? -difference : difference;
      size = magnitude === 0 ? 0 : 32 - clz<i32>(magnitude);
      let code = size > 11 ? 0 : load<u32>(dcCodes + (<usize>size << 2));
      if ((code & 0xff) === 0) {
        setParam(P_ERROR_VALUE, difference);
        return E_DC_DIFFERENCE;
      }
      {
        const n = <i32>(code & 0xff) + size;
        {
          outAcc = (outAcc << <u64>n) | <u64>(((code >> 8) << <u32>size) | <u32>(difference < 0 ? (1 << size) - 1 - magnitude : magnitude));
          outBits += n;
          if (outBits >= 32) {
            outBits -= 32;
            const full = <u32>(outAcc >> <u64>outBits);
            if (((~full - 0x01010101) & full & 0x80808080) === 0) {
              store<u32>(wp, full);
              wp -= 4;
            } else wp = writeStuffed(wp, full);
          }
        }
      }
      // AC: each nonzero value requantised; zero runs between the ones that stay nonzero.
      let last = 0;
      for (let k = 1; k < 64; k += 1) {
        // Refilled only when under 32 bits are held (a code word and its value take at most 31):
        // about every third code word. A refill every time would put its load into the chain
        // from one code word to the next (the next lookup waits for it), where the branch,
        // predicted, does not.
        if (held < 32) {
          acc |= load<u64>(rp) >> <u64>held;
          rp -= <usize>((63 - held) >> 3);
          held |= 56;
        }
        const index = <usize>(acc >> 54);
        let value: i32;
        let run: i32;
        const quick = load<i32>(ac + (index << 2), T_AC_VALUE);
        if (quick !== 0) {
          codeLength = quick & 0xff;
          acc <<= <u64>codeLength;
          held -= codeLength;
          run = (quick >> 8) & 0xff;
          value = quick >> 16;
        } else {
          // A code word and value longer than the lookup: decode them one after the other.
          entry = <u32>load<u16>(ac + (index << 1), T_FAST);
          if (entry === 0) entry = decodeLong(ac, <u32>(acc >> 48));
          if (entry === 0) {
            setParam(P_ERROR_VALUE, (<i32>(data - 7 - rp) << 3) - held);
            return E_NO_AC_CODE;
          }
          codeLength = <i32>(entry >> 8);
          acc <<= <u64>codeLength;
          held -= codeLength;
          size = <i32>(entry & 15);
          run = <i32>(entry >> 4) & 15;
          value = 0;
          if (size > 0) {
            const raw = <i32>(acc >> <u64>(64 - size));
            acc <<= <u64>size;
            held -= size;
            value = extend(raw, size);
          } else if ((entry & 0xff) !== 0xf0) {
            run = END_OF_BLOCK_RUN;
          }
        }
        if (run === END_OF_BLOCK_RUN) break;
        k += run; // a ZRL: the last of its 16 zeros
        if (k > 63) {
          setParam(P_ERROR_VALUE, (<i32>(data - 7 - rp) << 3) - held);
          return E_PAST_63;
        }
        // Small magnitudes (nearly all) from the host's table of requantise.ts's formula, others
        // computed with it; a ZRL's value 0 gives 0.
        const absolute = select<i32>(-value, value, value < 0);
        magnitude = absolute < SMALL
          ? <i32>load<u16>(ac + ((<usize>k << 7) | (<usize>absolute << 1)), A_SMALL)
          : <i32>(<f64>absolute * load<f64>(ac + (<usize>k << 3), A_RATIO) + HALF_UP);
        // Whether the value stays nonzero is a coin toss at another quality, so no branch on it:
        // a zero codes 0 bits and leaves `last` as it was.
        const kept = magnitude !== 0;
        let zeros = k - last - 1;
        if (kept & (zeros > 15)) {
          while (zeros > 15) {
            code = load<u32>(ac, A_CODES + (0xf0 << 2));
            if ((code & 0xff) === 0) return E_NO_ZRL;
            const n = <i32>(code & 0xff);
            {
              outAcc = (outAcc << <u64>n) | <u64>(code >> 8);
              outBits += n;
              if (outBits >= 32) {
                outBits -= 32;
                const full = <u32>(outAcc >> <u64>outBits);
                if (((~full - 0x01010101) & full & 0x80808080) === 0) {
                  store<u32>(wp, full);
                  wp -= 4;
                } else wp = writeStuffed(wp, full);
              }
            }
            zeros -= 16;
          }
        }
        size = 32 - clz<i32>(magnitude);
        if (size > 10) {
          setParam(P_ERROR_VALUE, magnitude);
          return E_OUT_OF_RANGE;
        }
        const symbol = ((zeros & 15) << 4) | size;
        code = load<u32>(ac + (<usize>symbol << 2), A_CODES);
        if (kept & ((code & 0xff) === 0)) {
          setParam(P_ERROR_VALUE, symbol);
          return E_NO_SYMBOL;
        }
        const n = select<i32>(<i32>(code & 0xff) + size, 0, kept);
        const word = select<u32>(((code >> 8) << <u32>size) | <u32>(value < 0 ? (1 << size) - 1 - magnitude : magnitude), 0, kept);
        {
          // As the writer above, with no branch on whether 32 bits are full (every third or
          // fourth code word, irregularly, and known only once the code word is): they are
          // stored anyway and counted only when full (a store not counted is overwritten by the
          // next one).
          outAcc = (outAcc << <u64>n) | <u64>(word);
          outBits += n;
          const spill = outBits >= 32;
          const full = <u32>(outAcc >> <u64>(outBits - 32));
          if (spill & (((~full - 0x01010101) & full & 0x80808080) !== 0)) {
            outBits -= 32;
            wp = writeStuffed(wp, full);
          } else {
            store<u32>(wp, full);
            wp -= select<usize>(4, 0, spill);
            outBits -= select<i32>(32, 0, spill);
          }
        }
        last = select<i32>(k, last, kept);
      }
      if (last < 63) {
        code = load<u32>(ac, A_CODES);
        if ((code & 0xff) === 0) return E_NO_EOB;
        const n = <i32>(code & 0xff);
        {
          outAcc = (outAcc << <u64>n) | <u64>(code >> 8);
          outBits += n;
          if (outBits >= 32) {
            outBits -= 32;
            const full = <u32>(outAcc >> <u64>outBits);
            if (((~full - 0x01010101) & full & 0x80808080) === 0) {
              store<u32>(wp, full);
              wp -= 4;
            } else wp = writeStuffed(wp, full);
          }
        }
      }
    }
    if ((<i32>(data - 7 - rp) << 3) - held > endBits) return E_DATA_ENDS;
  }
  setParam(P_DONE, count);
  saveReader(data, (<i32>(data - 7 - rp) << 3) - held);
  settle(out, wp, outAcc, outBits);
  return DONE;
}

/**
 * requantise.ts's `codeStoredMcus`: codes `count` MCUs of coefficients at P_STORE (DC as a value)
 * with the device's tables, requantising each value first when `requantise` is set, into the
 * writer's state in the parameter block. The same writer as {@link transcode}. Returns DONE,
 * OUT_FULL, BAIL or an error.
 */
export function codeStored(count: i32, requantise: bool): i32 {
  const blocks = param(P_BLOCKS);
  const out = <usize>param(P_OUT);
  const wpLimit = out - 3 - (<usize>param(P_OUT_CAPACITY) - MCU_MAX_BYTES);
  let wp: usize = out - 3;
  let outAcc: u64 = <u64><u32>param(P_OUT_ACC);
  let outBits: i32 = param(P_PENDING);
  const devicePredictors = PARAMS + (<usize>P_DEVICE_PREDICTORS << 2);
  let base = <usize>param(P_STORE);
  for (let n = 0; n < count; n += 1) {
    if (wp < wpLimit) {
      setParam(P_DONE, n);
      settle(out, wp, outAcc, outBits);
      return OUT_FULL;
    }
    for (let b = 0; b < blocks; b += 1, base += 128) {
      const slots = PARAMS + (<usize>(P_BLOCK_TABLES + b * BLOCK_SLOTS) << 2);
      const component = <usize>load<i32>(slots + (B_COMPONENT << 2)) << 2;
      const ac = <usize>load<i32>(slots + (B_AC_BUNDLE << 2));
      const dcCodes = <usize>load<i32>(slots + (B_DC_CODES << 2));
      const dc = <i32>load<i16>(base);
      let deviceDc = dc;
      if (requantise) {
        const dcMagnitude = <i32>(<f64>(dc < 0 ? -dc : dc) * load<f64>(ac, A_RATIO) + HALF_UP);
        deviceDc = dc < 0 ? -dcMagnitude : dcMagnitude;
      }
      const devicePredictor = load<i32>(devicePredictors + component);
      if (devicePredictor > 0x3fffffff || devicePredictor < -0x3fffffff) return BAIL;
      const difference = deviceDc - devicePredictor;
      store<i32>(devicePredictors + component, deviceDc);
      let magnitude = difference < 0 ? -difference : difference;
      let size = magnitude === 0 ? 0 : 32 - clz<i32>(magnitude);
      let code = size > 11 ? 0 : load<u32>(dcCodes + (<usize>size << 2));
      if ((code & 0xff) === 0) {
        setParam(P_ERROR_VALUE, difference);
        return E_DC_DIFFERENCE;
      }
      {
        const n = <i32>(code & 0xff) + size;
        {
          outAcc = (outAcc << <u64>n) | <u64>(((code >> 8) << <u32>size) | <u32>(difference < 0 ? (1 << size) - 1 - magnitude : magnitude));
          outBits += n;
          if (outBits >= 32) {
            outBits -= 32;
            const full = <u32>(outAcc >> <u64>outBits);
            if (((~full - 0x01010101) & full & 0x80808080) === 0) {
              store<u32>(wp, full);
              wp -= 4;
            } else wp = writeStuffed(wp, full);
          }
        }
      }
      let last = 0;
      for (let k = 1; k < 64; k += 1) {
        const value = <i32>load<i16>(base + (<usize>k << 1));
        if (value === 0) continue;
        magnitude = value < 0 ? -value : value;
        if (requantise) {
          magnitude = magnitude < SMALL
            ? <i32>load<u16>(ac + ((<usize>k << 7) | (<usize>magnitude << 1)), A_SMALL)
            : <i32>(<f64>magnitude * load<f64>(ac + (<usize>k << 3), A_RATIO) + HALF_UP);
          if (magnitude === 0) continue;
        }
        let zeros = k - last - 1;
        while (zeros > 15) {
          code = load<u32>(ac, A_CODES + (0xf0 << 2));
          if ((code & 0xff) === 0) return E_NO_ZRL;
          const n = <i32>(code & 0xff);
          {
            outAcc = (outAcc << <u64>n) | <u64>(code >> 8);
            outBits += n;
            if (outBits >= 32) {
              outBits -= 32;
              const full = <u32>(outAcc >> <u64>outBits);
              if (((~full - 0x01010101) & full & 0x80808080) === 0) {
                store<u32>(wp, full);
                wp -= 4;
              } else wp = writeStuffed(wp, full);
            }
          }
          zeros -= 16;
        }
        size = 32 - clz<i32>(magnitude);
        if (size > 10) {
          setParam(P_ERROR_VALUE, magnitude);
          return E_STORED_OUT_OF_RANGE;
        }
        const symbol = (zeros << 4) | size;
        code = load<u32>(ac + (<usize>symbol << 2), A_CODES);
        if ((code & 0xff) === 0) {
          setParam(P_ERROR_VALUE, symbol);
          return E_NO_SYMBOL;
        }
        const n = <i32>(code & 0xff) + size;
        {
          outAcc = (outAcc << <u64>n) | <u64>(((code >> 8) << <u32>size) | <u32>(value < 0 ? (1 << size) - 1 - magnitude : magnitude));
          outBits += n;
          if (outBits >= 32) {
            outBits -= 32;
            const full = <u32>(outAcc >> <u64>outBits);
            if (((~full - 0x01010101) & full & 0x80808080) === 0) {
              store<u32>(wp, full);
              wp -= 4;
            } else wp = writeStuffed(wp, full);
          }
        }
        last = k;
      }
      if (last < 63) {
        code = load<u32>(ac, A_CODES);
        if ((code & 0xff) === 0) return E_NO_EOB;
        const n = <i32>(code & 0xff);
        {
          outAcc = (outAcc << <u64>n) | <u64>(code >> 8);
          outBits += n;
          if (outBits >= 32) {
            outBits -= 32;
            const full = <u32>(outAcc >> <u64>outBits);
            if (((~full - 0x01010101) & full & 0x80808080) === 0) {
              store<u32>(wp, full);
              wp -= 4;
            } else wp = writeStuffed(wp, full);
          }
        }
      }
    }
  }
  setParam(P_DONE, count);
  settle(out, wp, outAcc, outBits);
  return DONE;
}

/** Notes a long code word at bit `at`; false when the room is full (the host then redoes the call in JavaScript). */
function note(at: i32, word: i32): bool {
  const count = param(P_NOTED_COUNT);
  if (count >= param(P_NOTED_CAPACITY)) return false;
  const slot = <usize>param(P_NOTED) + (<usize>count << 3);
  store<i32>(slot, at);
  store<i32>(slot, word, 4);
  setParam(P_NOTED_COUNT, count + 1);
  return true;
}

/**
 * entropy-decoder.ts's `decodeMcus` (when `keep`) or `walkMcus`: `count` MCUs read from the
 * reader's state in the parameter block, DC predictors kept, long code words noted; when
 * `keep`, each block's coefficients written at P_STORE (zeroed by the host; i16, 64 a block,
 * the DC as its value) and each MCU's first bit at P_MCU_BITS. The same checks as those loops,
 * each reporting the bit they do (the walk reports an index past 63 after the value's bits, the
 * decoding before them). Returns DONE, BAIL (the noted room is full) or an error. The same
 * 64-bit reader as {@link transcode}.
 */
export function decode(count: i32, keep: bool): i32 {
  const data = <usize>param(P_DATA);
  const endBits = param(P_DATA_LENGTH) * 8 + 32;
  const blocks = param(P_BLOCKS);
  const startBits = param(P_BITS);
  let acc: u64 = startBits === 0 ? 0 : <u64>(<u32>param(P_ACC) & ((1 << <u32>startBits) - 1)) << <u64>(64 - startBits);
  let held: i32 = startBits;
  let rp: usize = data - 7 - <usize>param(P_POS);
  const predictors = PARAMS + (<usize>P_SOURCE_PREDICTORS << 2);
  let base = <usize>param(P_STORE);
  const mcuBits = <usize>param(P_MCU_BITS);
  for (let n = 0; n < count; n += 1) {
    if (keep) store<i32>(mcuBits + (<usize>n << 2), (<i32>(data - 7 - rp) << 3) - held);
    for (let b = 0; b < blocks; b += 1, base += 128) {
      const slots = PARAMS + (<usize>(P_DECODE_TABLES + b * DECODE_SLOTS) << 2);
      const component = <usize>load<i32>(slots + (D_COMPONENT << 2)) << 2;
      const dcTable = <usize>load<i32>(slots + (D_DC_TABLE << 2));
      const ac = <usize>load<i32>(slots + (D_AC_TABLE << 2));
      const ids = load<i32>(slots + (D_IDS << 2));
      if (held < 32) {
        acc |= load<u64>(rp) >> <u64>held;
        rp -= <usize>((63 - held) >> 3);
        held |= 56;
      }
      let entry = <u32>load<u16>(dcTable + T_FAST + (<usize>(acc >> 54) << 1));
      if (entry === 0) {
        entry = decodeLong(dcTable, <u32>(acc >> 48));
        const at = (<i32>(data - 7 - rp) << 3) - held;
        if (entry === 0) {
          setParam(P_ERROR_VALUE, at);
          return E_NO_DC_CODE;
        }
        if (<i32>(entry >> 8) >= NOTED_CODE_BITS && !note(at, ((ids >> 16) << 16) | <i32>entry)) return BAIL;
      }
      let codeLength = <i32>(entry >> 8);
      acc <<= <u64>codeLength;
      held -= codeLength;
      let size = <i32>(entry & 0xff);
      if (size > 11) {
        setParam(P_ERROR_VALUE, size);
        setParam(P_ERROR_BIT, (<i32>(data - 7 - rp) << 3) - held);
        return E_DC_SIZE;
      }
      if (size > 0) {
        const raw = <i32>(acc >> <u64>(64 - size));
        acc <<= <u64>size;
        held -= size;
        store<i32>(predictors + component, load<i32>(predictors + component) + extend(raw, size));
      }
      if (keep) store<i16>(base, <i16>load<i32>(predictors + component));
      let k = 1;
      while (k < 64) {
        if (held < 32) {
          acc |= load<u64>(rp) >> <u64>held;
          rp -= <usize>((63 - held) >> 3);
          held |= 56;
        }
        const index = <usize>(acc >> 54);
        const quick = load<i32>(ac + (index << 2), T_AC_VALUE);
        let run: i32;
        let value: i32;
        if (quick !== 0) {
          // A code word and its value within the lookup: both taken at once.
          codeLength = quick & 0xff;
          acc <<= <u64>codeLength;
          held -= codeLength;
          run = (quick >> 8) & 0xff;
          value = quick >> 16;
          if (run === END_OF_BLOCK_RUN) break;
          if (value === 0) {
            k += 16; // a ZRL
            continue;
          }
          k += run;
          if (k > 63) {
            if (keep) {
              // decodeMcus reports the bit before the value's: the code word's own length, from the lookup.
              setParam(P_ERROR_VALUE, (<i32>(data - 7 - rp) << 3) - held - codeLength + <i32>(load<u16>(ac + (index << 1), T_FAST) >> 8));
              return E_PAST_63;
            }
            k += 1;
            break;
          }
        } else {
          entry = <u32>load<u16>(ac + (index << 1), T_FAST);
          if (entry === 0) {
            entry = decodeLong(ac, <u32>(acc >> 48));
            const at = (<i32>(data - 7 - rp) << 3) - held;
            if (entry === 0) {
              setParam(P_ERROR_VALUE, at);
              return E_NO_AC_CODE;
            }
            if (<i32>(entry >> 8) >= NOTED_CODE_BITS && !note(at, ((16 | (ids & 0xffff)) << 16) | <i32>entry)) return BAIL;
          }
          codeLength = <i32>(entry >> 8);
          acc <<= <u64>codeLength;
          held -= codeLength;
          const symbol = <i32>(entry & 0xff);
          size = symbol & 15;
          if (size === 0) {
            if (symbol !== 0xf0) break;
            k += 16;
            continue;
          }
          k += symbol >> 4;
          if (k > 63 && keep) {
            setParam(P_ERROR_VALUE, (<i32>(data - 7 - rp) << 3) - held);
            return E_PAST_63;
          }
          const raw = <i32>(acc >> <u64>(64 - size));
          acc <<= <u64>size;
          held -= size;
          value = extend(raw, size);
          if (k > 63) {
            k += 1;
            break;
          }
        }
        if (keep) store<i16>(base + (<usize>k << 1), <i16>value);
        k += 1;
      }
      if (k > 64) {
        setParam(P_ERROR_VALUE, (<i32>(data - 7 - rp) << 3) - held);
        return E_PAST_63;
      }
    }
    if ((<i32>(data - 7 - rp) << 3) - held > endBits) return E_DATA_ENDS;
  }
  saveReader(data, (<i32>(data - 7 - rp) << 3) - held);
  return DONE;
}

/** Where this module's own static data ends: the host's layout starts above it. */
export function heapBase(): usize {
  return __heap_base;
}
