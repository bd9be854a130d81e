import type { Locale } from "@titles/ui";

/** Strings only the panel uses; shared ones (app.panel, panel.lobby, …) come from @titles/ui. */
const zh = {
  "login.title": "专家工作台",
  "forbidden.title": "无法进入专家工作台",
  "portal.back": "返回门户",
  loading: "正在加载…",
  "load.failed": "加载失败，请检查网络后重试。",
  retry: "重试",
  "status.label": "实时连接：",
  "status.connecting": "连接中…",
  "status.connected": "已连接",
  "status.refused": "连接被拒绝：{message}",
  "lobby.name": "姓名",
  "lobby.roles": "身份",
  "lobby.meetings": "我的评审会议",
} as const;

export type PanelTextKey = keyof typeof zh;

const en: Record<PanelTextKey, string> = {
  "login.title": "Expert panel",
  "forbidden.title": "You cannot enter the panel",
  "portal.back": "Back to the portal",
  loading: "Loading…",
  "load.failed": "Could not load the panel; check your connection and try again.",
  retry: "Try again",
  "status.label": "Live connection:",
  "status.connecting": "Connecting…",
  "status.connected": "Connected",
  "status.refused": "Connection refused: {message}",
  "lobby.name": "Name",
  "lobby.roles": "Roles",
  "lobby.meetings": "My evaluation meetings",
};

export function panelText(locale: Locale, key: PanelTextKey, params: Record<string, string> = {}): string {
  const template = locale === "en" ? en[key] : zh[key];
  return template.replace(/\{(\w+)\}/g, (slot, name: string) => params[name] ?? slot);
}
