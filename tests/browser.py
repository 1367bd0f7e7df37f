#!/usr/bin/env python3
"""browser.py: open every page of the HTML book in headless Chromium.

Usage: tests/browser.py BOOKDIR SHOTDIR PAGE CHROMIUM [FLAG...]

Helper of tests/browser.sh, which starts nothing itself: this script runs the
CHROMIUM command line given (with its flags) plus --remote-debugging-pipe, and
speaks the DevTools protocol over that pipe (file descriptors 3 and 4, no
network port). Chromium's own command line can screenshot and dump one page,
but cannot report a page's console errors, failed loads and DOM together, nor
emulate a phone or the dark theme, in one browser for all pages.

For every .html file under BOOKDIR, at desktop width (1280 px) it checks:
  - no console error, uncaught exception or failed load (a missing image,
    stylesheet, ...);
  - every link and image in the page (a, img, link): a target inside BOOKDIR
    that exists and, for a #fragment in an HTML page, an element with that id;
    no link leaves the site (file:// outside BOOKDIR);
  - every image decoded (naturalWidth > 0);
and at phone width (390 px) that the page does not scroll sideways.
It saves PAGE (relative to BOOKDIR) at 1280 and 390 px as SHOTDIR/desktop.png
and SHOTDIR/phone.png, and in the dark theme as SHOTDIR/desktop-dark.png and
SHOTDIR/phone-dark.png.

Prints one "PASS ..." or "FAIL ..." line per check; exits 1 if any failed.
"""
import base64
import json
import os
import select
import subprocess
import sys
import urllib.parse

TIMEOUT = 30  # seconds per page load


class Browser:
    def __init__(self, argv, log):
        self.log = log
        r_in, w_in = os.pipe()    # we write commands, Chromium reads fd 3
        r_out, w_out = os.pipe()  # Chromium writes fd 4, we read replies

        def fds():  # in the child: r_in as fd 3, w_out as fd 4, nothing else
            a, b = os.dup(r_in), os.dup(w_out)
            os.dup2(a, 3)
            os.dup2(b, 4)
            for fd in {r_in, w_in, r_out, w_out, a, b} - {3, 4}:
                os.close(fd)

        self.proc = subprocess.Popen(
            argv + ["--remote-debugging-pipe"], close_fds=False,
            preexec_fn=fds, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=self.log)
        os.close(r_in)
        os.close(w_out)
        self.w = os.fdopen(w_in, "wb")
        self.r = r_out
        self.buf = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def _messages(self):
        while b"\0" not in self.buf:
            ready, _, _ = select.select([self.r], [], [], TIMEOUT)
            if not ready:
                raise RuntimeError(f"no answer from Chromium in {TIMEOUT} s")
            c = os.read(self.r, 65536)
            if not c:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self.buf += c
        msg, _, self.buf = self.buf.partition(b"\0")
        return json.loads(msg)

    def call(self, method, params=None, session=True):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        self.w.write(json.dumps(msg).encode() + b"\0")
        self.w.flush()
        while True:
            m = self._messages()
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            if "method" in m:
                self.events.append(m)

    def wait_event(self, name):
        while True:
            for i, e in enumerate(self.events):
                if e["method"] == name:
                    del self.events[i]
                    return e
            self.events.append(self._messages())

    def close(self):
        try:
            self.call("Browser.close", session=False)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


# Collected in the page: ids, links (resolved), images that failed to decode,
# and whether the page is wider than the window.
PROBE = r"""JSON.stringify({
  ids: Array.from(document.querySelectorAll('[id]'), e => e.id)
        .concat(Array.from(document.querySelectorAll('a[name]'), e => e.name)),
  links: Array.from(document.querySelectorAll('a[href], link[href], img[src]'),
        e => e.href || e.src),
  badimages: Array.from(document.images).filter(i => !i.complete || i.naturalWidth == 0)
        .map(i => i.src),
  overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  wide: Array.from(document.querySelectorAll('body *')).filter(e =>
        e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 &&
        !e.closest('pre') && !(e.parentElement && e.parentElement.getBoundingClientRect().right >
                                document.documentElement.clientWidth + 1))
        .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') +
                         ' "' + e.textContent.slice(0, 40) + '"'),
  title: document.title
})"""


def main():
    book, shotdir, shotpage, chromium = sys.argv[1:5]
    flags = sys.argv[5:]
    book = os.path.realpath(book)
    os.makedirs(shotdir, exist_ok=True)
    pages = sorted(os.path.relpath(os.path.join(d, f), book)
                   for d, _, fs in os.walk(book) for f in fs if f.endswith(".html"))
    failed = False

    def result(ok, what):
        nonlocal failed
        print(("PASS" if ok else "FAIL") + " browser: " + what)
        failed |= not ok

    log = open(os.path.join(shotdir, "chromium.log"), "wb")
    b = Browser([chromium] + flags, log)
    target = b.call("Target.createTarget", {"url": "about:blank"}, session=False)
    att = b.call("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True},
                 session=False)
    b.session = att["sessionId"]
    for domain in ("Page", "Runtime", "Log", "Network"):
        b.call(domain + ".enable")

    def metrics(width, mobile):
        b.call("Emulation.setDeviceMetricsOverride",
               {"width": width, "height": 900 if not mobile else 844,
                "deviceScaleFactor": 1, "mobile": mobile})

    def load(page):
        b.events = []
        url = "file://" + urllib.parse.quote(os.path.join(book, page))
        b.call("Page.navigate", {"url": url})
        b.wait_event("Page.loadEventFired")
        # A round trip so that pending events of the load arrive.
        b.call("Runtime.evaluate", {"expression": "1"})
        r = b.call("Runtime.evaluate", {"expression": PROBE, "returnByValue": True})
        return json.loads(r["result"]["value"])

    def errors():
        out = []
        for e in b.events:
            m, p = e["method"], e.get("params", {})
            if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                out.append("console: " + " ".join(str(a.get("value", a.get("description", "")))
                                                   for a in p.get("args", [])))
            elif m == "Runtime.exceptionThrown":
                out.append("exception: " + p["exceptionDetails"].get("text", ""))
            elif m == "Log.entryAdded" and p["entry"].get("level") == "error":
                out.append("log: " + p["entry"].get("text", "") + " " + p["entry"].get("url", ""))
            elif m == "Network.loadingFailed":
                out.append("failed load: " + p.get("errorText", ""))
        return out

    # Desktop: errors, links, images.
    metrics(1280, False)
    info = {}
    for page in pages:
        info[page] = load(page)
        errs = errors()
        result(not errs, f"{page}: no console error or failed load"
               + ("" if not errs else ": " + "; ".join(errs)))
        bad = info[page]["badimages"]
        result(not bad, f"{page}: every image shows" + ("" if not bad else ": " + " ".join(bad)))

    ids = {p: set(i["ids"]) for p, i in info.items()}
    for page in pages:
        bad = []
        for link in sorted(set(info[page]["links"])):
            u = urllib.parse.urlsplit(link)
            if u.scheme in ("http", "https", "mailto", "data"):
                continue
            if u.scheme != "file":
                bad.append(link + " (scheme)")
                continue
            path = os.path.realpath(urllib.parse.unquote(u.path))
            rel = os.path.relpath(path, book)
            if rel.startswith(".."):
                bad.append(rel + " (outside the site)")
            elif not os.path.isfile(path):
                bad.append(rel + " (no file)")
            elif u.fragment and rel.endswith(".html") and \
                    urllib.parse.unquote(u.fragment) not in ids.get(rel, ()):
                bad.append(rel + "#" + u.fragment + " (no such id)")
        result(not bad, f"{page}: every link and image resolves"
               + ("" if not bad else ": " + " ".join(bad)))

    # Phone: no page-wide horizontal scroll.
    metrics(390, True)
    for page in pages:
        i = load(page)
        over = i["overflow"]
        result(over <= 0, f"{page}: no sideways scroll at 390 px"
               + ("" if over <= 0 else f" ({over} px too wide: {'; '.join(i['wide'])})"))

    # Screenshots, light and dark.
    for dark in (False, True):
        b.call("Emulation.setEmulatedMedia",
               {"features": [{"name": "prefers-color-scheme",
                              "value": "dark" if dark else "light"}]})
        for name, width, mobile in (("desktop", 1280, False), ("phone", 390, True)):
            metrics(width, mobile)
            load(shotpage)
            shot = b.call("Page.captureScreenshot", {"format": "png"})
            fname = os.path.join(shotdir, name + ("-dark" if dark else "") + ".png")
            with open(fname + ".tmp", "wb") as f:
                f.write(base64.b64decode(shot["data"]))
            os.replace(fname + ".tmp", fname)
            result(os.path.getsize(fname) > 1000, f"screenshot {fname}")

    b.close()
    result(len(pages) > 0, f"opened {len(pages)} pages")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
