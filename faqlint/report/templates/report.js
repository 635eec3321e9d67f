// faqlint posture report: renders the findings from the embedded JSON, in chunks so that a
// report of 10,000 findings opens at once, and filters them. Values are set as text, never HTML.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var findings = data.findings;
  var rules = data.rules;
  var PAGE = 200;
  var lists = {};
  var sections = {};
  Array.prototype.forEach.call(document.querySelectorAll(".tenant"), function (section) {
    sections[section.getAttribute("data-tenant")] = section;
    lists[section.getAttribute("data-tenant")] = section.querySelector(".list");
  });
  var $ = function (id) { return document.getElementById(id); };
  var controls = {
    search: $("f-search"), severity: $("f-severity"), tenant: $("f-tenant"),
    area: $("f-area"), rule: $("f-rule"), status: $("f-status")
  };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  var codes = {};
  findings.forEach(function (f, i) {
    f.index = i;
    codes[f.code] = true;
    f.haystack = [f.code, (rules[f.code] || {}).name, f.message, f.file, f.kind, f.resource,
      f.tenant].join("\u0000").toLowerCase();
  });
  Object.keys(codes).sort().forEach(function (code) {
    var option = el("option", null, code + " " + ((rules[code] || {}).name || ""));
    option.value = code;
    controls.rule.appendChild(option);
  });

  function matches(f, wanted) {
    return (!wanted.severity || f.severity === wanted.severity) &&
      (!wanted.tenant || (f.tenant || "(no tenant)") === wanted.tenant) &&
      (!wanted.area || f.area === wanted.area) &&
      (!wanted.rule || f.code === wanted.rule) &&
      (!wanted.status || f.status === wanted.status) &&
      (!wanted.search || f.haystack.indexOf(wanted.search) !== -1);
  }

  function section(body, heading, content) {
    if (!content) { return; }
    body.appendChild(el("h3", null, heading));
    body.appendChild(content);
  }

  function excerpt(f) {
    if (!f.excerpt.length) { return null; }
    var pre = el("pre", "excerpt");
    f.excerpt.forEach(function (pair) {
      var line = el("span", pair[0] === f.line ? "hit" : "line");
      line.appendChild(el("span", "ln", pair[0]));
      line.appendChild(document.createTextNode(pair[1]));
      pre.appendChild(line);
      pre.appendChild(document.createTextNode("\n"));
    });
    return pre;
  }

  function waiverText(w) {
    var where = w.origin + " waiver at " + w.file + (w.line ? ":" + w.line : "") +
      (w.pattern ? " (" + w.pattern + ")" : "");
    return where + "; reason: " + (w.reason || "none given") + "; until: " + (w.until || "no end date");
  }

  function render(f) {
    var rule = rules[f.code] || {};
    var node = el("details", "finding " + f.severity);
    node.id = "finding-" + f.index;
    var summary = el("summary");
    summary.appendChild(el("span", "sev " + f.severity, f.severity));
    summary.appendChild(el("span", "code", f.code));
    summary.appendChild(el("span", "message", f.message));
    if (f.status !== "reported") {
      summary.appendChild(el("span", "status " + f.status, f.status));
    }
    var where = el("span", "where");
    var link = el("a", null, f.file + ":" + f.line + ":" + f.column);
    link.href = encodeURI(f.file).replace(/#/g, "%23").replace(/\?/g, "%3F");
    where.appendChild(link);
    var what = [f.kind && f.resource ? f.kind + "/" + f.resource : f.kind, rule.name, f.area];
    where.appendChild(document.createTextNode(" \u00b7 " + what.filter(Boolean).join(" \u00b7 ")));
    summary.appendChild(where);
    node.appendChild(summary);
    var body = el("div", "body");
    section(body, "Source", excerpt(f));
    if (rule.quote) {
      var quote = el("blockquote", null, "\u201c" + rule.quote + "\u201d");
      section(body, "The FAQ" + (rule.faq ? ": " + rule.faq : ""), quote);
    } else if (rule.summary) {
      section(body, "Rule", el("p", null, rule.summary));
    }
    section(body, "Fix", el("p", null, f.fix || rule.fix));
    if (f.waivers.length) {
      var list = el("ul");
      f.waivers.forEach(function (w) { list.appendChild(el("li", null, waiverText(w))); });
      section(body, "Waived by", list);
    }
    node.appendChild(body);
    return node;
  }

  function wanted() {
    return {
      search: controls.search.value.trim().toLowerCase(), severity: controls.severity.value,
      tenant: controls.tenant.value, area: controls.area.value, rule: controls.rule.value,
      status: controls.status.value
    };
  }

  // Each tenant's findings are rendered when its section comes near the viewport, PAGE at a
  // time: a report of 10,000 findings opens as fast as one of ten. Printing renders them all.
  var observer = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) { observer.unobserve(entry.target); fill(entry.target.owner, false); }
    });
  }, { rootMargin: "1200px 0px" }) : null;
  var pending = {};

  function fill(name, all) {
    var state = pending[name];
    if (!state) { return; }
    var list = lists[name];
    if (state.more) { state.more.remove(); state.more = null; }
    var end = all ? state.items.length : Math.min(state.items.length, state.at + PAGE);
    var fragment = document.createDocumentFragment();
    for (; state.at < end; state.at++) { fragment.appendChild(render(state.items[state.at])); }
    list.appendChild(fragment);
    var left = state.items.length - state.at;
    if (left > 0) {
      var more = el("button", "more", "Show " + Math.min(left, PAGE) + " more of " + left);
      more.type = "button";
      more.owner = name;
      more.addEventListener("click", function () { fill(name, false); });
      list.appendChild(more);
      state.more = more;
      if (observer) { observer.observe(more); }
    }
    rendered();
  }

  function rendered() {
    document.body.setAttribute("data-rendered", String(document.querySelectorAll(".finding").length));
  }

  function apply(all) {
    var want = wanted();
    var selected = findings.filter(function (f) { return matches(f, want); });
    if (observer) { observer.disconnect(); }
    pending = {};
    selected.forEach(function (f) {
      var name = f.tenant || "(no tenant)";
      (pending[name] = pending[name] || { items: [], at: 0, more: null }).items.push(f);
    });
    Object.keys(lists).forEach(function (name) {
      lists[name].textContent = "";
      sections[name].classList.toggle("hidden", !!want.tenant && want.tenant !== name);
      if (!pending[name]) { return; }
      if (all || !observer) {
        fill(name, all);
      } else {
        lists[name].owner = name;
        observer.observe(lists[name]);
      }
    });
    $("shown").textContent = "Showing " + selected.length + " of " + findings.length + " findings";
    document.body.setAttribute("data-shown", String(selected.length));
    rendered();
  }

  var timer = null;
  controls.search.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { apply(false); }, 150);
  });
  ["severity", "tenant", "area", "rule", "status"].forEach(function (key) {
    controls[key].addEventListener("change", function () { apply(false); });
  });
  $("filters").addEventListener("submit", function (event) { event.preventDefault(); });
  document.addEventListener("keydown", function (event) {
    if (event.key === "/" && document.activeElement !== controls.search &&
        !/^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName)) {
      event.preventDefault();
      controls.search.focus();
    }
  });
  window.addEventListener("beforeprint", function () {
    apply(true);
    Array.prototype.forEach.call(document.querySelectorAll(".finding"), function (d) { d.open = true; });
  });
  apply(false);
}());
