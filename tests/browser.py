#!/usr/bin/python3
# browser: the HTML book, opened page by page in a real browser.
#
# Usage: tests/browser.py [BOOKDIR [SHOTDIR]]   (from the repository root,
#                                               after make book)
#
# Drives headless Chromium through Selenium and chromedriver (Debian's
# python3-selenium, chromium, chromium-driver; hence Debian's own python3).
# Every check is one function in CHECKS below: a generator that yields
# (what, problems) once per thing it checked, printed as one line,
# "PASS browser: what" or "FAIL browser: what: problem; problem". A new
# check opens a page with b.open, acts
# through b.driver (Selenium: find_element, send_keys, ActionChains) or
# b.run (JavaScript), and can look at the window with b.shot.
#
#   - every page of BOOKDIR (out/book) at desktop width: no console error,
#     uncaught exception or failed load; every image decoded; every link and
#     image inside the site, to a file that exists and, for #fragment in a
#     page, an element with that id;
#   - every page at phone width (390 px): no sideways scroll;
#   - one chapter page at desktop and phone width, light and dark, saved as
#     SHOTDIR/MODE.png (MODE: desktop, phone, desktop-dark, phone-dark) and
#     checked by its pixels: not blank, a light or dark background as asked,
#     no sideways scroll; and opened at a named chunk (SHOTDIR/MODE-chunk.png):
#     the chunk's code block inside the window, not covered, its text showing;
#   - search.html?q=kprintf finds the chapter defining kernel/kprintf.c; a
#     chunk's Copy button copies its code with uses as <<name>>; the arrow
#     keys open the next and previous page; every chapter links to its
#     source, and the site's copy shows chapters/NN-slug.nw as it is;
#     without JavaScript, search.html points to the indexes.
#
# Pixels are read with netpbm (pngtopnm, pamcut, ppmhist). Bounded: a page
# load or a command to the browser gives up after TIMEOUT seconds, three
# pages failing in a row stop the run, and the whole run stops after TOTAL
# seconds. chromedriver and Chromium run in a process group of their own,
# killed at the end, on failure, and on SIGINT, SIGTERM or SIGHUP.
#
# Chromium keeps its sandbox. It refuses to start as root unless the sandbox
# is off, so as root it runs as the user nobody (the book must be readable by
# all). Where the kernel allows no user namespaces (some containers), set
# CHROMIUM_NO_SANDBOX=1. Chromium's and chromedriver's messages go to
# SHOTDIR/chromium.log.
import collections
import functools
import os
import pwd
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import urllib.parse

from selenium import webdriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.remote_connection import RemoteConnection

CHROMIUM = os.environ.get("CHROMIUM", "/usr/lib/chromium/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
TIMEOUT = 30        # seconds: one page load or one command
TOTAL = 900         # seconds: the whole run (a few minutes on a busy machine)
MAX_FAILURES = 3    # page loads failing in a row before the browser counts as lost
DESKTOP = (1280, 900, False)   # width, height, mobile
PHONE = (390, 844, True)
MODES = [("desktop", DESKTOP, False), ("phone", PHONE, False),
         ("desktop-dark", DESKTOP, True), ("phone-dark", PHONE, True)]

# Pixels: a page shows text when it has several colours and enough pixels
# that stand out from the background (the most common colour) by CONTRAST
# luminance levels (of 255).
MIN_COLOURS = 16
CONTRAST = 96
MIN_INK = 0.005         # of the pixels
LIGHT_BACKGROUND = 200  # luminance at least
DARK_BACKGROUND = 60    # luminance at most

# What a page says about itself once loaded.
PROBE = """return {
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
                         ' "' + e.textContent.slice(0, 40) + '"')
}"""

# The last chunk of the page whose code fits on a phone (at most 12 lines),
# so that reaching it needs a scroll: [id of its code block, its name].
NAMED_CHUNK = """
const blocks = Array.from(document.querySelectorAll('.nwchunk div.sourceCode[id]'))
    .filter(d => d.querySelectorAll('code > span').length <= 12 &&
                 d.closest('.nwchunk').querySelector('.nwname'));
const d = blocks.pop();
return d ? [d.id, d.closest('.nwchunk').querySelector('.nwname').textContent] : null;"""

# Where element arguments[0] is in the window, and what is on top of it
# (4 px inside its top edge, and at its centre).
BOX = """
const e = document.getElementById(arguments[0]), r = e.getBoundingClientRect();
const root = document.documentElement, x = r.left + r.width / 2;
const on = y => { const h = document.elementFromPoint(x, y);
                  return !h || e.contains(h) ? null : h.tagName.toLowerCase() +
                         (h.className ? '.' + h.className : ''); };
return { left: r.left, top: r.top, width: r.width, height: r.height,
         vw: root.clientWidth, vh: root.clientHeight,
         covered: on(r.top + 4) || on(r.top + r.height / 2) };"""


class Stopped(BaseException):
    """A signal, the time limit, or a browser that stopped answering (a
    BaseException, so that no library's "except Exception" swallows it)."""


def on_signal(sig, frame):
    raise Stopped(f"over {TOTAL} s" if sig == signal.SIGALRM else signal.Signals(sig).name)


class Page:
    def __init__(self, name, failure=None, errors=(), probe=None):
        self.name, self.failure, self.errors, self.probe = name, failure, list(errors), probe


class Browser:
    """Headless Chromium under chromedriver, with the pages of one book."""

    def __init__(self, book, shotdir):
        self.book, self.shotdir = book, shotdir
        self.pages = sorted((os.path.relpath(os.path.join(d, f), book)
                             for d, _, files in os.walk(book) for f in files
                             if f.endswith(".html")), key=os.fsencode)
        chapters = [p for p in self.pages if re.fullmatch(r"\d\d-.*\.html", p)]
        self.page = (chapters[1:2] or chapters or ["index.html"])[0]   # photographed
        self.visited, self.screenshots, self.failures = {}, None, 0
        self.profile = tempfile.mkdtemp(prefix="browser-test.")
        self.log = open(os.path.join(shotdir, "chromium.log"), "wb")
        self.service = self.driver = None

    def start(self):
        options = Options()
        options.binary_location = CHROMIUM
        for flag in ["--headless", "--disable-gpu", "--hide-scrollbars",
                     "--disable-extensions", "--disable-component-update",
                     "--disable-smooth-scrolling",    # the wheel scrolls at once
                     "--disable-dev-shm-usage",       # containers' /dev/shm is often small
                     "--user-data-dir=" + self.profile]:
            options.add_argument(flag)
        if os.environ.get("CHROMIUM_NO_SANDBOX"):
            options.add_argument("--no-sandbox")
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        run_as = {"start_new_session": True}
        if os.geteuid() == 0 and not os.environ.get("CHROMIUM_NO_SANDBOX"):
            nobody = pwd.getpwnam("nobody")
            # nobody may not reach the book (root's home is 0700 on Debian):
            # Chromium opens a copy inside its own profile.
            copy = os.path.join(self.profile, "book")
            shutil.copytree(self.book, copy)
            self.book = copy
            for d, dirs, files in os.walk(self.profile):
                for name in [d] + [os.path.join(d, f) for f in files]:
                    os.chown(name, nobody.pw_uid, nobody.pw_gid)
            run_as.update(user=nobody.pw_uid, group=nobody.pw_gid, extra_groups=[])
        RemoteConnection.set_timeout(TIMEOUT + 15)   # beyond the page load timeout
        self.service = Service(CHROMEDRIVER, log_file=self.log, popen_kw=run_as,
                               env=dict(os.environ, HOME=self.profile))
        self.driver = webdriver.Chrome(service=self.service, options=options)
        self.driver.set_page_load_timeout(TIMEOUT)
        self.driver.set_script_timeout(TIMEOUT)

    def stop(self):
        """Kills chromedriver and Chromium (their profile is thrown away, so
        nothing is lost by not closing them politely)."""
        process = self.service and self.service.process
        if process:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait(TIMEOUT)
        shutil.rmtree(self.profile, ignore_errors=True)
        self.log.close()

    def emulate(self, viewport, dark=False):
        width, height, mobile = viewport
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
        self.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [
            {"name": "prefers-color-scheme", "value": "dark" if dark else "light"}]})

    def open(self, page, fragment=""):
        """Loads PAGE; the errors logged meanwhile (console, exceptions, loads)."""
        self.driver.get_log("browser")   # forget the page before
        url = "file://" + urllib.parse.quote(os.path.join(self.book, page))
        self.driver.get(url + (fragment and "#" + fragment))
        return [e["message"] for e in self.driver.get_log("browser") if e["level"] == "SEVERE"]

    def run(self, script, *args):
        return self.driver.execute_script(script, *args)

    def visit(self, viewport):
        """Every page loaded and probed at VIEWPORT (once: kept for later checks)."""
        if viewport not in self.visited:
            self.emulate(viewport)
            self.visited[viewport] = [self.load(p) for p in self.pages]
        return self.visited[viewport]

    def load(self, page):
        try:
            errors = self.open(page)
            if self.driver.current_url.startswith("chrome-error:"):   # its own error page
                raise RuntimeError("Chromium could not open the file")
            probe = self.run(PROBE)
            self.failures = 0
            return Page(page, errors=errors, probe=probe)
        except Exception as e:
            self.failures += 1
            why = str(getattr(e, "msg", None) or e).strip().split("\n")[0]
            if self.failures >= MAX_FAILURES:
                raise Stopped(f"{MAX_FAILURES} pages in a row did not load, the last: {why}")
            return Page(page, failure=why)

    def shot(self, name=None):
        """The window as a Picture, saved as SHOTDIR/NAME.png if NAME."""
        png = self.driver.get_screenshot_as_png()
        path = name and os.path.join(self.shotdir, name + ".png")
        if path:
            with open(path + ".tmp", "wb") as f:
                f.write(png)
            os.replace(path + ".tmp", path)
        return Picture(path, png)

    def scroll_sideways(self):
        """Scrolls 200 px right with the mouse wheel; how far the window moved."""
        ActionChains(self.driver).scroll_by_amount(200, 0).perform()
        return self.driver.execute_async_script(   # once two frames have been drawn
            "const done = arguments[0];"
            "requestAnimationFrame(() => requestAnimationFrame(() => done(visualViewport.pageLeft)))")


def netpbm(command, data):
    return subprocess.run(command, input=data, capture_output=True,
                          timeout=TIMEOUT, check=True).stdout


class Picture:
    """A screenshot: its file, size and pixels (a PPM)."""

    def __init__(self, path, png):
        self.path, self.png = path, png
        self.width, self.height = struct.unpack(">II", png[16:24])   # the IHDR chunk
        self.ppm = netpbm(["pngtopnm"], png)

    def colours(self, box=None):
        """[(luminance, pixels)] of every colour, in BOX (left, top, width,
        height) if given."""
        ppm = self.ppm
        if box:
            left, top, width, height = box
            ppm = netpbm(["pamcut", "-left", str(left), "-top", str(top),
                          "-width", str(width), "-height", str(height)], ppm)
        lines = netpbm(["ppmhist", "-noheader"], ppm).decode().splitlines()
        return [(int(f[3]), int(f[4])) for f in map(str.split, lines)]

    def background(self):
        return max(self.colours(), key=lambda c: c[1])[0]

    def blank(self, box=None):
        """Why the picture (or BOX in it) shows no text, or [] if it does."""
        colours = self.colours(box)
        back = max(colours, key=lambda c: c[1])[0]
        ink = sum(n for lum, n in colours if abs(lum - back) >= CONTRAST)
        ink /= sum(n for _, n in colours)
        problems = []
        if len(colours) < MIN_COLOURS:
            problems.append(f"only {len(colours)} colour(s)")
        if ink < MIN_INK:
            problems.append(f"{ink:.2%} of the pixels stand out from the background")
        return problems


Shot = collections.namedtuple("Shot", "viewport dark picture scrolled moved")


def shots(b):
    """The photographed page at its top in every mode (once: kept for later
    checks), each with the picture after a turn of the wheel sideways and
    how far that moved the window."""
    if b.screenshots is None:
        b.screenshots = []
        for mode, viewport, dark in MODES:
            b.emulate(viewport, dark)
            b.open(b.page)
            picture = b.shot(mode)
            moved = b.scroll_sideways()
            b.screenshots.append(Shot(viewport, dark, picture, b.shot(), moved))
    return b.screenshots


# ---- the checks: each yields (what, problems) per thing checked ---------------

def console_errors(b):
    for page in b.visit(DESKTOP):
        yield f"{page.name}: no console error or failed load", \
            page.errors + ([page.failure] if page.failure else [])


def images_show(b):
    for page in b.visit(DESKTOP):
        if page.probe:
            yield f"{page.name}: every image shows", page.probe["badimages"]


def links_resolve(b):
    pages = b.visit(DESKTOP)
    ids = {p.name: set(p.probe["ids"]) for p in pages if p.probe}
    for page in pages:
        if page.probe:
            links = sorted(set(page.probe["links"]))
            yield f"{page.name}: every link and image resolves", \
                [bad for bad in (broken_link(b.book, link, ids) for link in links) if bad]


def broken_link(book, link, ids):
    """What is wrong with LINK (a URL in a page of BOOK), or None."""
    url = urllib.parse.urlsplit(link)
    if url.scheme in ("http", "https", "mailto", "data"):
        return None
    if url.scheme != "file":
        return f"{link} (scheme)"
    path, rel, is_file = site_file(book, urllib.parse.unquote(url.path))
    if not rel:
        return f"{path} (outside the site)"
    if not is_file:
        return f"{rel} (no file)"
    fragment = urllib.parse.unquote(url.fragment)
    if fragment and rel in ids and fragment not in ids[rel]:   # (rel loaded)
        return f"{rel}#{url.fragment} (no such id)"
    return None


@functools.lru_cache(maxsize=None)   # the same links are on every page
def site_file(book, path):
    """PATH resolved, relative to BOOK (None if outside it), and whether it is a file."""
    path = os.path.realpath(path)
    rel = os.path.relpath(path, book) if path.startswith(book + os.sep) else None
    return path, rel, os.path.isfile(path)


def phone_no_sideways_scroll(b):
    for page in b.visit(PHONE):
        what = f"{page.name}: no sideways scroll at {PHONE[0]} px"
        if page.failure:
            yield what, [page.failure]
        elif page.probe["overflow"] > 0:
            yield what, [f"{page.probe['overflow']} px too wide: " + "; ".join(page.probe["wide"])]
        else:
            yield what, []


def shots_not_blank(b):
    for shot in shots(b):
        p, (width, height, _) = shot.picture, shot.viewport
        size = [] if (p.width, p.height) == (width, height) else \
            [f"{p.width}x{p.height} px, not {width}x{height}"]
        yield f"{p.path}: not blank", size + p.blank()


def shots_light_or_dark(b):
    for shot in shots(b):
        back = shot.picture.background()
        if shot.dark:
            yield f"{shot.picture.path}: dark background", \
                [] if back <= DARK_BACKGROUND else [f"luminance {back}"]
        else:
            yield f"{shot.picture.path}: light background", \
                [] if back >= LIGHT_BACKGROUND else [f"luminance {back}"]


def shots_no_sideways_scroll(b):
    for shot in shots(b):
        yield f"{shot.picture.path}: no sideways scroll", \
            ([f"the wheel moved it {shot.moved} px"] if shot.moved else []) + \
            ([] if shot.scrolled.ppm == shot.picture.ppm else ["the picture moved"])


def chunk_in_view(b):
    b.emulate(DESKTOP)
    b.open(b.page)
    chunk = b.run(NAMED_CHUNK)
    if not chunk:
        yield f"{b.page}: a named chunk to open", ["none with at most 12 lines"]
        return
    block, name = chunk
    for mode, viewport, dark in MODES:
        b.emulate(viewport, dark)
        b.open(b.page, block)
        box = b.run(BOX, block)
        picture = b.shot(mode + "-chunk")
        left, top = round(box["left"]), round(box["top"])
        width, height = round(box["width"]), round(box["height"])
        problems = []
        if width <= 0 or height <= 0:
            problems.append(f"{width}x{height} px")
        elif left < 0 or top < 0 or left + width > box["vw"] or top + height > box["vh"]:
            problems.append(f"at {left},{top} {width}x{height}, "
                            f"outside the window {box['vw']}x{box['vh']}")
        else:
            if box["covered"]:
                problems.append(f"covered by {box['covered']}")
            problems += picture.blank((left, top, width, height))
        yield f"{picture.path}: code block of {name} (#{block}) in view", problems


def chapter_pages(b):
    return [p for p in b.pages if re.fullmatch(r"\d\d-.*\.html", p)]


def wait_for(b, condition, what):
    """Waits up to TIMEOUT s for the JavaScript CONDITION to be true."""
    from selenium.webdriver.support.ui import WebDriverWait
    try:
        WebDriverWait(b.driver, TIMEOUT).until(lambda d: d.execute_script("return " + condition))
        return []
    except Exception:
        return [f"no {what} after {TIMEOUT} s"]


def search_finds(b):
    """search.html?q=kprintf lists, among its first results, the chapter
    whose code defines kernel/kprintf.c."""
    b.emulate(DESKTOP)
    word = "kprintf"
    b.driver.get("file://" + urllib.parse.quote(os.path.join(b.book, "search.html")) + "?q=" + word)
    problems = wait_for(b, "document.querySelector('#search-results ol') !== null", "result list")
    hits = [] if problems else b.run(
        "return Array.from(document.querySelectorAll('#search-results li > a'), a => a.getAttribute('href'))")
    defining = [p for p in chapter_pages(b)
                if "⟨kernel/kprintf.c⟩" in open(os.path.join(b.book, p), encoding="utf-8").read()]
    if not problems and not hits:
        problems.append("no result")
    elif not problems and not any(h.split("#")[0] in defining for h in hits[:5]):
        problems.append(f"the first results {hits[:5]} miss {defining or 'the defining chapter'}")
    yield f"search.html?q={word}: a first result is the chapter defining kernel/kprintf.c", problems


def copy_button(b):
    """The Copy button of a chunk that uses another copies its code with the
    use written <<name>>."""
    b.emulate(DESKTOP)
    b.open(b.page)
    found = b.run("""
      for (const chunk of document.querySelectorAll('.nwchunk')) {
        const use = chunk.querySelector('pre a.nwuse'), button = chunk.querySelector('button.copy');
        if (use && button) { button.scrollIntoView(); button.click();
          return [use.textContent, chunk.querySelector('pre code').textContent]; }
      }
      return null;""")
    if not found:
        yield f"{b.page}: a Copy button on a chunk using another", ["none found"]
        return
    use, shown = found
    problems = wait_for(b, "document.querySelector('button.copy[data-copied]') !== null", "copied text")
    copied = "" if problems else b.run("return document.querySelector('button.copy[data-copied]').dataset.copied")
    noweb = functools.partial(re.sub, r"⟨(.*?)(?: [0-9]+\.[0-9]+(?:, [0-9]+\.[0-9]+)*)?⟩", r"<<\1>>")
    name = noweb(use)[2:-2]
    if not problems:
        if f"<<{name}>>" not in copied:
            problems.append(f"<<{name}>> not in the copied text")
        if "⟨" in copied:
            problems.append("a woven ⟨use⟩ left in the copied text")
        if copied.rstrip("\n") != noweb(shown).rstrip("\n"):
            problems.append("the copied code differs from the code shown")
    yield f"{b.page}: Copy copies the chunk with <<{name}>>", problems


def arrow_keys(b):
    """The right and left arrow keys open the next and the previous page."""
    from selenium.webdriver.common.keys import Keys
    b.emulate(DESKTOP)
    for key, rel in [(Keys.ARROW_RIGHT, "next"), (Keys.ARROW_LEFT, "prev")]:
        b.open(b.page)
        want = b.run(f"const a = document.querySelector('a[rel={rel}]'); return a && a.href")
        if not want:
            yield f"{b.page}: {rel} key", [f"no {rel} link"]
            continue
        b.driver.find_element("tag name", "body").send_keys(key)
        problems = wait_for(b, f"location.href === {want!r}", f"{rel} page")
        yield f"{b.page}: the {rel} arrow key opens {os.path.basename(want)}", problems


def source_link(b):
    """Every chapter links to its source, and the page there shows it."""
    for page in chapter_pages(b):
        b.open(page)
        href = b.run("const a = document.querySelector('a.source'); return a && a.href")
        problems = []
        if not href:
            problems.append("no link")
        elif href.startswith("file:"):
            b.driver.get(href)
            text = b.run("const p = document.querySelector('pre'); return p && p.textContent") or ""
            source = os.path.splitext(page)[0] + ".nw"
            with open(os.path.join("chapters", source), encoding="utf-8") as f:
                if text.rstrip("\n") != f.read().rstrip("\n"):
                    problems.append(f"{href} does not show chapters/{source}")
        yield f"{page}: links to its source", problems


def without_javascript(b):
    """With JavaScript off, search.html points to the indexes, and a chapter
    shows its code with no Copy button."""
    b.emulate(DESKTOP)
    b.driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        b.open("search.html")
        text = b.driver.find_element("tag name", "main").text
        links = [a.get_attribute("href") for a in b.driver.find_elements("css selector", "#search-results a")]
        problems = [] if "needs JavaScript" in text else ["no word that searching needs JavaScript"]
        problems += [] if any(h.endswith("identifiers.html") for h in links) else ["no link to the index"]
        yield "search.html without JavaScript: points to the indexes", problems
        b.open(b.page)
        code = b.driver.find_elements("css selector", ".nwchunk pre code")
        buttons = b.driver.find_elements("css selector", "button.copy")
        yield f"{b.page} without JavaScript: code shown, no Copy button", \
            ([] if code and code[0].is_displayed() else ["no code shown"]) + \
            ([f"{len(buttons)} Copy buttons"] if buttons else [])
    finally:
        b.driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})


def pages_opened(b):
    yield f"opened {len(b.pages)} pages", [] if b.pages else [f"no page in {b.book}"]


CHECKS = [console_errors, images_show, links_resolve, phone_no_sideways_scroll,
          shots_not_blank, shots_light_or_dark, shots_no_sideways_scroll,
          chunk_in_view, search_finds, copy_button, arrow_keys, source_link,
          without_javascript, pages_opened]


def report(what, problems):
    line = ("FAIL" if problems else "PASS") + " browser: " + what
    if problems:
        line += ": " + "; ".join(problems)
    print(line.replace("\n", " "), flush=True)
    return not problems


def main():
    book = os.path.realpath(sys.argv[1] if len(sys.argv) > 1 else "out/book")
    shots_dir = sys.argv[2] if len(sys.argv) > 2 else "out/test/browser"
    if not os.path.isfile(os.path.join(book, "index.html")):
        return report(f"{book}/index.html (make book first)", ["missing"])
    os.makedirs(shots_dir, exist_ok=True)
    b = Browser(book, shots_dir)
    signals = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGALRM}
    for sig in signals:
        signal.signal(sig, on_signal)
    ok = True
    try:
        signal.alarm(TOTAL)
        b.start()
        for check in CHECKS:
            for what, problems in check(b):
                ok &= report(what, problems)
    except Stopped as e:
        ok = report("the run", [f"stopped: {e} (see {shots_dir}/chromium.log)"])
    except Exception as e:
        ok = report("the run", [f"{type(e).__name__}: {getattr(e, 'msg', None) or e}"
                                f" (see {shots_dir}/chromium.log)"])
    finally:
        signal.pthread_sigmask(signal.SIG_BLOCK, signals)   # nothing stops the cleanup
        b.stop()
    return ok


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
