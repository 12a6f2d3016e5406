/* Behaviour shared by every page, as a static file: the Content-Security-Policy allows no
   inline handler (docs/security.md). A <select data-autosubmit> submits its form when it
   changes (the header's language switch). */
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target && target.matches && target.matches("select[data-autosubmit]") && target.form) {
    target.form.submit();
  }
});

/* The menu's « More » (<details data-menu>, templates/base.html) opens and closes without
   script; a click elsewhere or Escape closes it. */
function closeMenus(except) {
  document.querySelectorAll("details[data-menu][open]").forEach(function (menu) {
    if (menu !== except) {
      menu.removeAttribute("open");
    }
  });
}
document.addEventListener("click", function (event) {
  var inside = event.target && event.target.closest ? event.target.closest("details[data-menu]") : null;
  closeMenus(inside);
});
document.addEventListener("keydown", function (event) {
  if (event.key === "Escape") {
    closeMenus(null);
  }
});
