"""Live bilingual preview: ``python -m pipeline serve`` -> the HTML briefs on 127.0.0.1, reloaded on save.

In: the project (sources, catalogs, templates).  Out: HTTP on 127.0.0.1:

* ``/`` lists every brief by locale; ``/<locale>/<slug>.html`` is the brief's web page,
  rendered in memory as the build renders it (gate, view, template; no PDF,
  nothing written to ``dist/``), kept until one of its inputs changes;
  ``/fonts/<name>`` the font subsets the page uses;
* ``/events``: server-sent events.  A thread watches ``locale/``, ``seeds/``
  and the templates (watchfiles); a saved catalog drops the pages it feeds
  (its brief in its locale; every brief of the locale for ``pipeline-ui``), a
  source its brief in every locale, a template every page, and each open page
  that was dropped reloads itself.

Each served page is rendered with ``preview``: every segment of the translation
is an element carrying its id (the built pages in ``dist/`` have none), and a
small script added here shows, on hover or click on a segment, its catalog
``path:line``, its status (translated, fuzzy, untranslated) and the QA findings
on it; a segment with findings is underlined.
"""

from __future__ import annotations

import html
import json
import logging
import queue
import threading
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from pipeline.build.run import gate_brief, single_job
from pipeline.config import UI_DOMAIN, Config
from pipeline.errors import PipelineError
from pipeline.files import read_or_empty
from pipeline.qa.findings import Finding
from pipeline.qa.gate import DRAFT, HELD
from pipeline.render.task import render_job
from pipeline.sources.reader import read_document, source_language

log = logging.getLogger("pipeline")

_CLIENT = """<script>
(() => {
  const segments = %s;
  document.querySelectorAll(".seg[data-seg]").forEach((seg) => {
    const info = segments[seg.dataset.seg];
    if (!info) return;
    const text = `${info.where} ${info.state}` + info.findings.map(f => `\\n  ${f}`).join("");
    seg.dataset.segment = text;
    seg.title = text;
    seg.classList.add(`seg-${info.state}`, info.findings.length ? "seg-findings" : "seg-clean");
    seg.addEventListener("click", () => { seg.classList.toggle("serve-open"); });
  });
  const events = new EventSource("/events");
  events.onmessage = (e) => {
    const changed = JSON.parse(e.data);
    if (changed.includes("*") || changed.includes(location.pathname)) location.reload();
  };
})();
</script>
<style>.seg:hover { outline: 1px dotted #996; cursor: help; } .seg-findings { box-shadow: inset 0 -2px #c60; }
  .serve-open::after { content: attr(data-segment); white-space: pre-wrap; display: block;
  font: 12px monospace; background: #ffd; border: 1px solid #cc9; padding: .3em; }</style>
"""


@dataclass(frozen=True, slots=True)
class Page:
    body: bytes
    fonts: dict[str, bytes]


class Preview:
    """The pages, rendered on demand and dropped when their inputs change; the subscribers to changes."""

    def __init__(self, config: Config, layout: str | None = None, numbers: bool = False) -> None:
        self.config = config
        self.layout = layout or config.layout
        self.numbers = numbers or config.numbers
        self._pages: dict[str, Page] = {}
        self._fonts: dict[str, bytes] = {}
        self._lock = threading.Lock()
        self._clients: list[queue.Queue[list[str]]] = []

    # --- pages ---------------------------------------------------------------------------

    def slugs(self) -> list[str]:
        return [p.name.removesuffix(".txt") for p in self.config.sources]

    def page(self, path: str) -> bytes | None:
        """The page at ``/<locale>/<slug>.html``, rendered if it is not cached."""
        with self._lock:
            hit = self._pages.get(path)
        if hit is not None:
            return hit.body
        parts = path.strip("/").split("/")
        if len(parts) != 2 or not parts[1].endswith(".html") or parts[0] not in self.config.locales:
            return None
        locale, slug = parts[0], parts[1].removesuffix(".html")
        source = self.config.path(self.config.source_dir) / f"{slug}.txt"
        if not source.is_file():
            return None
        try:
            page = self._render(source, locale)
        except PipelineError as exc:
            page = Page(_message(f"{slug} ({locale}) cannot be shown", str(exc)), {})
        with self._lock:
            self._pages[path] = page
            self._fonts.update(page.fonts)
        return page.body

    def font(self, name: str) -> bytes | None:
        with self._lock:
            return self._fonts.get(name)

    def _render(self, source: Path, locale: str) -> Page:
        config = self.config
        doc = read_document(config, source)
        catalog_path = config.po_path(locale, doc.slug)
        catalog = read_or_empty(catalog_path)
        gated = gate_brief(config, doc, locale, catalog)
        if gated.brief is None or gated.decision.status == HELD:
            reasons = [gated.decision.reason, *gated.blocking]
            return Page(_message(f"{doc.slug} ({locale}) is held back", "\n".join(reasons)), {})
        job = replace(
            single_job(
                config,
                gated.brief,
                draft=gated.decision.status == DRAFT,
                layout=self.layout,
                only_html=True,
                numbers=self.numbers,
            ),
            preview=True,
        )
        out = render_job(job)
        checked = gated.checked  # the gate's own check and parse of the catalog: not done again here
        findings = _findings(checked.findings if checked else [])
        shown = config.rel(catalog_path)
        # A translated piece comes from its entry; an untranslated or fuzzy one shows its source
        # text, which is the entry's msgid: give the entry's line either way.
        po = checked.po if checked else None
        lines = {e.msgid: e.linenum for e in po if not e.msgctxt} if po is not None else {}
        segments = {}
        for pair in gated.brief.pairs:
            for k, pc in enumerate(pair.target):
                where = (
                    str(pc.origin) if pc.state == "translated" or pc.text not in lines else f"{shown}:{lines[pc.text]}"
                )
                info = {"where": where, "state": pc.state, "findings": findings.get(where, [])}
                segments[f"{pair.number}.{k}"] = info
        script = (_CLIENT % json.dumps(segments, ensure_ascii=False).replace("</", "<\\/")).encode("utf-8")
        body = out.html.replace(b"</body>", script + b"</body>", 1)
        return Page(body, dict(out.fonts))

    def index(self) -> bytes:
        sources = self.config.sources
        targets = {p: self.config.targets(source_language(p)) for p in sources}  # none in a source's own language
        items = "".join(
            f'<li><a href="/{loc}/{slug}.html">{html.escape(loc)}: {html.escape(slug)}</a></li>'
            for loc in self.config.locales
            for p, slug in zip(sources, self.slugs(), strict=True)
            if loc in targets[p]
        )
        return f"<!DOCTYPE html><meta charset=utf-8><title>Preview</title><ul>{items}</ul>".encode()

    # --- changes ---------------------------------------------------------------------------

    def affected(self, changed: list[Path]) -> list[str]:
        """The page paths a set of changed files feeds ("*": every page)."""
        config = self.config
        locale_dir = config.path(config.locale_dir).resolve()
        source_dir = config.path(config.source_dir).resolve()
        out: set[str] = set()
        for path in (p.resolve() for p in changed):
            if path.suffix == ".po" and path.is_relative_to(locale_dir):
                locale = path.relative_to(locale_dir).parts[0]
                if path.stem == UI_DOMAIN:
                    out |= {f"/{locale}/{slug}.html" for slug in self.slugs()}
                else:
                    out.add(f"/{locale}/{path.stem}.html")
            elif path.is_relative_to(source_dir):
                slug = path.name.split(".")[0]
                out |= {f"/{loc}/{slug}.html" for loc in config.locales}
            elif path.name == "glossary.tbx" or not path.is_relative_to(locale_dir):
                return ["*"]  # templates, the glossary: every page
        return sorted(out)

    def changed(self, files: list[Path]) -> list[str]:
        """Drop the pages these files feed and tell the open pages; returns the paths dropped."""
        pages = self.affected(files)
        if not pages:
            return []
        with self._lock:
            if pages == ["*"]:
                self._pages.clear()
            for p in pages:
                self._pages.pop(p, None)
            clients = list(self._clients)
        for q in clients:
            q.put(pages)
        log.info("changed: %s", ", ".join(pages))
        return pages

    def subscribe(self) -> queue.Queue[list[str]]:
        q: queue.Queue[list[str]] = queue.Queue()
        with self._lock:
            self._clients.append(q)
        return q

    def unsubscribe(self, q: queue.Queue[list[str]]) -> None:
        with self._lock:
            if q in self._clients:
                self._clients.remove(q)

    def watched(self) -> list[Path]:
        c = self.config
        return [p for p in (c.path(c.locale_dir), c.path(c.source_dir), c.path(c.template_dir)) if p.is_dir()]


def _findings(found: list[Finding]) -> dict[str, list[str]]:
    """The QA findings of a catalog by entry ``path:line``."""
    out: dict[str, list[str]] = {}
    for f in found:
        if f.line:
            out.setdefault(f"{f.path}:{f.line}", []).append(f"{f.severity}: {f.message} [{f.check}]")
    return out


def _message(title: str, text: str) -> bytes:
    return (
        f"<!DOCTYPE html><meta charset=utf-8><title>{html.escape(title)}</title>"
        f"<h1>{html.escape(title)}</h1><pre>{html.escape(text)}</pre>"
        f'<script>new EventSource("/events").onmessage = () => location.reload();</script>'
    ).encode()


def _handler(preview: Preview, stop: threading.Event) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            log.info("%s", format % args)

        def _send(self, status: int, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            if path == "/":
                self._send(200, preview.index(), "text/html; charset=utf-8")
            elif path == "/events":
                self._events()
            elif path.startswith("/fonts/"):
                data = preview.font(path.removeprefix("/fonts/"))
                self._send(200, data, "font/woff2") if data else self._send(404, b"no such font", "text/plain")
            else:
                body = preview.page(path)
                if body is None:
                    self._send(404, b"no such page", "text/plain")
                else:
                    self._send(200, body, "text/html; charset=utf-8")

        def _events(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            q = preview.subscribe()
            try:
                self.wfile.write(b": connected\n\n")
                self.wfile.flush()
                while not stop.is_set():
                    try:
                        pages = q.get(timeout=0.5)
                    except queue.Empty:
                        continue
                    self.wfile.write(f"data: {json.dumps(pages)}\n\n".encode())
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass
            finally:
                preview.unsubscribe(q)

    return Handler


def _watch(preview: Preview, stop: threading.Event) -> None:
    import watchfiles  # only the preview watches files

    for changes in watchfiles.watch(*preview.watched(), stop_event=stop, debounce=100, step=20, rust_timeout=200):
        preview.changed(sorted({Path(p) for _, p in changes if not Path(p).name.startswith(".")}))


@dataclass
class Server:
    """A running preview: its address, and how to stop it."""

    httpd: ThreadingHTTPServer
    stop: threading.Event
    threads: list[threading.Thread]

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def close(self) -> None:
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        for t in self.threads:
            t.join(timeout=5)


def start(config: Config, *, port: int = 8000, layout: str | None = None, numbers: bool = False) -> Server:
    """Serve the preview on 127.0.0.1:``port`` (0: any free port) in background threads."""
    preview = Preview(config, layout, numbers)
    stop = threading.Event()
    httpd = ThreadingHTTPServer(("127.0.0.1", port), _handler(preview, stop))
    httpd.daemon_threads = True
    threads = [
        threading.Thread(target=httpd.serve_forever, name="serve-http", daemon=True),
        threading.Thread(target=_watch, args=(preview, stop), name="serve-watch", daemon=True),
    ]
    for t in threads:
        t.start()
    return Server(httpd, stop, threads)


def wait(server: Server) -> None:
    """Block until interrupted (Ctrl-C), then stop the server."""
    try:
        while not server.stop.wait(3600):
            pass
    finally:
        server.close()
