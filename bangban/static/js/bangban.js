/* Small behaviours of every page. No page has inline script or on…= attributes (the
 * Content-Security-Policy forbids them, docs/security.md): they live here, keyed on data-*
 * attributes, and listen on the document so content htmx swaps in behaves the same. */
(function () {
  "use strict";

  // <select data-autosubmit>: choosing an option submits its form (list filters).
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field && field.matches && field.matches("[data-autosubmit]") && field.form) {
      if (typeof field.form.requestSubmit === "function") {
        field.form.requestSubmit();
      } else {
        field.form.submit();
      }
    }
  });
})();
