/* The dashboard's only script: a filter list submits its form when changed (no inline
   handlers: the CSP allows scripts from this site's files only). Without JavaScript the
   filter has its own button. */
(function () {
  "use strict";
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
}());
