/**
 * A reader of H.264's RBSP bits: emulation-prevention bytes removed, fixed-width fields and the
 * exp-Golomb codes (ue(v), se(v)) of H.264 section 9.1. Pure.
 */

/** The RBSP of a NAL unit's payload: every `00 00 03` loses its 03 (H.264 7.4.1). */
export function unescapeRbsp(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(payload.length);
  let n = 0;
  let zeros = 0;
  for (const byte of payload) {
    if (zeros >= 2 && byte === 3) {
      zeros = 0;
      continue;
    }
    out[n] = byte;
    n += 1;
    zeros = byte === 0 ? zeros + 1 : 0;
  }
  return out.subarray(0, n);
}

/** Reads bits most significant first; a read past the end throws a RangeError. */
export class BitReader {
  private bit = 0;

  constructor(private readonly bytes: Uint8Array) {}

  /** One bit. */
  u1(): number {
    const byte = this.bytes[this.bit >> 3];
    if (byte === undefined) throw new RangeError(`the parameter set ends at bit ${this.bit}, inside a field`);
    const value = (byte >> (7 - (this.bit & 7))) & 1;
    this.bit += 1;
    return value;
  }

  /** `count` bits (at most 32) as an unsigned number. */
  u(count: number): number {
    let value = 0;
    for (let i = 0; i < count; i += 1) value = value * 2 + this.u1();
    return value;
  }

  /** ue(v). */
  ue(): number {
    let zeros = 0;
    while (this.u1() === 0) {
      zeros += 1;
      if (zeros > 31) throw new RangeError('an exp-Golomb code longer than 32 bits');
    }
    return 2 ** zeros - 1 + this.u(zeros);
  }

  /** se(v). */
  se(): number {
    const k = this.ue();
    return k % 2 === 1 ? (k + 1) / 2 : -(k / 2);
  }
}
