// Tells the NHS.UK frontend styles that JavaScript runs (module support implies the frontend is supported), then
// starts its components; the module path comes from the page so it keeps its hashed name.
document.body.classList.add("js-enabled", "nhsuk-frontend-supported");
const script = document.getElementById("app-init");
import(script.dataset.nhsuk).then(({ initAll }) => initAll());
