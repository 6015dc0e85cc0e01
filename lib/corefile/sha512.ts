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

/**
 * Incremental SHA-512: feed bytes or strings (UTF-8 encoded on the fly, so a large JSON document never has to exist
 * as one byte array), then read the digest once.
 */
export class Sha512 {
  private readonly h = Int32Array.from(IV);
  private readonly w = new Int32Array(160);
  private readonly block = new Uint8Array(128);
  private readonly view = new DataView(this.block.buffer);
  private used = 0;
  private length = 0; // total bytes hashed so far
  private pendingHigh = -1; // a high surrogate waiting for its low half across update() calls

  /** Hashes more bytes. */
  updateBytes(data: Uint8Array): this {
    for (let i = 0; i < data.length; i++) this.byte(data[i] as number);
    return this;
  }

  /** Hashes the UTF-8 encoding of `s` (unpaired surrogates as U+FFFD, like TextEncoder). */
  update(s: string): this {
    const block = this.block;
    for (let i = 0; i < s.length; i++) {
      let c = s.charCodeAt(i);
      if (this.pendingHigh >= 0) {
        const hi = this.pendingHigh;
        this.pendingHigh = -1;
        if (c >= 0xdc00 && c <= 0xdfff) {
          this.codePoint(0x10000 + ((hi - 0xd800) << 10) + (c - 0xdc00));
          continue;
        }
        this.codePoint(0xfffd);
      }
      if (c < 0x80) {
        // ASCII fast path: write straight into the block
        block[this.used++] = c;
        if (this.used === 128) this.flush();
        continue;
      }
      if (c >= 0xd800 && c <= 0xdbff) {
        this.pendingHigh = c;
        continue;
      }
      if (c >= 0xdc00 && c <= 0xdfff) c = 0xfffd;
      this.codePoint(c);
    }
    return this;
  }

  /** Finishes and returns the 64-byte digest. */
  digest(): Uint8Array {
    if (this.pendingHigh >= 0) {
      this.pendingHigh = -1;
      this.codePoint(0xfffd);
    }
    // Padding: 0x80, zeros up to byte 112 of a block, then the 128-bit big-endian length in bits.
    const total = this.length + this.used;
    this.byte(0x80);
    while (this.used !== 112) this.byte(0);
    this.view.setUint32(112, 0);
    this.view.setUint32(116, 0);
    this.view.setUint32(120, Math.floor(total / 0x20000000) >>> 0);
    this.view.setUint32(124, (total * 8) >>> 0);
    this.used = 128;
    this.flush();
    const out = new Uint8Array(64);
    const odv = new DataView(out.buffer);
    for (let i = 0; i < 16; i++) odv.setInt32(i * 4, this.h[i] as number);
    return out;
  }

  private codePoint(cp: number): void {
    if (cp < 0x800) {
      this.byte(0xc0 | (cp >> 6));
      this.byte(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      this.byte(0xe0 | (cp >> 12));
      this.byte(0x80 | ((cp >> 6) & 0x3f));
      this.byte(0x80 | (cp & 0x3f));
    } else {
      this.byte(0xf0 | (cp >> 18));
      this.byte(0x80 | ((cp >> 12) & 0x3f));
      this.byte(0x80 | ((cp >> 6) & 0x3f));
      this.byte(0x80 | (cp & 0x3f));
    }
  }

  private byte(b: number): void {
    this.block[this.used++] = b;
    if (this.used === 128) this.flush();
  }

  /** Compresses the full block into the state. */
  private flush(): void {
    this.length += this.used;
    this.used = 0;
    compress(this.h, this.w, this.view);
  }
}

/** The SHA-512 compression function over one 128-byte block. */
function compress(h: Int32Array, w: Int32Array, dv: DataView): void {
  for (let i = 0; i < 32; i++) w[i] = dv.getInt32(i * 4);
  for (let i = 16; i < 80; i++) {
    // σ0(w[i-15]) = rotr1 ^ rotr8 ^ shr7
    const xh = w[(i - 15) * 2] as number;
    const xl = w[(i - 15) * 2 + 1] as number;
    const s0h = ((xh >>> 1) | (xl << 31)) ^ ((xh >>> 8) | (xl << 24)) ^ (xh >>> 7);
    const s0l = ((xl >>> 1) | (xh << 31)) ^ ((xl >>> 8) | (xh << 24)) ^ ((xl >>> 7) | (xh << 25));
    // σ1(w[i-2]) = rotr19 ^ rotr61 ^ shr6
    const yh = w[(i - 2) * 2] as number;
    const yl = w[(i - 2) * 2 + 1] as number;
    const s1h = ((yh >>> 19) | (yl << 13)) ^ ((yl >>> 29) | (yh << 3)) ^ (yh >>> 6);
    const s1l = ((yl >>> 19) | (yh << 13)) ^ ((yh >>> 29) | (yl << 3)) ^ ((yl >>> 6) | (yh << 26));
    // w[i] = σ1 + w[i-7] + σ0 + w[i-16]
    let lo = (s1l >>> 0) + ((w[(i - 7) * 2 + 1] as number) >>> 0) + (s0l >>> 0) + ((w[(i - 16) * 2 + 1] as number) >>> 0);
    const hi = s1h + (w[(i - 7) * 2] as number) + s0h + (w[(i - 16) * 2] as number) + ((lo / 0x100000000) | 0);
    lo = lo >>> 0;
    w[i * 2] = hi | 0;
    w[i * 2 + 1] = lo | 0;
  }

  let ah = h[0] as number, al = h[1] as number, bh = h[2] as number, bl = h[3] as number;
  let ch = h[4] as number, cl = h[5] as number, dh = h[6] as number, dl = h[7] as number;
  let eh = h[8] as number, el = h[9] as number, fh = h[10] as number, fl = h[11] as number;
  let gh = h[12] as number, gl = h[13] as number, hh = h[14] as number, hl = h[15] as number;

  for (let i = 0; i < 80; i++) {
    // Σ1(e) = rotr14 ^ rotr18 ^ rotr41
    const S1h = ((eh >>> 14) | (el << 18)) ^ ((eh >>> 18) | (el << 14)) ^ ((el >>> 9) | (eh << 23));
    const S1l = ((el >>> 14) | (eh << 18)) ^ ((el >>> 18) | (eh << 14)) ^ ((eh >>> 9) | (el << 23));
    // Ch(e, f, g)
    const chh = (eh & fh) ^ (~eh & gh);
    const chl = (el & fl) ^ (~el & gl);
    // T1 = h + Σ1 + Ch + K[i] + w[i]
    let t1l = (hl >>> 0) + (S1l >>> 0) + (chl >>> 0) + ((K[i * 2 + 1] as number) >>> 0) + ((w[i * 2 + 1] as number) >>> 0);
    let t1h = hh + S1h + chh + (K[i * 2] as number) + (w[i * 2] as number) + ((t1l / 0x100000000) | 0);
    t1l = t1l >>> 0;
    t1h = t1h | 0;
    // Σ0(a) = rotr28 ^ rotr34 ^ rotr39
    const S0h = ((ah >>> 28) | (al << 4)) ^ ((al >>> 2) | (ah << 30)) ^ ((al >>> 7) | (ah << 25));
    const S0l = ((al >>> 28) | (ah << 4)) ^ ((ah >>> 2) | (al << 30)) ^ ((ah >>> 7) | (al << 25));
    // Maj(a, b, c)
    const majh = (ah & bh) ^ (ah & ch) ^ (bh & ch);
    const majl = (al & bl) ^ (al & cl) ^ (bl & cl);
    // T2 = Σ0 + Maj
    let t2l = (S0l >>> 0) + (majl >>> 0);
    const t2h = (S0h + majh + ((t2l / 0x100000000) | 0)) | 0;
    t2l = t2l >>> 0;

    hh = gh; hl = gl;
    gh = fh; gl = fl;
    fh = eh; fl = el;
    // e = d + T1
    let x = (dl >>> 0) + t1l;
    eh = (dh + t1h + ((x / 0x100000000) | 0)) | 0;
    el = x | 0;
    dh = ch; dl = cl;
    ch = bh; cl = bl;
    bh = ah; bl = al;
    // a = T1 + T2
    x = t1l + t2l;
    ah = (t1h + t2h + ((x / 0x100000000) | 0)) | 0;
    al = x | 0;
  }

  const add = (j: number, xh: number, xl: number): void => {
    const lo = ((h[j + 1] as number) >>> 0) + (xl >>> 0);
    h[j] = ((h[j] as number) + xh + ((lo / 0x100000000) | 0)) | 0;
    h[j + 1] = lo | 0;
  };
  add(0, ah, al);
  add(2, bh, bl);
  add(4, ch, cl);
  add(6, dh, dl);
  add(8, eh, el);
  add(10, fh, fl);
  add(12, gh, gl);
  add(14, hh, hl);
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
