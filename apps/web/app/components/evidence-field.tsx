import { useI18n } from "@titles/ui";

/**
 * The optional evidence of a complaint or a re-review request: PDF, JPEG or PNG files, checked again on
 * the server by content and size. `sending` shows that the form (with its files) is on its way.
 */
export function EvidenceField(props: {
  id: string;
  limits: { files: number; mb: number };
  sending: boolean;
  sendingLabel: { "zh-CN": string; en: string };
}) {
  const { locale } = useI18n();
  const en = locale === "en";
  return (
    <>
      <div className="field">
        <label htmlFor={props.id}>
          {en
            ? `Evidence (optional): up to ${props.limits.files} PDF, JPEG or PNG files, ${props.limits.mb} MB each`
            : `证明材料（选填）：PDF、JPG或PNG，最多${props.limits.files}个，每个不超过${props.limits.mb}MB`}
        </label>
        <input
          id={props.id}
          name="attachments"
          type="file"
          multiple
          accept="application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
        />
      </div>
      {props.sending ? (
        <p>
          <progress aria-label={props.sendingLabel[locale]} /> {en ? "Sending…" : "正在提交，请稍候……"}
        </p>
      ) : null}
    </>
  );
}
