// Announcement composer: "Semua pelanggan" and the kecamatan checkboxes exclude each other.
// The server checks the same rule, so the form also works without this script.
document.addEventListener("change", (event) => {
  const box = event.target;
  if (!(box instanceof HTMLInputElement) || box.type !== "checkbox" || !box.checked) {
    return;
  }
  const form = box.form;
  if (!form || form.id !== "composer") {
    return;
  }
  if (box.name === "audience_all") {
    form.querySelectorAll('input[name="areas"]').forEach((area) => {
      area.checked = false;
    });
  } else if (box.name === "areas") {
    const all = form.querySelector('input[name="audience_all"]');
    if (all) {
      all.checked = false;
    }
  }
});
