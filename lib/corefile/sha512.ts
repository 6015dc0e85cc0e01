/**
 * SHA-512 (FIPS 180-4) in pure, synchronous TypeScript, so the reload hash can be computed in the browser, on the
 * server and in a CLI alike (Web Crypto is async-only and node:crypto is server-only). 64-bit words are kept as pairs
 * of 32-bit halves, which is several times faster than BigInt.
 */

// Round constants: first 64 bits of the fractional parts of the cube roots of the first 80 primes, as hi/lo pairs.
const K = new Int32Array([
  0x428a2f98, 0xd728ae22, 0x71374491, 0x23ef65cd, 0xb5c0fbcf, 0xec4d3b2f, 0xe9b5dba5, 0x8189dbbc, 0x3956c25b,
  0xf348b538, 0x59f111f1, 0xb605d019, 0x923f82a4, 0xaf194f9b, 0xab1c5ed5, 0xda6d8118, 0xd807aa98, 0xa3030242,
  0x12835b01, 0x45706fbe, 0x243185be, 0x4ee4b28c, 0x550c7dc3, 0xd5ffb4e2, 0x72be5d74, 0xf27b896f, 0x80deb1fe,
  0x3b1696b1, 0x9bdc06a7, 0x25c71235, 0xc19bf174, 0xcf692694, 0xe49b69c1, 0x9ef14ad2, 0xefbe4786, 0x384f25e3,
  0x0fc19dc6, 0x8b8cd5b5, 0x240ca1cc, 0x77ac9c65, 0x2de92c6f, 0x592b0275, 0x4a7484aa, 0x6ea6e483, 0x5cb0a9dc,
  0xbd41fbd4, 0x76f988da, 0x831153b5, 0x983e5152, 0xee66dfab, 0xa831c66d, 0x2db43210, 0xb00327c8, 0x98fb213f,
  0xbf597fc7, 0xbeef0ee4, 0xc6e00bf3, 0x3da88fc2, 0xd5a79147, 0x930aa725, 0x06ca6351, 0xe003826f, 0x14292967,
  0x0a0e6e70, 0x27b70a85, 0x46d22ffc, 0x2e1b2138, 0x5c26c926, 0x4d2c6dfc, 0x5ac42aed, 0x53380d13, 0x9d95b3df,
  0x650a7354, 0x8baf63de, 0x766a0abb, 0x3c77b2a8, 0x81c2c92e, 0x47edaee6, 0x92722c85, 0x1482353b, 0xa2bfe8a1,
  0x4cf10364, 0xa81a664b, 0xbc423001, 0xc24b8b70, 0xd0f89791, 0xc76c51a3, 0x0654be30, 0xd192e819, 0xd6ef5218,
  0xd6990624, 0x5565a910, 0xf40e3585, 0x5771202a, 0x106aa070, 0x32bbd1b8, 0x19a4c116, 0xb8d2d0c8, 0x1e376c08,
  0x5141ab53, 0x2748774c, 0xdf8eeb99, 0x34b0bcb5, 0xe19b48a8, 0x391c0cb3, 0xc5c95a63, 0x4ed8aa4a, 0xe3418acb,
  0x5b9cca4f, 0x7763e373, 0x682e6ff3, 0xd6b2b8a3, 0x748f82ee, 0x5defb2fc, 0x78a5636f, 0x43172f60, 0x84c87814,
  0xa1f0ab72, 0x8cc70208, 0x1a6439ec, 0x90befffa, 0x23631e28, 0xa4506ceb, 0xde82bde9, 0xbef9a3f7, 0xb2c67915,
  0xc67178f2, 0xe372532b, 0xca273ece, 0xea26619c, 0xd186b8c7, 0x21c0c207, 0xeada7dd6, 0xcde0eb1e, 0xf57d4f7f,
  0xee6ed178, 0x06f067aa, 0x72176fba, 0x0a637dc5, 0xa2c898a6, 0x113f9804, 0xbef90dae, 0x1b710b35, 0x131c471b,
  0x28db77f5, 0x23047d84, 0x32caab7b, 0x40c72493, 0x3c9ebe0a, 0x15c9bebc, 0x431d67c4, 0x9c100d4c, 0x4cc5d4be,
  0xcb3e42b6, 0x597f299c, 0xfc657e2a, 0x5fcb6fab, 0x3ad6faec, 0x6c44198c, 0x4a475817,
]);

// Initial hash value: first 64 bits of the fractional parts of the square roots of the first 8 primes.
const IV = [
  0x6a09e667, 0xf3bcc908, 0xbb67ae85, 0x84caa73b, 0x3c6ef372, 0xfe94f82b, 0xa54ff53a, 0x5f1d36f1, 0x510e527f,
  0xade682d1, 0x9b05688c, 0x2b3e6c1f, 0x1f83d9ab, 0xfb41bd6b, 0x5be0cd19, 0x137e2179,
];

/** The high and low halves of the round constants, in separate arrays (one index per round). */
const KH = new Int32Array(80);
const KL = new Int32Array(80);
for (let i = 0; i < 80; i++) {
  KH[i] = K[2 * i] as number;
  KL[i] = K[2 * i + 1] as number;
}

/**
 * The message schedule, high and low halves. Shared by every hash: a compression runs start to end without calling
 * out, so no two can interleave (and allocating them per hash would cost more than hashing a small Corefile).
 */
const WH = new Int32Array(80);
const WL = new Int32Array(80);

/** 2^-32: `(x * INV32) | 0` is the carry out of a sum `x` of uint32 values (exact: a power of two). */
const INV32 = 1 / 0x100000000;

/**
 * The SHA-512 state and the work areas of its compression function. Bytes are compressed straight out of any
 * Uint8Array in whole 128-byte blocks ({@link Sha512Core.compressBlocks}); {@link Sha512} and the reload hash's JSON
 * writer feed it.
 */
export class Sha512Core {
  /** The hash state as 8 pairs (high, low) of 32-bit halves. */
  readonly h = Int32Array.from(IV);
  /** Bytes compressed so far. */
  length = 0;

  /** Compresses the whole 128-byte blocks of `buf[from, to)` (`to - from` must be a multiple of 128). */
  compressBlocks(buf: Uint8Array, from: number, to: number): void {
    for (let off = from; off < to; off += 128) compress(this.h, WH, WL, buf, off);
    this.length += to - from;
  }

  /**
   * Pads and compresses the last `used` bytes held at the start of `tail` (a buffer of at least 256 bytes, `used` <
   * 128) and returns the 64-byte digest.
   */
  finish(tail: Uint8Array, used: number): Uint8Array {
    const total = this.length + used;
    tail[used] = 0x80;
    // Zeros up to byte 112 of the block (of the next block when the length no longer fits), then the 128-bit
    // big-endian length in bits.
    const end = used < 112 ? 128 : 256;
    tail.fill(0, used + 1, end);
    const view = new DataView(tail.buffer, tail.byteOffset, end);
    view.setUint32(end - 8, Math.floor(total / 0x20000000) >>> 0);
    view.setUint32(end - 4, (total * 8) >>> 0);
    for (let off = 0; off < end; off += 128) compress(this.h, WH, WL, tail, off);
    const out = new Uint8Array(64);
    const odv = new DataView(out.buffer);
    for (let i = 0; i < 16; i++) odv.setInt32(i * 4, this.h[i] as number);
    return out;
  }
}

/**
 * Incremental SHA-512: feed bytes or strings (UTF-8 encoded on the fly, so a large JSON document never has to exist
 * as one byte array), then read the digest once.
 */
export class Sha512 {
  private readonly core = new Sha512Core();
  /** Pending bytes (less than one block after each call), with room for the padding. */
  private readonly block = new Uint8Array(256);
  private used = 0;
  private pendingHigh = -1; // a high surrogate waiting for its low half across update() calls

  /** Hashes more bytes. */
  updateBytes(data: Uint8Array): this {
    let i = 0;
    const n = data.length;
    if (this.used > 0) {
      // Top up the pending block first.
      const take = Math.min(128 - this.used, n);
      this.block.set(data.subarray(0, take), this.used);
      this.used += take;
      i = take;
      if (this.used < 128) return this;
      this.core.compressBlocks(this.block, 0, 128);
      this.used = 0;
    }
    const whole = i + ((n - i) & ~127);
    this.core.compressBlocks(data, i, whole);
    this.block.set(data.subarray(whole), 0);
    this.used = n - whole;
    return this;
  }

  /** Hashes the UTF-8 encoding of `s` (unpaired surrogates as U+FFFD, like TextEncoder). */
  update(s: string): this {
    const block = this.block;
    let used = this.used;
    let pending = this.pendingHigh;
    for (let i = 0; i < s.length; i++) {
      let c = s.charCodeAt(i);
      if (pending >= 0) {
        const hi = pending;
        pending = -1;
        if (c >= 0xdc00 && c <= 0xdfff) {
          used = this.codePoint(used, 0x10000 + ((hi - 0xd800) << 10) + (c - 0xdc00));
          continue;
        }
        used = this.codePoint(used, 0xfffd);
      }
      if (c < 0x80) {
        // ASCII fast path: write straight into the block
        block[used++] = c;
        if (used === 128) {
          this.core.compressBlocks(block, 0, 128);
          used = 0;
        }
        continue;
      }
      if (c >= 0xd800 && c <= 0xdbff) {
        pending = c;
        continue;
      }
      if (c >= 0xdc00 && c <= 0xdfff) c = 0xfffd;
      used = this.codePoint(used, c);
    }
    this.used = used;
    this.pendingHigh = pending;
    return this;
  }

  /** Finishes and returns the 64-byte digest. */
  digest(): Uint8Array {
    if (this.pendingHigh >= 0) {
      this.pendingHigh = -1;
      this.used = this.codePoint(this.used, 0xfffd);
    }
    return this.core.finish(this.block, this.used);
  }

  /** Appends the UTF-8 bytes of a code point at `used`; returns the new fill level. */
  private codePoint(used: number, cp: number): number {
    if (cp < 0x80) return this.byte(used, cp);
    if (cp < 0x800) {
      used = this.byte(used, 0xc0 | (cp >> 6));
    } else {
      if (cp < 0x10000) {
        used = this.byte(used, 0xe0 | (cp >> 12));
      } else {
        used = this.byte(used, 0xf0 | (cp >> 18));
        used = this.byte(used, 0x80 | ((cp >> 12) & 0x3f));
      }
      used = this.byte(used, 0x80 | ((cp >> 6) & 0x3f));
    }
    return this.byte(used, 0x80 | (cp & 0x3f));
  }

  private byte(used: number, b: number): number {
    this.block[used++] = b;
    if (used === 128) {
      this.core.compressBlocks(this.block, 0, 128);
      used = 0;
    }
    return used;
  }
}

/**
 * The SHA-512 compression function over the 128-byte block at `buf[off]`. The 80 rounds are unrolled by 8 so the
 * eight working variables never have to be shifted from one to the next; carries between the 32-bit halves come from
 * summing the low halves as (exact) doubles.
 */
function compress(h: Int32Array, WH: Int32Array, WL: Int32Array, buf: Uint8Array, off: number): void {
  for (let i = 0; i < 16; i++) {
    const o = off + i * 8;
    WH[i] = ((buf[o] as number) << 24) | ((buf[o + 1] as number) << 16) | ((buf[o + 2] as number) << 8) | (buf[o + 3] as number);
    WL[i] = ((buf[o + 4] as number) << 24) | ((buf[o + 5] as number) << 16) | ((buf[o + 6] as number) << 8) | (buf[o + 7] as number);
  }
  for (let i = 16; i < 80; i++) {
    // σ0(w[i-15]) = rotr1 ^ rotr8 ^ shr7
    const xh = WH[i - 15] as number;
    const xl = WL[i - 15] as number;
    const s0h = ((xh >>> 1) | (xl << 31)) ^ ((xh >>> 8) | (xl << 24)) ^ (xh >>> 7);
    const s0l = ((xl >>> 1) | (xh << 31)) ^ ((xl >>> 8) | (xh << 24)) ^ ((xl >>> 7) | (xh << 25));
    // σ1(w[i-2]) = rotr19 ^ rotr61 ^ shr6
    const yh = WH[i - 2] as number;
    const yl = WL[i - 2] as number;
    const s1h = ((yh >>> 19) | (yl << 13)) ^ ((yl >>> 29) | (yh << 3)) ^ (yh >>> 6);
    const s1l = ((yl >>> 19) | (yh << 13)) ^ ((yh >>> 29) | (yl << 3)) ^ ((yl >>> 6) | (yh << 26));
    // w[i] = σ1 + w[i-7] + σ0 + w[i-16]
    const lo = (s1l >>> 0) + (s0l >>> 0) + ((WL[i - 7] as number) >>> 0) + ((WL[i - 16] as number) >>> 0);
    WH[i] = (s1h + s0h + (WH[i - 7] as number) + (WH[i - 16] as number) + ((lo * INV32) | 0)) | 0;
    WL[i] = lo | 0;
  }

  let ah = h[0] as number, al = h[1] as number, bh = h[2] as number, bl = h[3] as number;
  let ch = h[4] as number, cl = h[5] as number, dh = h[6] as number, dl = h[7] as number;
  let eh = h[8] as number, el = h[9] as number, fh = h[10] as number, fl = h[11] as number;
  let gh = h[12] as number, gl = h[13] as number, hh = h[14] as number, hl = h[15] as number;
  let S1h: number, S1l: number, S0h: number, S0l: number, t1: number, t1h: number, t2: number, t2h: number, x: number;

  // Each round: T1 = h + Σ1(e) + Ch(e, f, g) + K[i] + W[i]; T2 = Σ0(a) + Maj(a, b, c); d += T1; h = T1 + T2; then
  // the roles of the variables rotate by one (a <- h, b <- a, ..., e <- d, ...).
  // Σ1(e) = rotr14 ^ rotr18 ^ rotr41; Σ0(a) = rotr28 ^ rotr34 ^ rotr39.
  for (let i = 0; i < 80; i += 8) {
    // round i + 0
    S1h = ((eh >>> 14) | (el << 18)) ^ ((eh >>> 18) | (el << 14)) ^ ((el >>> 9) | (eh << 23));
    S1l = ((el >>> 14) | (eh << 18)) ^ ((el >>> 18) | (eh << 14)) ^ ((eh >>> 9) | (el << 23));
    t1 = (hl >>> 0) + (S1l >>> 0) + (((el & fl) ^ (~el & gl)) >>> 0) + ((KL[i] as number) >>> 0) + ((WL[i] as number) >>> 0);
    t1h = (hh + S1h + ((eh & fh) ^ (~eh & gh)) + (KH[i] as number) + (WH[i] as number) + ((t1 * INV32) | 0)) | 0;
    S0h = ((ah >>> 28) | (al << 4)) ^ ((al >>> 2) | (ah << 30)) ^ ((al >>> 7) | (ah << 25));
    S0l = ((al >>> 28) | (ah << 4)) ^ ((ah >>> 2) | (al << 30)) ^ ((ah >>> 7) | (al << 25));
    t2 = (S0l >>> 0) + (((al & bl) ^ (al & cl) ^ (bl & cl)) >>> 0);
    t2h = (S0h + ((ah & bh) ^ (ah & ch) ^ (bh & ch)) + ((t2 * INV32) | 0)) | 0;
    x = (dl >>> 0) + (t1 >>> 0);
    dh = (dh + t1h + ((x * INV32) | 0)) | 0;
    dl = x | 0;
    x = (t1 >>> 0) + (t2 >>> 0);
    hh = (t1h + t2h + ((x * INV32) | 0)) | 0;
    hl = x | 0;
    // round i + 1
    S1h = ((dh >>> 14) | (dl << 18)) ^ ((dh >>> 18) | (dl << 14)) ^ ((dl >>> 9) | (dh << 23));
    S1l = ((dl >>> 14) | (dh << 18)) ^ ((dl >>> 18) | (dh << 14)) ^ ((dh >>> 9) | (dl << 23));
    t1 = (gl >>> 0) + (S1l >>> 0) + (((dl & el) ^ (~dl & fl)) >>> 0) + ((KL[i + 1] as number) >>> 0) + ((WL[i + 1] as number) >>> 0);
    t1h = (gh + S1h + ((dh & eh) ^ (~dh & fh)) + (KH[i + 1] as number) + (WH[i + 1] as number) + ((t1 * INV32) | 0)) | 0;
    S0h = ((hh >>> 28) | (hl << 4)) ^ ((hl >>> 2) | (hh << 30)) ^ ((hl >>> 7) | (hh << 25));
    S0l = ((hl >>> 28) | (hh << 4)) ^ ((hh >>> 2) | (hl << 30)) ^ ((hh >>> 7) | (hl << 25));
    t2 = (S0l >>> 0) + (((hl & al) ^ (hl & bl) ^ (al & bl)) >>> 0);
    t2h = (S0h + ((hh & ah) ^ (hh & bh) ^ (ah & bh)) + ((t2 * INV32) | 0)) | 0;
    x = (cl >>> 0) + (t1 >>> 0);
    ch = (ch + t1h + ((x * INV32) | 0)) | 0;
    cl = x | 0;
    x = (t1 >>> 0) + (t2 >>> 0);
    gh = (t1h + t2h + ((x * INV32) | 0)) | 0;
    gl = x | 0;
    // round i + 2
    S1h = ((ch >>> 14) | (cl << 18)) ^ ((ch >>> 18) | (cl << 14)) ^ ((cl >>> 9) | (ch << 23));
    S1l = ((cl >>> 14) | (ch << 18)) ^ ((cl >>> 18) | (ch << 14)) ^ ((ch >>> 9) | (cl << 23));
    t1 = (fl >>> 0) + (S1l >>> 0) + (((cl & dl) ^ (~cl & el)) >>> 0) + ((KL[i + 2] as number) >>> 0) + ((WL[i + 2] as number) >>> 0);
    t1h = (fh + S1h + ((ch & dh) ^ (~ch & eh)) + (KH[i + 2] as number) + (WH[i + 2] as number) + ((t1 * INV32) | 0)) | 0;
    S0h = ((gh >>> 28) | (gl << 4)) ^ ((gl >>> 2) | (gh << 30)) ^ ((gl >>> 7) | (gh << 25));
    S0l = ((gl >>> 28) | (gh << 4)) ^ ((gh >>> 2) | (gl << 30)) ^ ((gh >>> 7) | (gl << 25));
    t2 = (S0l >>> 0) + (((gl & hl) ^ (gl & al) ^ (hl & al)) >>> 0);
    t2h = (S0h + ((gh & hh) ^ (gh & ah) ^ (hh & ah)) + ((t2 * INV32) | 0)) | 0;
    x = (bl >>> 0) + (t1 >>> 0);
    bh = (bh + t1h + ((x * INV32) | 0)) | 0;
    bl = x | 0;
    x = (t1 >>> 0) + (t2 >>> 0);
    fh = (t1h + t2h + ((x * INV32) | 0)) | 0;
    fl = x | 0;
    // round i + 3
    S1h = ((bh >>> 14) | (bl << 18)) ^ ((bh >>> 18) | (bl << 14)) ^ ((bl >>> 9) | (bh << 23));
    S1l = ((bl >>> 14) | (bh << 18)) ^ ((bl >>> 18) | (bh << 14)) ^ ((bh >>> 9) | (bl << 23));
    t1 = (el >>> 0) + (S1l >>> 0) + (((bl & cl) ^ (~bl & dl)) >>> 0) + ((KL[i + 3] as number) >>> 0) + ((WL[i + 3] as number) >>> 0);
    t1h = (eh + S1h + ((bh & ch) ^ (~bh & dh)) + (KH[i + 3] as number) + (WH[i + 3] as number) + ((t1 * INV32) | 0)) | 0;
    S0h = ((fh >>> 28) | (fl << 4)) ^ ((fl >>> 2) | (fh << 30)) ^ ((fl >>> 7) | (fh << 25));
    S0l = ((fl >>> 28) | (fh << 4)) ^ ((fh >>> 2) | (fl << 30)) ^ ((fh >>> 7) | (fl << 25));
    t2 = (S0l >>> 0) + (((fl & gl) ^ (fl & hl) ^ (gl & hl)) >>> 0);
    t2h = (S0h + ((fh & gh) ^ (fh & hh) ^ (gh & hh)) + ((t2 * INV32) | 0)) | 0;
    x = (al >>> 0) + (t1 >>> 0);
    ah = (ah + t1h + ((x * INV32) | 0)) | 0;
    al = x | 0;
    x = (t1 >>> 0) + (t2 >>> 0);
    eh = (t1h + t2h + ((x * INV32) | 0)) | 0;
    el = x | 0;
    // round i + 4
    S1h = ((ah >>> 14) | (al << 18)) ^ ((ah >>> 18) | (al << 14)) ^ ((al >>> 9) | (ah << 23));
    S1l = ((al >>> 14) | (ah << 18)) ^ ((al >>> 18) | (ah << 14)) ^ ((ah >>> 9) | (al << 23));
    t1 = (dl >>> 0) + (S1l >>> 0) + (((al & bl) ^ (~al & cl)) >>> 0) + ((KL[i + 4] as number) >>> 0) + ((WL[i + 4] as number) >>> 0);
    t1h = (dh + S1h + ((ah & bh) ^ (~ah & ch)) + (KH[i + 4] as number) + (WH[i + 4] as number) + ((t1 * INV32) | 0)) | 0;
    S0h = ((eh >>> 28) | (el << 4)) ^ ((el >>> 2) | (eh << 30)) ^ ((el >>> 7) | (eh << 25));
    S0l = ((el >>> 28) | (eh << 4)) ^ ((eh >>> 2) | (el << 30)) ^ ((eh >>> 7) | (el << 25));
    t2 = (S0l >>> 0) + (((el & fl) ^ (el & gl) ^ (fl & gl)) >>> 0);
    t2h = (S0h + ((eh & fh) ^ (eh & gh) ^ (fh & gh)) + ((t2 * INV32) | 0)) | 0;
    x = (hl >>> 0) + (t1 >>> 0);
    hh = (hh + t1h + ((x * INV32) | 0)) | 0;
    hl = x | 0;
    x = (t1 >>> 0) + (t2 >>> 0);
    dh = (t1h + t2h + ((x * INV32) | 0)) | 0;
    dl = x | 0;
    // round i + 5
    S1h = ((hh >>> 14) | (hl << 18)) ^ ((hh >>> 18) | (hl << 14)) ^ ((hl >>> 9) | (hh << 23));
    S1l = ((hl >>> 14) | (hh << 18)) ^ ((hl >>> 18) | (hh << 14)) ^ ((hh >>> 9) | (hl << 23));
    t1 = (cl >>> 0) + (S1l >>> 0) + (((hl & al) ^ (~hl & bl)) >>> 0) + ((KL[i + 5] as number) >>> 0) + ((WL[i + 5] as number) >>> 0);
    t1h = (ch + S1h + ((hh & ah) ^ (~hh & bh)) + (KH[i + 5] as number) + (WH[i + 5] as number) + ((t1 * INV32) | 0)) | 0;
    S0h = ((dh >>> 28) | (dl << 4)) ^ ((dl >>> 2) | (dh << 30)) ^ ((dl >>> 7) | (dh << 25));
    S0l = ((dl >>> 28) | (dh << 4)) ^ ((dh >>> 2) | (dl << 30)) ^ ((dh >>> 7) | (dl << 25));
    t2 = (S0l >>> 0) + (((dl & el) ^ (dl & fl) ^ (el & fl)) >>> 0);
    t2h = (S0h + ((dh & eh) ^ (dh & fh) ^ (eh & fh)) + ((t2 * INV32) | 0)) | 0;
    x = (gl >>> 0) + (t1 >>> 0);
    gh = (gh + t1h + ((x * INV32) | 0)) | 0;
    gl = x | 0;
    x = (t1 >>> 0) + (t2 >>> 0);
    ch = (t1h + t2h + ((x * INV32) | 0)) | 0;
    cl = x | 0;
    // round i + 6
    S1h = ((gh >>> 14) | (gl << 18)) ^ ((gh >>> 18) | (gl << 14)) ^ ((gl >>> 9) | (gh << 23));
    S1l = ((gl >>> 14) | (gh << 18)) ^ ((gl >>> 18) | (gh << 14)) ^ ((gh >>> 9) | (gl << 23));
    t1 = (bl >>> 0) + (S1l >>> 0) + (((gl & hl) ^ (~gl & al)) >>> 0) + ((KL[i + 6] as number) >>> 0) + ((WL[i + 6] as number) >>> 0);
    t1h = (bh + S1h + ((gh & hh) ^ (~gh & ah)) + (KH[i + 6] as number) + (WH[i + 6] as number) + ((t1 * INV32) | 0)) | 0;
    S0h = ((ch >>> 28) | (cl << 4)) ^ ((cl >>> 2) | (ch << 30)) ^ ((cl >>> 7) | (ch << 25));
    S0l = ((cl >>> 28) | (ch << 4)) ^ ((ch >>> 2) | (cl << 30)) ^ ((ch >>> 7) | (cl << 25));
    t2 = (S0l >>> 0) + (((cl & dl) ^ (cl & el) ^ (dl & el)) >>> 0);
    t2h = (S0h + ((ch & dh) ^ (ch & eh) ^ (dh & eh)) + ((t2 * INV32) | 0)) | 0;
    x = (fl >>> 0) + (t1 >>> 0);
    fh = (fh + t1h + ((x * INV32) | 0)) | 0;
    fl = x | 0;
    x = (t1 >>> 0) + (t2 >>> 0);
    bh = (t1h + t2h + ((x * INV32) | 0)) | 0;
    bl = x | 0;
    // round i + 7
    S1h = ((fh >>> 14) | (fl << 18)) ^ ((fh >>> 18) | (fl << 14)) ^ ((fl >>> 9) | (fh << 23));
    S1l = ((fl >>> 14) | (fh << 18)) ^ ((fl >>> 18) | (fh << 14)) ^ ((fh >>> 9) | (fl << 23));
    t1 = (al >>> 0) + (S1l >>> 0) + (((fl & gl) ^ (~fl & hl)) >>> 0) + ((KL[i + 7] as number) >>> 0) + ((WL[i + 7] as number) >>> 0);
    t1h = (ah + S1h + ((fh & gh) ^ (~fh & hh)) + (KH[i + 7] as number) + (WH[i + 7] as number) + ((t1 * INV32) | 0)) | 0;
    S0h = ((bh >>> 28) | (bl << 4)) ^ ((bl >>> 2) | (bh << 30)) ^ ((bl >>> 7) | (bh << 25));
    S0l = ((bl >>> 28) | (bh << 4)) ^ ((bh >>> 2) | (bl << 30)) ^ ((bh >>> 7) | (bl << 25));
    t2 = (S0l >>> 0) + (((bl & cl) ^ (bl & dl) ^ (cl & dl)) >>> 0);
    t2h = (S0h + ((bh & ch) ^ (bh & dh) ^ (ch & dh)) + ((t2 * INV32) | 0)) | 0;
    x = (el >>> 0) + (t1 >>> 0);
    eh = (eh + t1h + ((x * INV32) | 0)) | 0;
    el = x | 0;
    x = (t1 >>> 0) + (t2 >>> 0);
    ah = (t1h + t2h + ((x * INV32) | 0)) | 0;
    al = x | 0;
  }

  x = ((h[1] as number) >>> 0) + (al >>> 0);
  h[0] = ((h[0] as number) + ah + ((x * INV32) | 0)) | 0;
  h[1] = x | 0;
  x = ((h[3] as number) >>> 0) + (bl >>> 0);
  h[2] = ((h[2] as number) + bh + ((x * INV32) | 0)) | 0;
  h[3] = x | 0;
  x = ((h[5] as number) >>> 0) + (cl >>> 0);
  h[4] = ((h[4] as number) + ch + ((x * INV32) | 0)) | 0;
  h[5] = x | 0;
  x = ((h[7] as number) >>> 0) + (dl >>> 0);
  h[6] = ((h[6] as number) + dh + ((x * INV32) | 0)) | 0;
  h[7] = x | 0;
  x = ((h[9] as number) >>> 0) + (el >>> 0);
  h[8] = ((h[8] as number) + eh + ((x * INV32) | 0)) | 0;
  h[9] = x | 0;
  x = ((h[11] as number) >>> 0) + (fl >>> 0);
  h[10] = ((h[10] as number) + fh + ((x * INV32) | 0)) | 0;
  h[11] = x | 0;
  x = ((h[13] as number) >>> 0) + (gl >>> 0);
  h[12] = ((h[12] as number) + gh + ((x * INV32) | 0)) | 0;
  h[13] = x | 0;
  x = ((h[15] as number) >>> 0) + (hl >>> 0);
  h[14] = ((h[14] as number) + hh + ((x * INV32) | 0)) | 0;
  h[15] = x | 0;
}

/** Computes the SHA-512 digest of `data` (64 bytes). */
export function sha512(data: Uint8Array): Uint8Array {
  return new Sha512().updateBytes(data).digest();
}

/** Lower-case hex of bytes (what Go's `%x` / `hex.EncodeToString` print). */
export function toHex(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += ((bytes[i] as number) + 0x100).toString(16).slice(1);
  return s;
}

/**
 * UTF-8 encoding of a JavaScript string. Unpaired surrogates become U+FFFD, like `TextEncoder` (and like Go, which
 * reads an invalid byte as U+FFFD).
 */
export function utf8Encode(s: string): Uint8Array {
  const out = new Uint8Array(s.length * 3);
  let p = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      out[p++] = c;
      continue;
    }
    if (c < 0x800) {
      out[p++] = 0xc0 | (c >> 6);
      out[p++] = 0x80 | (c & 0x3f);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = s.charCodeAt(i + 1);
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        out[p++] = 0xf0 | (cp >> 18);
        out[p++] = 0x80 | ((cp >> 12) & 0x3f);
        out[p++] = 0x80 | ((cp >> 6) & 0x3f);
        out[p++] = 0x80 | (cp & 0x3f);
        i++;
        continue;
      }
      c = 0xfffd;
    }
    out[p++] = 0xe0 | (c >> 12);
    out[p++] = 0x80 | ((c >> 6) & 0x3f);
    out[p++] = 0x80 | (c & 0x3f);
  }
  return out.subarray(0, p);
}

/** SHA-512 hex digest of the UTF-8 encoding of `s`. */
export function sha512Hex(s: string): string {
  return toHex(new Sha512().update(s).digest());
}
