// The language switch submits itself when a language is picked (a button stands in without JavaScript).
document.addEventListener("change", (event) => {
  const form = event.target.closest("form[data-autosubmit]");
  if (form && event.target.name === "language") form.submit();
});
