import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const webRoot = fileURLToPath(new URL("../..", import.meta.url));
const source = (path: string) => JSON.stringify(join(webRoot, path));

// The pool's threads load this module from its source file, as the job worker and the benchmark do (tsx);
// vitest's own module runner does not reach into worker threads, so the check runs in a tsx child process.
const script = `
import { certificateData, certificateNumber } from ${source("../../packages/domain/src/index.ts")};
import { renderCertificatePdf } from ${source("app/certificates/pdf.server.ts")};
import { createCertificateRenderPool } from ${source("app/certificates/render-pool.server.ts")};

const inputs = [1, 2, 3, 4].map((serial) => {
  const data = certificateData({
    number: certificateNumber(2021, serial),
    holderName: ["张伟", "王鑫瑄", "李赟", "欧阳晓东"][serial - 1],
    holderIdMasked: "1101**********5217",
    unitName: "北京示例科技有限公司",
    series: "engineering",
    specialty: "交通运输工程",
    level: "deputy-senior",
    committee: "北京市工程技术系列高级专业技术资格评审委员会",
    approvedOn: "2021-12-03",
    approvalReference: "京人社专技字〔2021〕123号",
    issueDate: "2022-02-10",
  });
  return { data, signature: "A".repeat(86), keyId: "did:key:z6Mk#z6Mk", verifyUrl: "https://example.test/verify/" + data.number + "?t=x" };
});
const pool = createCertificateRenderPool({ threads: 2 });
const pooled = await Promise.all(inputs.map((input) => pool.render(input)));
await pool.close();
const direct = [];
for (const input of inputs) direct.push(await renderCertificatePdf(input));
console.log(JSON.stringify({
  threads: pool.threads,
  same: pooled.map((bytes, i) => Buffer.from(bytes).equals(Buffer.from(direct[i]))),
  pdf: pooled.map((bytes) => Buffer.from(bytes.subarray(0, 5)).toString("latin1")),
}));
`;

describe("createCertificateRenderPool", () => {
  it("renders on worker threads exactly the bytes rendered in-process", async () => {
    const dir = await mkdtemp(join(tmpdir(), "render-pool-"));
    try {
      const file = join(dir, "check.mts");
      await writeFile(file, script);
      // tsx with the app's tsconfig (cwd), so the threads resolve `~/` as the app does.
      const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", file], {
        cwd: webRoot,
        timeout: 60_000,
      });
      const result = JSON.parse(stdout.trim().split("\n").at(-1)!);
      expect(result.threads).toBe(2);
      expect(result.same).toEqual([true, true, true, true]);
      expect(result.pdf).toEqual(["%PDF-", "%PDF-", "%PDF-", "%PDF-"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
