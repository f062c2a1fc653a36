// API docs (Swagger UI vendored from swagger-ui-dist, no CDN): read the settings Ninja rendered as JSON
// and start the UI; a signed-in console session is sent with its CSRF token.
(function () {
  "use strict";
  var body = document.body.dataset;
  var config = JSON.parse(document.getElementById("swagger-settings").textContent);
  config.dom_id = "#swagger-ui";
  config.presets = [window.SwaggerUIBundle.presets.apis];
  if (body.apiCsrf && body.csrfToken) {
    config.requestInterceptor = function (request) {
      request.headers["X-CSRFToken"] = body.csrfToken;
      return request;
    };
  }
  window.SwaggerUIBundle(config);
})();
