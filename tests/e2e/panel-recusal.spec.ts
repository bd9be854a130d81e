import type { Page } from "@playwright/test";
import * as socketParser from "../../apps/panel/shared/socket-parser";
import { DEMO_PASSWORD, expect, PANEL, test } from "./fixtures";

const MEETING = "工程技术系列中级职称评审会（演示）";
const ZHENG = "13800000009";
const ZHOU = "13800000007";

async function signInToPanel(page: Page, login: string) {
  await page.goto(`/login?next=${encodeURIComponent(`${PANEL}/`)}`);
  await page.getByLabel(/^手机号码或证件号码/).fill(login);
  await page.getByLabel(/^密码/).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(new RegExp(`^${PANEL}/`));
}

const decoderReady = new WeakSet<Page>();

/**
 * A `doc:join` made by hand from the page: a bare WebSocket speaking the socket.io protocol (engine.io
 * v4 frames, packets in the panel's MessagePack format, decision 0019), carrying the page's own cookie
 * and origin. Answers the server's ack for the join. Packets are made and read with the panel's own
 * format (apps/panel/shared/socket-parser.ts), in the test: the page gets bytes and a decoding function.
 */
async function handMadeJoin(page: Page, doc: string): Promise<unknown> {
  if (!decoderReady.has(page)) {
    await page.exposeFunction("decodePanelPacket", (bytes: number[]) => {
      let packet: unknown = null;
      const decoder = new socketParser.Decoder();
      decoder.on("decoded", (decoded) => {
        packet = decoded;
      });
      decoder.add(Uint8Array.from(bytes));
      return packet;
    });
    decoderReady.add(page);
  }
  const encoder = new socketParser.Encoder();
  const connect = [...encoder.encode({ type: socketParser.PacketType.CONNECT, nsp: "/" })[0]!];
  const join = [
    ...encoder.encode({
      type: socketParser.PacketType.EVENT,
      nsp: "/",
      data: ["doc:join", { doc }],
      id: 1,
    })[0]!,
  ];
  return page.evaluate(
    ({ connect, join }) =>
      new Promise((resolve, reject) => {
        const decodePacket = (window as unknown as { decodePanelPacket(b: number[]): Promise<unknown> })
          .decodePanelPacket;
        const ws = new WebSocket(
          `${location.origin.replace(/^http/, "ws")}/socket.io/?EIO=4&transport=websocket`,
        );
        ws.binaryType = "arraybuffer";
        const timer = setTimeout(() => reject(new Error("no answer to the join")), 10_000);
        ws.onmessage = async (event) => {
          if (typeof event.data === "string") {
            if (event.data.startsWith("0"))
              ws.send(Uint8Array.from(connect)); // engine.io open → connect to the "/" namespace
            else if (event.data === "2") ws.send("3"); // ping → pong
            return;
          }
          const packet = (await decodePacket([...new Uint8Array(event.data as ArrayBuffer)])) as {
            type: number;
            id?: number;
            data?: unknown;
          };
          if (packet.type === 0) ws.send(Uint8Array.from(join));
          else if (packet.type === 4) reject(new Error(`connection refused: ${JSON.stringify(packet.data)}`));
          else if (packet.type === 3 && packet.id === 1) {
            clearTimeout(timer);
            ws.close();
            resolve((packet.data as unknown[])[0]);
          }
        };
        ws.onerror = () => reject(new Error("websocket error"));
      }),
    { connect, join },
  );
}

test("a recused expert does not see the applicant, and a hand-made join to the document is refused", async ({
  browser,
}) => {
  // 周明 (not recused) reads the whole agenda: it has both applicants.
  const zhou = await (await browser.newContext()).newPage();
  await signInToPanel(zhou, ZHOU);
  await zhou.getByRole("link", { name: MEETING }).click();
  await expect(zhou.getByRole("link", { name: "查看高雪的评审材料" })).toBeVisible();
  const meetingId = /\/meetings\/([0-9a-f-]{36})/.exec(zhou.url())![1]!;
  const gaoHref = await zhou.getByRole("link", { name: "查看高雪的评审材料" }).getAttribute("href");
  const gaoId = /\/applications\/([0-9a-f-]{36})/.exec(gaoHref ?? "")![1]!;

  // 郑敏 is recused from 高雪: the agenda shows 林峰 and not 高雪.
  const zheng = await (await browser.newContext()).newPage();
  await signInToPanel(zheng, ZHENG);
  await zheng.getByRole("link", { name: MEETING }).click();
  await expect(zheng.getByRole("link", { name: "查看林峰的评审材料" })).toBeVisible();
  await expect(zheng.getByText("高雪")).toHaveCount(0);
  const linHref = await zheng.getByRole("link", { name: "查看林峰的评审材料" }).getAttribute("href");
  const linId = /\/applications\/([0-9a-f-]{36})/.exec(linHref ?? "")![1]!;

  // Typing the address of 高雪's dossier does not help either.
  await zheng.goto(`${PANEL}/meetings/${meetingId}/applications/${gaoId}`);
  await expect(zheng.getByRole("alert")).toContainText("您已回避该申报人");
  await expect(zheng.locator(".pdf-viewer")).toHaveCount(0);

  // A join made by hand with 郑敏's session: refused for 高雪, granted for 林峰.
  const refused = await handMadeJoin(zheng, `meeting:${meetingId}:application:${gaoId}:v1`);
  expect(refused).toMatchObject({ ok: false, error: { code: "DOC_FORBIDDEN" } });
  expect(JSON.stringify(refused)).toContain("回避");
  const granted = await handMadeJoin(zheng, `meeting:${meetingId}:application:${linId}:v1`);
  expect(granted).toMatchObject({ ok: true, data: { readOnly: false } });

  // Nor is the file itself served to 郑敏.
  const pdf = await zheng.request.get(`${PANEL}/dossiers/${meetingId}/${gaoId}/v1.pdf`);
  expect(pdf.status()).toBe(403);
});
