// The review page of the reviewers' desk.
// A form with data-confirm asks before it is sent (passing a stage names what passes), in the page: a panel
// under the form says what will happen, with a button to go ahead (data-confirm-yes) and one to step back
// (data-confirm-no). Without JavaScript the form is sent as it is.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.dataset.confirm || form.dataset.confirmed) return;
  event.preventDefault();
  event.stopImmediatePropagation();
  const trigger = event.submitter;
  let panel = form.nextElementSibling;
  if (!panel || !panel.classList.contains("vetted-confirm")) {
    panel = document.createElement("div");
    panel.className = "vetted-confirm";
    panel.setAttribute("role", "alertdialog");
    panel.setAttribute("aria-live", "assertive");
    const text = document.createElement("p");
    text.id = `${form.id || "form"}-confirm-text`;
    text.textContent = form.dataset.confirm;
    panel.setAttribute("aria-describedby", text.id);
    const yes = document.createElement("button");
    yes.type = "button";
    yes.className = "button default vetted-confirm-yes";
    yes.textContent = form.dataset.confirmYes;
    const no = document.createElement("button");
    no.type = "button";
    no.className = "button vetted-confirm-no";
    no.textContent = form.dataset.confirmNo;
    yes.addEventListener("click", () => {
      form.dataset.confirmed = "1";
      panel.remove();
      form.requestSubmit(trigger && trigger.form === form ? trigger : undefined);
    });
    no.addEventListener("click", () => {
      panel.remove();
      if (trigger) trigger.focus();
    });
    panel.append(text, yes, " ", no);
    form.after(panel);
  }
  panel.querySelector(".vetted-confirm-yes").focus();
}, true);
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
// A section's table wider than the screen (a phone) scrolls sideways: it is then reachable and named for the
// keyboard, as a region one can focus and scroll with the arrow keys.
function markScrollable() {
  document.querySelectorAll("details.vetted-section > .module, .vetted-section .vetted-grid > .module").forEach((box) => {
    if (box.scrollWidth > box.clientWidth + 1) {
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      const title = box.closest("details, section")?.querySelector("h2");
      if (title && !box.hasAttribute("aria-label")) box.setAttribute("aria-label", title.textContent.trim());
    } else if (box.getAttribute("role") === "region") {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
    }
  });
}
document.addEventListener("DOMContentLoaded", markScrollable);
window.addEventListener("resize", markScrollable);
document.addEventListener("toggle", markScrollable, true);
// A folded file preview lets go of its PDF viewer: the viewer, which loads in its own time, could otherwise
// take the keyboard focus from the page after the reader moved on (from the confirmation's button, say), and
// holds memory for a file no longer shown. The frame is put back, and so loaded again, when the preview opens.
document.addEventListener("toggle", (event) => {
  const preview = event.target;
  if (!(preview instanceof HTMLDetailsElement) || !preview.classList.contains("vetted-preview")) return;
  if (preview.open) {
    if (preview.vettedFrame && !preview.vettedFrame.isConnected) preview.append(preview.vettedFrame);
  } else {
    const frame = preview.querySelector("iframe.vetted-preview-frame");
    if (frame) { preview.vettedFrame = frame; frame.remove(); }
  }
}, true);
