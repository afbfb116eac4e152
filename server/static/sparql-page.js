// The SPARQL query page: YASGUI replaces the plain form (which works without JavaScript), the named queries open
// in tabs of their own. No request leaves this server: the only endpoint is our own, autocompletion that asks
// other services stays off, and tabs are not kept between visits.
(function () {
  "use strict";
  var form = document.getElementById("sparql-form");
  var textarea = document.getElementById("sparql-query");
  var container = document.getElementById("yasgui");
  var examplesData = document.getElementById("sparql-examples");
  if (!form || !textarea || !container || typeof window.Yasgui !== "function") {
    return;
  }
  var endpoint = form.getAttribute("action");
  var yasgui = new window.Yasgui(container, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; }, keys: [] },
    persistenceId: null,
    populateFromUrl: false,
    autofocus: false,
    yasqe: { autocompleters: [] }
  });
  var tab = yasgui.getTab();
  if (tab) {
    tab.setQuery(textarea.value);
  }
  form.hidden = true;

  var examples = {};
  (examplesData ? JSON.parse(examplesData.textContent) : []).forEach(function (ex) {
    examples[ex.name] = ex;
  });
  document.querySelectorAll("a[data-example]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var ex = examples[link.getAttribute("data-example")];
      if (!ex) {
        return;
      }
      event.preventDefault();
      var opened = yasgui.addTab(true, { name: ex.title, yasqe: { value: ex.query } });
      if (opened && typeof opened.setQuery === "function") {
        opened.setQuery(ex.query);
      }
      container.scrollIntoView({ behavior: "smooth", block: "start" });
      container.focus({ preventScroll: true });
    });
  });
  container.setAttribute("tabindex", "-1");
})();
