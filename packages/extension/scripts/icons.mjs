import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

/** The sizes Chrome asks for: toolbar (16, 32), extensions page (48), install dialog and store (128). */
export const ICON_SIZES = [16, 32, 48, 128];

const TEAL = [15, 118, 110, 255];
const WHITE = [255, 255, 255, 255];
const CLEAR = [0, 0, 0, 0];

/**
 * The icon as RGBA rows: a rounded teal square with a white medical cross, drawn in code so the
 * repository holds no binary files and every size is crisp.
 * @param {number} size
 * @param {number} x
 * @param {number} y
 * @returns {number[]}
 */
function pixel(size, x, y) {
  const radius = size * 0.22;
  const cx = Math.min(Math.max(x + 0.5, radius), size - radius);
  const cy = Math.min(Math.max(y + 0.5, radius), size - radius);
  if ((x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 > radius ** 2) return CLEAR;
  const arm = size * 0.14;
  const reach = size * 0.32;
  const dx = Math.abs(x + 0.5 - size / 2);
  const dy = Math.abs(y + 0.5 - size / 2);
  const inCross = (dx <= arm && dy <= reach) || (dy <= arm && dx <= reach);
  return inCross ? WHITE : TEAL;
}

/**
 * @param {string} type
 * @param {Buffer} data
 */
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * Encodes one square icon as a PNG (8-bit RGBA, no filtering).
 * @see https://www.w3.org/TR/png-3/
 * @param {number} size
 * @returns {Buffer}
 */
export function iconPng(size) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  /** @type {number[]} */
  const rows = [];
  for (let y = 0; y < size; y++) {
    rows.push(0);
    for (let x = 0; x < size; x++) rows.push(...pixel(size, x, y));
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * Writes `icons/icon-<size>.png` for every size into `dir`.
 * @param {string} dir
 */
export async function writeIcons(dir) {
  await mkdir(join(dir, 'icons'), { recursive: true });
  for (const size of ICON_SIZES) {
    await writeFile(join(dir, 'icons', `icon-${size}.png`), iconPng(size));
  }
}
