// Before anything that builds a zod schema (the CSP forbids eval; see the module).
import "./zod-jitless";
import "@titles/ui/styles.css";
import "./panel.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";

const root = document.getElementById("root");
if (!root) throw new Error("#root missing from index.html");
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
