// Start Swagger UI on /api/docs from the locally served bundle (see kinechain/web/api_docs.py).
(function () {
  "use strict";
  const root = document.getElementById("swagger-ui");
  // validatorUrl null: no request to an outside validator (the page works offline)
  window.SwaggerUIBundle({ url: root.dataset.openapi, dom_id: "#swagger-ui", deepLinking: true, validatorUrl: null });
})();
