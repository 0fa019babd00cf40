// Tabs of the assessment page: show one part at a time. Without JavaScript every part is shown.
// The part shown follows the address (#tab-clips, or any element inside a part such as #trial-7).
(function () {
  "use strict";
  const nav = document.querySelector("[data-tabs]");
  if (!nav) return;
  const links = Array.from(nav.querySelectorAll("[data-tab]"));
  const panels = Array.from(document.querySelectorAll("[data-panel]"));
  nav.setAttribute("role", "tablist");
  function panelFor(hash) {
    const target = hash && hash.length > 1 ? document.getElementById(decodeURIComponent(hash.slice(1))) : null;
    const panel = target ? target.closest("[data-panel]") : null;
    return panel || document.getElementById(nav.dataset.default) || panels[0];
  }
  function show(panel, focusTarget) {
    panels.forEach(function (p) { p.hidden = p !== panel; p.setAttribute("role", "tabpanel"); });
    links.forEach(function (a) {
      const on = a.dataset.tab === panel.id;
      a.setAttribute("role", "tab");
      a.setAttribute("aria-selected", on ? "true" : "false");
      a.setAttribute("aria-controls", a.dataset.tab);
      a.classList.toggle("active", on);
    });
    if (focusTarget && focusTarget !== panel) focusTarget.scrollIntoView();
  }
  links.forEach(function (a) {
    a.addEventListener("click", function (event) {
      event.preventDefault();
      history.replaceState(null, "", "#" + a.dataset.tab);
      show(document.getElementById(a.dataset.tab));
      window.scrollTo(0, 0);
    });
  });
  document.querySelectorAll('a[href^="#tab-"]:not([data-tab])').forEach(function (a) {
    a.addEventListener("click", function (event) {
      event.preventDefault();
      const id = a.getAttribute("href").slice(1);
      history.replaceState(null, "", "#" + id);
      show(document.getElementById(id));
    });
  });
  function fromHash() {
    const hash = window.location.hash;
    const target = hash.length > 1 ? document.getElementById(decodeURIComponent(hash.slice(1))) : null;
    show(panelFor(hash), target);
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
