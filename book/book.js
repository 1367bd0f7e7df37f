// book.js: what the HTML book does with JavaScript. Every page works without
// it; with it, a page gains:
//
//   - a "Copy" button on every code chunk. It copies the chunk as noweb
//     text: the code, with each use of another chunk written <<name>> as in
//     the chapter's source (not the woven "⟨name 4.4⟩" with its number);
//   - the left and right arrow keys for the previous and next page;
//   - on search.html: the results for ?q=WORDS, from the index that
//     search-data.js holds (written at weave time by book/search.lua), with
//     lunr (Debian's libjs-lunr).
//
// No network: everything it loads is a file of the site, so it works from
// file:// and from any static web server.
(function () {
  "use strict";

  // --- Copy buttons ----------------------------------------------------------

  // The code of a chunk's <code> element as noweb text.
  function chunkText(code) {
    var text = "";
    code.childNodes.forEach(function walk(node) {
      if (node.nodeType === Node.TEXT_NODE) {
        text += node.nodeValue;
      } else if (node.classList && node.classList.contains("nwuse")) {
        // "⟨name 4.4⟩" or "⟨name 4.4, 5.2⟩": drop the brackets and numbers.
        var m = /^⟨(.*?)(?: [0-9]+\.[0-9]+(?:, [0-9]+\.[0-9]+)*)?⟩$/.exec(node.textContent);
        text += "<<" + (m ? m[1] : node.textContent) + ">>";
      } else {
        node.childNodes.forEach(walk);
      }
    });
    return text.replace(/\n?$/, "\n");
  }

  function copyText(text, done) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallback(); });
    } else {
      fallback();
    }
    // Pages opened from file:// are no secure context: select and copy.
    function fallback() {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      done(ok);
    }
  }

  function addCopyButtons() {
    document.querySelectorAll(".nwchunk").forEach(function (chunk) {
      var code = chunk.querySelector("pre code");
      var head = chunk.querySelector(".nwhead");
      if (!code || !head) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy";
      button.textContent = "Copy";
      button.title = "Copy this chunk's code (uses of other chunks as <<name>>)";
      button.addEventListener("click", function () {
        var text = chunkText(code);
        copyText(text, function (ok) {
          button.textContent = ok === false ? "Copy failed" : "Copied";
          button.dataset.copied = text;
          setTimeout(function () { button.textContent = "Copy"; }, 1500);
        });
      });
      head.appendChild(button);
    });
  }

  // --- Keyboard: arrows for previous and next ----------------------------------

  function addArrowKeys() {
    document.addEventListener("keydown", function (e) {
      if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || e.defaultPrevented) return;
      var t = e.target;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(t.tagName))) return;
      var rel = e.key === "ArrowLeft" ? "prev" : e.key === "ArrowRight" ? "next" : null;
      if (!rel) return;
      // A code block that can scroll sideways keeps the arrows for itself.
      for (var n = t; n && n !== document.body; n = n.parentNode) {
        if (n.scrollWidth > n.clientWidth && getComputedStyle(n).overflowX !== "visible") return;
      }
      var link = document.querySelector('a[rel="' + rel + '"]');
      if (link) {
        e.preventDefault();
        window.location.href = link.href;
      }
    });
  }

  // --- Search ----------------------------------------------------------------

  // Code is part of the text: split on punctuation too, so that
  // "kprintf(" and "vga->row" give "kprintf", "vga" and "row".
  var SEPARATOR = /[\s\-(){}\[\];,.*&|<>=!+"'\/:#%^~?@`\\$]+/;

  function snippet(text, terms) {
    var lower = text.toLowerCase(), at = -1;
    terms.forEach(function (w) {
      var i = lower.indexOf(w.toLowerCase());
      if (i >= 0 && (at < 0 || i < at)) at = i;
    });
    var start = Math.max(0, at - 60);
    return (start > 0 ? "…" : "") + text.substr(start, 200) + (text.length > start + 200 ? "…" : "");
  }

  function runSearch(results) {
    var query = (new URLSearchParams(window.location.search).get("q") || "").trim();
    var input = document.querySelector("#search-page input[name=q]");
    if (input) input.value = query;
    results.textContent = "";
    if (!query) return;
    if (typeof lunr === "undefined" || typeof SEARCH_DOCS === "undefined") {
      results.textContent = "The search index did not load.";
      return;
    }
    lunr.tokenizer.separator = lunr.QueryLexer.termSeparator = SEPARATOR;
    var byRef = {};
    var index = lunr(function () {
      this.ref("u");
      this.field("t", { boost: 10 });
      this.field("b");
      SEARCH_DOCS.forEach(function (d) { byRef[d.u] = d; this.add(d); }, this);
    });
    var terms = query.split(SEPARATOR).filter(Boolean);
    var hits;
    try {
      hits = index.search(query);
    } catch (e) {
      // Not lunr's query syntax ("a:b", a lone "~"): search the words.
      hits = index.search(terms.join(" "));
    }
    var heading = document.createElement("p");
    heading.className = "search-count";
    heading.textContent = hits.length + (hits.length === 1 ? " section" : " sections") +
      " found for \u201c" + query + "\u201d.";
    results.appendChild(heading);
    var list = document.createElement("ol");
    hits.slice(0, 50).forEach(function (hit) {
      var d = byRef[hit.ref];
      var item = document.createElement("li");
      var a = document.createElement("a");
      a.href = d.u;
      a.textContent = d.t;
      var page = document.createElement("span");
      page.className = "search-page";
      page.textContent = " " + d.u.replace(/#.*/, "");
      var p = document.createElement("p");
      p.textContent = snippet(d.b, terms);
      item.appendChild(a);
      item.appendChild(page);
      item.appendChild(p);
      list.appendChild(item);
    });
    results.appendChild(list);
  }

  document.addEventListener("DOMContentLoaded", function () {
    addCopyButtons();
    addArrowKeys();
    var results = document.getElementById("search-results");
    if (results) runSearch(results);
  });
})();
