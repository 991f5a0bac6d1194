// Keyboard shortcuts for the console (no framework, no build step):
//   /  focus the page's search field     g q  work queue     g d  decisions
//   g o  orders     g n  issue an order     g i  import     ?  show these keys
(function () {
  "use strict";
  var pending = null;
  var go = { q: "/console/queue", d: "/console/decisions", o: "/console/orders",
             n: "/console/orders/new", i: "/console/import", t: "/console/tokens" };
  function typing(target) {
    return target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" ||
                      target.tagName === "SELECT" || target.isContentEditable);
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    if (pending === "g" && go[event.key]) {
      window.location.assign(go[event.key]); pending = null; event.preventDefault(); return;
    }
    pending = null;
    if (event.key === "g") { pending = "g"; return; }
    if (event.key === "/") {
      var search = document.querySelector("[data-search]");
      if (search) { search.focus(); event.preventDefault(); }
    }
    if (event.key === "?") {
      var help = document.getElementById("keys");
      if (help) { help.hidden = !help.hidden; }
    }
  });
  // The first field with an error gets the focus, so a keyboard user lands on what to fix.
  var invalid = document.querySelector("[aria-invalid='true']");
  if (invalid) { invalid.focus(); }
  // Destructive actions ask once.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
})();
