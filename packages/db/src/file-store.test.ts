import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalFileStore, type FileStore } from "./file-store";

const hex = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe("local content-addressed file store", () => {
  let root: string;
  let store: FileStore;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "titles-files-"));
    store = createLocalFileStore(join(root, "files"));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it("stores a file under its sha256, fanned out in two folder levels", async () => {
    const bytes = Buffer.from("职称评审 materials");
    const source = join(root, "upload.bin");
    await writeFile(source, bytes);
    const stored = await store.putFile(source);
    expect(stored).toEqual({ sha256: hex(bytes), size: bytes.length });
    const path = store.path(stored.sha256);
    expect(path).toBe(
      join(root, "files", stored.sha256.slice(0, 2), stored.sha256.slice(2, 4), stored.sha256),
    );
    expect(await readFile(path)).toEqual(bytes);
    expect(await store.has(stored.sha256)).toBe(true);
    // The source belongs to the caller.
    expect(await readFile(source)).toEqual(bytes);
  });

  it("keeps one copy of the same bytes and leaves no temporary file", async () => {
    const bytes = new Uint8Array(300_000).map((_, i) => i % 251);
    const [a, b] = await Promise.all([store.putBuffer(bytes), store.putBuffer(bytes)]);
    expect(a).toEqual(b);
    const all = await filesUnder(join(root, "files"));
    expect(all.filter((f) => f.endsWith(a.sha256))).toHaveLength(1);
    expect(all.filter((f) => f.endsWith(".part"))).toHaveLength(0);
  });

  it("streams a stored file back", async () => {
    const { sha256 } = await store.putBuffer(Buffer.from("stream me"));
    const chunks: Buffer[] = [];
    for await (const chunk of store.createReadStream(sha256)) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe("stream me");
  });

  it("refuses a name that is not a hash (no path traversal) and knows what it lacks", async () => {
    expect(() => store.path("../../etc/passwd")).toThrow(/not a sha256/);
    expect(await store.has("0".repeat(64))).toBe(false);
  });

  it("leaves nothing behind when the source cannot be read", async () => {
    await expect(store.putFile(join(root, "missing.bin"))).rejects.toThrow();
    const all = await filesUnder(join(root, "files"));
    expect(all.filter((f) => f.endsWith(".part"))).toHaveLength(0);
  });
});
