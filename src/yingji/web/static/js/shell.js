// Behaviour every page shares, bound by delegation (so it also works on fragments htmx swaps in).
// No template carries inline script or on*= handlers: the Content-Security-Policy forbids them.
(function () {
  document.addEventListener("click", function (e) {
    const t = e.target.closest("[data-nav-toggle], [data-history-back], [data-geolocate]");
    if (!t) return;
    if (t.hasAttribute("data-nav-toggle")) document.body.classList.toggle("nav-open");
    if (t.hasAttribute("data-history-back")) { e.preventDefault(); history.back(); }
    if (t.hasAttribute("data-geolocate")) locate(t);
  });
  // <select data-autosubmit>: submitting its form on change (htmx forms listen to the submit event).
  document.addEventListener("change", function (e) {
    if (e.target.matches("select[data-autosubmit]") && e.target.form) e.target.form.requestSubmit();
  });
  // <form data-prompt="question" data-prompt-field="name">: asks, fills that field, or cancels.
  document.addEventListener("submit", function (e) {
    const f = e.target;
    if (!f.matches("form[data-prompt]")) return;
    const answer = prompt(f.dataset.prompt);
    if (!answer) { e.preventDefault(); e.stopImmediatePropagation(); return; }
    f.elements[f.dataset.promptField].value = answer;
  }, true);
  // <button data-geolocate>: fills the form's lon/lat with the device position.
  function locate(button) {
    const form = button.form;
    const fail = button.dataset.geolocateFail || "无法获取位置";
    if (!navigator.geolocation) { alert(fail); return; }
    navigator.geolocation.getCurrentPosition(function (p) {
      form.elements.lon.value = p.coords.longitude.toFixed(6);
      form.elements.lat.value = p.coords.latitude.toFixed(6);
    }, function () { alert(fail); });
  }
})();

// Escapes text for HTML built in scripts (map popups, legends): data never becomes markup.
window.yingjiEscape = function (s) {
  return String(s == null ? "" : s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
};
