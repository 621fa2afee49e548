// The review page of the reviewers' desk.
// A form with data-confirm asks before it is sent (passing a stage names what passes).
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) event.preventDefault();
});
// A link to a folded section (#answers, #evidence ...) opens it.
function openTarget() {
  const target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
  if (target && target.tagName === "DETAILS") target.open = true;
}
window.addEventListener("hashchange", openTarget);
document.addEventListener("DOMContentLoaded", openTarget);
// A form with data-busy is sent once: its button says what is happening and a second click is ignored.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.dataset.busy || event.defaultPrevented) return;
  if (form.dataset.sending) { event.preventDefault(); return; }
  form.dataset.sending = "1";
  form.setAttribute("aria-busy", "true");
  const button = form.querySelector("[type=submit]");
  if (button) { button.value = form.dataset.busy; button.classList.add("is-busy"); button.setAttribute("aria-disabled", "true"); }
});
// Back from the browser's cache: the form may be sent again.
window.addEventListener("pageshow", () => {
  document.querySelectorAll("form[data-sending]").forEach((form) => {
    delete form.dataset.sending;
    form.removeAttribute("aria-busy");
  });
});
