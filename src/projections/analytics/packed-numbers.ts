/**
 * Lists of numbers kept as base64 of 64-bit floats: a read model holds
 * thousands of durations per document, and base64 decodes far faster
 * than a JSON array of numbers parses. Every integer up to 2^53, such as
 * a duration in milliseconds, survives exactly.
 */
export function packNumbers(values: ArrayLike<number>): string {
  const array = Float64Array.from(values as ArrayLike<number>);

  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString(
    'base64',
  );
}

export function unpackNumbers(packed: string | undefined): Float64Array {
  if (!packed) return new Float64Array(0);

  const bytes = Buffer.from(packed, 'base64');
  // A fresh copy: the buffer may sit at an offset that is not 8-aligned.
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);

  return new Float64Array(copy.buffer);
}
