import { createHash, randomFillSync } from "node:crypto";
import sharp from "sharp";

export interface Photo {
  bytes: Buffer;
  sha256: string;
  width: number;
  height: number;
}

export interface PhotoShape {
  width: number;
  height: number;
  /** Grain of the fake paper; tuned so a photo is about 300 KB as JPEG at quality 85. */
  grain: number;
}

// A phone photo of a stamped page after the browser's downscale (JPEG, quality 0.85).
export const defaultShape: PhotoShape = { width: 1600, height: 1200, grain: 20 };

const BASES = 8;
const BIT = 24;

/** Paper-like raw RGB: a shaded page with fine grain, which keeps JPEG from shrinking it to nothing. */
function basePage(shape: PhotoShape): Buffer {
  const { width, height, grain } = shape;
  const noise = randomFillSync(Buffer.alloc(width * height));
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const i = y * width + x;
      const shade = 200 - (Math.floor((x + y) / 40) % 60);
      const v = shade + (noise[i]! % grain) - grain / 2;
      raw[i * 3] = v;
      raw[i * 3 + 1] = v - 5;
      raw[i * 3 + 2] = v - 15;
    }
  }
  return raw;
}

/**
 * Writes `index` as 32 black or white squares: every photo has different pixels, so the server's
 * re-encoded copy differs too and no upload is deduplicated by content.
 */
function stamp(raw: Buffer, shape: PhotoShape, index: number): void {
  for (let bit = 0; bit < 32; bit += 1) {
    const value = (index >>> bit) & 1 ? 20 : 245;
    const left = 16 + bit * BIT;
    for (let y = 16; y < 16 + BIT; y += 1) {
      raw.fill(value, (y * shape.width + left) * 3, (y * shape.width + left + BIT) * 3);
    }
  }
}

/** `count` distinct JPEG photos, made `parallel` at a time (sharp encodes on libuv's threads). */
export async function generatePhotos(count: number, shape = defaultShape, parallel = 4): Promise<Photo[]> {
  const bases = Array.from({ length: BASES }, () => basePage(shape));
  const photos: Photo[] = new Array(count);
  let next = 0;
  async function worker() {
    while (next < count) {
      const index = next;
      next += 1;
      const raw = Buffer.from(bases[index % BASES]!);
      stamp(raw, shape, index);
      const bytes = await sharp(raw, { raw: { width: shape.width, height: shape.height, channels: 3 } })
        .jpeg({ quality: 85 })
        .toBuffer();
      photos[index] = {
        bytes,
        sha256: createHash("sha256").update(bytes).digest("hex"),
        width: shape.width,
        height: shape.height,
      };
    }
  }
  await Promise.all(Array.from({ length: parallel }, worker));
  return photos;
}

/**
 * CPU milliseconds per photo of the server's re-encoding, measured here on a quiet machine: the same
 * sharp steps as apps/web/app/uploads/inspect.server.ts (metadata, rotate, bound to 4000 px, flatten,
 * JPEG 85, then a 320 px thumbnail at 75). An estimate of the attach cost, not a replacement for it.
 */
export async function reencodeCpuMs(photos: readonly Photo[]): Promise<number> {
  const before = process.cpuUsage();
  for (const photo of photos) {
    const open = () => sharp(photo.bytes, { limitInputPixels: 40_000_000, failOn: "error", pages: 1 });
    await open().metadata();
    const main = await open()
      .rotate()
      .resize({ width: 4000, height: 4000, fit: "inside", withoutEnlargement: true })
      .flatten({ background: "#ffffff" })
      .jpeg({ quality: 85 })
      .toBuffer();
    await sharp(main).resize({ width: 320, withoutEnlargement: true }).jpeg({ quality: 75 }).toBuffer();
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / photos.length;
}
