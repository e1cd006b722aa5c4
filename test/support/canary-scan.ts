import fs from 'node:fs';
import path from 'node:path';

/** One way a canary could sit in stored bytes. */
export interface CanaryForm {
  label: string;
  bytes: Buffer;
}

/**
 * The forms a string may take in a file: UTF-8, UTF-16 (both byte
 * orders), and base64 of its UTF-8 bytes at each of the three alignments
 * a longer base64 text can put it at.
 */
export function canaryForms(canary: string): CanaryForm[] {
  const utf16be = Buffer.from(canary, 'utf16le').swap16();

  return [
    { label: 'utf-8', bytes: Buffer.from(canary) },
    { label: 'utf-16le', bytes: Buffer.from(canary, 'utf16le') },
    { label: 'utf-16be', bytes: utf16be },
    ...[0, 1, 2].map((shift) => ({
      label: `base64+${shift}`,
      bytes: Buffer.from(base64Core(Buffer.from(canary), shift)),
    })),
  ];
}

/**
 * The base64 characters that encode only the canary's own bytes when
 * `shift` other bytes come before it in the encoded text.
 */
function base64Core(bytes: Buffer, shift: number): string {
  const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString(
    'base64',
  );
  const first = Math.ceil((8 * shift) / 6);
  const last = Math.floor((8 * (shift + bytes.length)) / 6);

  return encoded.slice(first, last);
}

export interface CanaryHit {
  where: string;
  canary: string;
  form: string;
}

/** Every form of every canary found in the buffer, case-sensitively. */
export function canaryHits(
  where: string,
  content: Buffer,
  canaries: readonly string[],
): CanaryHit[] {
  return canaries.flatMap((canary) =>
    canaryForms(canary)
      .filter((form) => content.includes(form.bytes))
      .map((form) => ({ where, canary, form: form.label })),
  );
}

/** Every file under the folder, journals and logs of SQLite included. */
export function scanFolder(
  folder: string,
  canaries: readonly string[],
): { files: string[]; hits: CanaryHit[] } {
  const files = fs
    .readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));

  const hits = files.flatMap((file) =>
    canaryHits(file, fs.readFileSync(file), canaries),
  );

  return { files, hits };
}
