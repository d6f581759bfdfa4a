// Starts GOV.UK Frontend's JavaScript components. Loaded from base.html as
// <script type="module">, so it only runs in browsers that GOV.UK Frontend
// supports (the inline script in base.html adds `govuk-frontend-supported`).
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();

// Content that htmx swaps in later gets its components started too.
document.addEventListener("htmx:load", (event) => {
  const element = event.detail && event.detail.elt;
  if (element instanceof HTMLElement && element !== document.body) {
    initAll({ scope: element });
  }
});
