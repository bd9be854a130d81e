import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { access, mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";

export interface StoredFile {
  sha256: string;
  size: number;
}

/**
 * Content-addressed storage: a file's name is the sha256 of its bytes, so the same bytes are
 * stored once and a stored file never changes. The local folder is the default; an S3-compatible
 * store implements the same interface.
 */
export interface FileStore {
  /** Copies the file in, hashing on the way; the source is left for its owner to delete. */
  putFile(sourcePath: string): Promise<StoredFile>;
  putBuffer(bytes: Uint8Array): Promise<StoredFile>;
  has(sha256: string): Promise<boolean>;
  createReadStream(sha256: string): Readable;
  /** Where a stored file is on this machine (local store only). */
  path(sha256: string): string;
}

const SHA256 = /^[0-9a-f]{64}$/;

export function isSha256(value: string): boolean {
  return SHA256.test(value);
}

/** `root/ab/cd/<sha256>`: two levels of fan-out keep folders small. */
export function createLocalFileStore(rootDir: string): FileStore {
  const tmpDir = join(rootDir, ".tmp");

  function pathOf(sha256: string): string {
    // The name is used as a path: anything else than a hash would be a traversal.
    if (!SHA256.test(sha256)) throw new Error(`not a sha256: ${sha256.slice(0, 80)}`);
    return join(rootDir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async function exists(path: string): Promise<boolean> {
    try {
      await access(path);
      return true;
    } catch {
      return false;
    }
  }

  /** Streams into a temporary file while hashing, then renames it into place (atomic on one disk). */
  async function store(open: () => Readable): Promise<StoredFile> {
    await mkdir(tmpDir, { recursive: true });
    const tmp = join(tmpDir, `${randomBytes(12).toString("hex")}.part`);
    const hash = createHash("sha256");
    let size = 0;
    const hasher = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline(open(), hasher, createWriteStream(tmp, { flags: "wx" }));
      const sha256 = hash.digest("hex");
      const final = pathOf(sha256);
      if (await exists(final)) {
        await rm(tmp, { force: true });
      } else {
        await mkdir(join(final, ".."), { recursive: true });
        await rename(tmp, final);
      }
      return { sha256, size };
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }

  return {
    putFile: (sourcePath) => store(() => createReadStream(sourcePath)),
    // A buffer is hashed at once, so bytes already stored are not written again.
    async putBuffer(bytes) {
      const sha256 = createHash("sha256").update(bytes).digest("hex");
      const final = pathOf(sha256);
      if (!(await exists(final))) {
        await mkdir(tmpDir, { recursive: true });
        const tmp = join(tmpDir, `${randomBytes(12).toString("hex")}.part`);
        try {
          await writeFile(tmp, bytes, { flag: "wx" });
          await mkdir(join(final, ".."), { recursive: true });
          await rename(tmp, final);
        } catch (error) {
          await rm(tmp, { force: true });
          throw error;
        }
      }
      return { sha256, size: bytes.byteLength };
    },
    has: (sha256) => exists(pathOf(sha256)),
    createReadStream: (sha256) => createReadStream(pathOf(sha256)),
    path: pathOf,
  };
}
