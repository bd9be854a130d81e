import { type AnchorHTMLAttributes, type MouseEvent, useEffect, useState } from "react";

/** The panel's few screens, read from the address so a reload or a shared link opens the same one. */
export type Route =
  | { name: "lobby" }
  | { name: "agenda"; meetingId: string }
  | { name: "dossier"; meetingId: string; applicationId: string }
  | { name: "defense"; meetingId: string }
  | { name: "committee"; meetingId: string };

const UUID = "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})";
const AGENDA = new RegExp(`^/meetings/${UUID}/?$`, "i");
const DOSSIER = new RegExp(`^/meetings/${UUID}/applications/${UUID}/?$`, "i");
const DEFENSE = new RegExp(`^/meetings/${UUID}/defense/?$`, "i");
const COMMITTEE = new RegExp(`^/meetings/${UUID}/committee/?$`, "i");

export function parseRoute(pathname: string): Route {
  const dossier = DOSSIER.exec(pathname);
  if (dossier) return { name: "dossier", meetingId: dossier[1]!, applicationId: dossier[2]! };
  const defense = DEFENSE.exec(pathname);
  if (defense) return { name: "defense", meetingId: defense[1]! };
  const committee = COMMITTEE.exec(pathname);
  if (committee) return { name: "committee", meetingId: committee[1]! };
  const agenda = AGENDA.exec(pathname);
  if (agenda) return { name: "agenda", meetingId: agenda[1]! };
  return { name: "lobby" };
}

export function hrefOf(route: Route): string {
  switch (route.name) {
    case "lobby":
      return "/";
    case "agenda":
      return `/meetings/${route.meetingId}`;
    case "dossier":
      return `/meetings/${route.meetingId}/applications/${route.applicationId}`;
    case "defense":
      return `/meetings/${route.meetingId}/defense`;
    case "committee":
      return `/meetings/${route.meetingId}/committee`;
  }
}

const CHANGE = "panel:navigate";

export function navigate(href: string) {
  window.history.pushState(null, "", href);
  window.dispatchEvent(new Event(CHANGE));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.pathname));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.pathname));
    window.addEventListener("popstate", update);
    window.addEventListener(CHANGE, update);
    return () => {
      window.removeEventListener("popstate", update);
      window.removeEventListener(CHANGE, update);
    };
  }, []);
  return route;
}

/** A real link (opens in a new tab, works without script) that moves within the panel without reloading. */
export function Link(props: AnchorHTMLAttributes<HTMLAnchorElement> & { to: Route }) {
  const { to, onClick, ...rest } = props;
  const href = hrefOf(to);
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey)
      return;
    event.preventDefault();
    navigate(href);
    window.scrollTo(0, 0);
  };
  return <a {...rest} href={href} onClick={follow} />;
}
