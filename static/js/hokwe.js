/* Behaviour shared by every page, as a static file: the Content-Security-Policy allows no
   inline handler (docs/security.md). A <select data-autosubmit> submits its form when it
   changes (the header's language switch). */
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target && target.matches && target.matches("select[data-autosubmit]") && target.form) {
    target.form.submit();
  }
});
