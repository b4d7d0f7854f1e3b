// Starts the NHS.UK frontend components; the module path comes from the page so it keeps its hashed name.
const script = document.getElementById("app-init");
import(script.dataset.nhsuk).then(({ initAll }) => initAll());
