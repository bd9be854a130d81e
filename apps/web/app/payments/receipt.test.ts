import { PDFDocument } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { missingGlyphs } from "~/documents/fonts.server";
import {
  amountInWords,
  type PaymentReceiptData,
  receiptContentDisposition,
  renderPaymentReceipt,
} from "./receipt.server";

const data: PaymentReceiptData = {
  orderNo: "ZC202108060123456789",
  tradeNo: "SIMKS1ABCDEF012345",
  roundYear: 2021,
  applicationId: "7c0b8a52-2f7e-4a55-9f57-8f0c2b1d9e11",
  applicantName: "张伟",
  seriesLabel: "工程技术",
  levelLabel: "中级",
  employerName: "北京市某某设计研究院有限公司",
  amountFen: 30_000,
  paidAt: new Date("2021-08-06T02:31:05Z"),
};

describe("the fee receipt", () => {
  it("writes amounts in the capital numerals of financial documents", () => {
    expect(amountInWords(30_000)).toBe("叁佰元整");
    expect(amountInWords(20_050)).toBe("贰佰元伍角");
    expect(amountInWords(123_456)).toBe("壹仟贰佰叁拾肆元伍角陆分");
    expect(amountInWords(100_507)).toBe("壹仟零伍元零柒分");
    expect(amountInWords(10_000_000)).toBe("壹拾万元整");
    expect(amountInWords(100_050_000)).toBe("壹佰万零伍佰元整");
    expect(amountInWords(1_000_000_000_000)).toBe("壹佰亿元整");
    expect(amountInWords(50)).toBe("伍角");
    expect(amountInWords(7)).toBe("柒分");
    expect(amountInWords(0)).toBe("零元整");
    expect(() => amountInWords(-1)).toThrow(RangeError);
  });

  it("is a one-page Chinese PDF, the same bytes for the same payment", async () => {
    const bytes = await renderPaymentReceipt(data);
    const again = await renderPaymentReceipt(data);
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
    const doc = await PDFDocument.load(bytes);
    expect(doc.getPageCount()).toBe(1);
    expect(doc.getTitle()).toBe("职称评审费缴费电子票据");
    expect(
      missingGlyphs("职称评审费缴费电子票据 ¥300.00 叁佰元整 金额（小写）（大写）支付平台交易号"),
    ).toEqual([]);
  });

  it("offers the Chinese file name with an ASCII fallback", () => {
    expect(receiptContentDisposition("张伟")).toBe(
      `attachment; filename="payment-receipt.pdf"; filename*=UTF-8''${encodeURIComponent("缴费电子票据-张伟.pdf")}`,
    );
  });
});
