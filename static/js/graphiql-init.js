/* GraphiQL at /graphql (templates/graphene/graphiql.html): React 18, ReactDOM and GraphiQL 3
 * come from static/vendor/graphiql (npm, package.json), so the page runs under the same
 * Content-Security-Policy as every other page (no CDN, no inline script).
 *
 * Cookie sessions: /graphql refuses a signed-in POST without the CSRF token
 * (hokwe/graphql_view.py), so every request sends X-CSRFToken, read from the csrftoken
 * cookie at the time of the call (it changes at login), else from the page's hidden input.
 * The query, variables and operation name are kept in the URL's fragment to share a query.
 */
(function () {
  "use strict";
  var root = document.getElementById("graphiql");
  if (!root || !window.React || !window.ReactDOM || !window.GraphiQL) { return; }
  var React = window.React;
  var GraphiQL = window.GraphiQL;

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) { return decodeURIComponent(match[1]); }
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  var endpoint = root.dataset.endpoint || window.location.pathname;
  var fetcher = GraphiQL.createFetcher({
    url: endpoint,
    fetch: function (url, options) {
      options = options || {};
      var headers = new Headers(options.headers || {});
      var token = csrfToken();
      if (token && !headers.has("X-CSRFToken")) { headers.set("X-CSRFToken", token); }
      options.headers = headers;
      options.credentials = "same-origin";
      return window.fetch(url, options);
    },
  });

  // The query in the URL's fragment (#query=…&variables=…&operationName=…).
  var parameters = {};
  window.location.hash.substr(1).split("&").forEach(function (entry) {
    var eq = entry.indexOf("=");
    if (eq > 0) {
      parameters[decodeURIComponent(entry.slice(0, eq))] = decodeURIComponent(entry.slice(eq + 1));
    }
  });
  function remember(name) {
    return function (value) {
      if (value) { parameters[name] = value; } else { delete parameters[name]; }
      var hash = Object.keys(parameters).map(function (key) {
        return encodeURIComponent(key) + "=" + encodeURIComponent(parameters[key]);
      }).join("&");
      window.history.replaceState(null, "", hash ? "#" + hash : window.location.pathname + window.location.search);
    };
  }

  var props = {
    fetcher: fetcher,
    defaultEditorToolsVisibility: true,
    isHeadersEditorEnabled: root.dataset.headerEditor === "true",
    shouldPersistHeaders: root.dataset.persistHeaders === "true",
    inputValueDeprecation: root.dataset.inputValueDeprecation === "true",
    onEditQuery: remember("query"),
    onEditVariables: remember("variables"),
    onEditOperationName: remember("operationName"),
  };
  if (parameters.query) { props.query = parameters.query; }
  if (parameters.variables) { props.variables = parameters.variables; }
  if (parameters.operationName) { props.operationName = parameters.operationName; }

  window.ReactDOM.createRoot(root).render(React.createElement(GraphiQL, props));
})();
