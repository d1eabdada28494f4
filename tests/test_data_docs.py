"""The Data Docs site loads nothing from outside the machine and carries no identifier.

GX builds its pages with Bootstrap, jQuery, Font Awesome, Vega… from public CDNs and a logo whose
address holds the data context's id. The published site must name no outside address at all in its
pages, styles and scripts: every asset is a local copy, and nothing says who built the site.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from pipelines.shared import data_docs
from pipelines.shared import gx_suites as suites
from pipelines.shared.gx_suites import build_data_docs, run_suites
from pipelines.shared.quality_checks import TABLE_SUITES, rule_context
from ptce.paths import DataLayout

# An outside address: with a scheme, or protocol-relative (`//cdn.example.org/...`).
_URL = re.compile(
    r"(?:\b(?:https?|wss?|ftp):)?(?<![\w/])//[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)+[^\s\"'()<>`\\]*",
    re.IGNORECASE,
)
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
# Names, never fetched: XML namespace names (an SVG drawn by a script or a style says which
# vocabulary it uses) …
_NAMESPACES = {
    "http://www.w3.org/2000/svg",
    "http://www.w3.org/1999/xlink",
    "http://www.w3.org/1999/xhtml",
    "http://www.w3.org/2000/xmlns/",
    "http://www.w3.org/XML/1998/namespace",
}
# … and, inside the vendored scripts, texts that are never requested: addresses quoted in error
# messages (Bootstrap's "require Popper.js (https://popper.js.org/)", a Vega-Lite issue), the
# `$schema` name Vega-Lite writes into the specs it compiles, and vega-embed's "open in editor"
# link, which GX switches off (`actions: false`).
_SCRIPT_TEXTS = {
    "https://popper.js.org/",
    "https://github.com/vega/vega-lite/issues/2415",
    "https://vega.github.io/schema/vega/v5.json",
    "https://vega.github.io/editor/",
}


def external_urls(site: Path) -> dict[str, list[str]]:
    """Every outside address in the site's .html, .css and .js files, by file (relative path).

    Pages are read whole: attributes, inline styles and scripts, text. Styles and scripts are read
    without their comments (licence banners name their authors' sites: not a request).
    """
    found: dict[str, list[str]] = {}
    for path in sorted(site.rglob("*")):
        if path.suffix not in {".html", ".css", ".js"}:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix != ".html":
            text = _COMMENT.sub("", text)
        allowed = _NAMESPACES | (_SCRIPT_TEXTS if path.suffix == ".js" else set())
        urls = [u for u in _URL.findall(text) if u.rstrip("/;,.") not in {a.rstrip("/") for a in allowed}]
        if urls:
            found[str(path.relative_to(site))] = sorted(set(urls))
    return found


def test_url_finder_sees_every_kind_of_address(tmp_path: Path) -> None:
    """The finder itself: scheme, protocol-relative, in attributes, CSS url() and script text."""
    (tmp_path / "a.html").write_text(
        '<link href="//cdn.example.org/x.css"><img src=https://s3.example.com/l.png?id=1>'
        "<style>b{background:url(https://img.example.net/b.png)}</style>"
        '<script>fetch("http://api.example.io/t")</script><p>// just a comment</p>',
        encoding="utf-8",
    )
    (tmp_path / "s.css").write_text("/* https://licence.example.org */ a{b:url(//fonts.example.com/f)}")
    (tmp_path / "j.js").write_text(
        '/*! https://banner.example.org */ s.setAttribute("xmlns","http://www.w3.org/2000/svg")'
    )
    found = external_urls(tmp_path)
    assert found == {
        "a.html": sorted(
            [
                "//cdn.example.org/x.css",
                "https://s3.example.com/l.png?id=1",
                "https://img.example.net/b.png",
                "http://api.example.io/t",
            ]
        ),
        "s.css": ["//fonts.example.com/f"],
    }


def test_published_data_docs_name_no_outside_address(demo_data_dir: Path) -> None:
    site = DataLayout(demo_data_dir).data_docs_dir
    pages = list(site.rglob("*.html"))
    assert len(pages) > 20
    assert external_urls(site) == {}


def test_every_local_reference_resolves(demo_data_dir: Path) -> None:
    """Scripts, styles, images and fonts all come from files the site holds."""
    site = DataLayout(demo_data_dir).data_docs_dir
    missing = set()
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for ref in re.findall(r"""\b(?:src|href)=["']([^"'#][^"']*)["']""", text):
            if _URL.match(ref) or ref.startswith(("javascript:", "mailto:")):
                continue  # outside addresses: the test above
            if not (page.parent / ref).resolve().is_file():
                missing.add((str(page.relative_to(site)), ref))
    for css in site.rglob("*.css"):
        for ref in re.findall(
            r"""url\(["']?([^"')]+)["']?\)""", _COMMENT.sub("", css.read_text(encoding="utf-8"))
        ):
            if (
                not _URL.match(ref)
                and not ref.startswith("data:")
                and not (css.parent / ref).resolve().is_file()
            ):
                missing.add((str(css.relative_to(site)), ref))
    assert not missing


def test_data_docs_carry_no_identifier(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The data context's id (GX put it in the logo's address) appears nowhere in the site."""
    ids: list[str] = []
    make_context = suites._context

    def recording_context(*args, **kwargs):
        context = make_context(*args, **kwargs)
        ids.append(str(context.variables.data_context_id))
        return context

    monkeypatch.setattr(suites, "_context", recording_context)
    suite = next(s for s in TABLE_SUITES if s.check_name == "gx_poles")
    frame = pd.DataFrame({"pole_id": ["x"], "numero": [1], "latitude": [45.0]})
    run_suites((suite,), {"poles": frame}, rule_context(), tmp_path / "gx")
    build_data_docs(tmp_path / "gx", tmp_path / "site")
    assert ids and all(ids)
    text = "".join(
        p.read_text(encoding="utf-8", errors="replace") for p in (tmp_path / "site").rglob("*.*ml")
    )
    assert "dataContextId" not in text
    assert not any(i in text for i in ids)


def test_gx_template_assets_are_all_vendored() -> None:
    """Each outside asset GX's templates name is either vendored or dropped on purpose.

    A newer GX that adds a CDN script fails here: vendor it in data_docs_assets/ (see its README).
    """
    import great_expectations

    view = Path(great_expectations.__file__).parent / "render" / "view"
    named: set[str] = set()
    for path in [*view.glob("templates/*.j2"), *view.glob("static/styles/*.css")]:
        text = path.read_text(encoding="utf-8")
        named |= set(re.findall(r"""(?:src|href)=["']((?:https?:)?//[^"']+)["']""", text))
        named |= set(re.findall(r"""url\(["']?((?:https?:)?//[^"')]+)["']?\)""", text))
        named |= set(re.findall(r"""["']((?:https?:)?//[^"']+/)["']""", text))  # address prefixes
    unknown = {u for u in named if u not in data_docs.ASSETS and not data_docs.is_dropped(u)}
    assert not unknown
    for local in data_docs.ASSETS.values():
        assert (data_docs.VENDOR_DIR / local).is_file(), local


def test_vendored_copies_are_the_files_gx_expects() -> None:
    """Where GX's templates pin a CDN file by its integrity hash, the vendored copy has that hash."""
    import base64
    import hashlib

    import great_expectations

    templates = Path(great_expectations.__file__).parent / "render" / "view" / "templates"
    pinned = {}
    for path in templates.glob("*.j2"):
        for url, algo, digest in re.findall(
            r"""src=["']([^"']+)["'][^>]*\bintegrity=["'](sha\d+)-([^"']+)["']""",
            path.read_text(encoding="utf-8"),
        ):
            pinned[url] = (algo, digest)
    assert len(pinned) >= 2  # Popper and Bootstrap's script
    for url, (algo, digest) in pinned.items():
        data = (data_docs.VENDOR_DIR / data_docs.ASSETS[url]).read_bytes()
        assert base64.b64encode(hashlib.new(algo, data).digest()).decode() == digest, url


def test_page_rewrite_keeps_assets_local_and_drops_the_rest() -> None:
    """What GX writes is pointed at the vendored copies; an asset nobody vendored yet is removed."""
    page = (
        '<html><head><script src="https://code.jquery.com/jquery-3.7.1.min.js"></script>'
        '<script src="https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js" '
        'integrity="sha384-x" crossorigin="anonymous"></script>'
        '<link rel="stylesheet" href="https://cdn.example.org/new.css">'
        '<script src="//cdn.example.org/new.js"></script>'
        '<style>@import url("https://fonts.example.com/f.css"); a{background:url(https://img.example.com/a.png)}'
        ".navbar-brand a{background:url('https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/x.png')}"
        '</style><link rel="shortcut icon" href="../../../static/images/favicon.ico"/></head><body>'
        '<div class="float-left navbar-brand m-0 h-100"><a href="../../../../index.html"><img class="NO-CACHE" '
        'src="https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/logo-long.png?d=1&dataContextId=ab12" '
        'alt="Great Expectations"/></a></div>'
        '<p>Data Docs autogenerated using <a href="https://greatexpectations.io">Great Expectations</a>.</p>'
        '<footer><p>Newsletter <a href="https://greatexpectations.io/newsletter?utm_source=datadocs">Subscribe</a>'
        '</p></footer><img src="https://tracker.example.net/pixel.gif"></body></html>'
    )
    html, removed = data_docs.localize_page(page, depth=4)
    assert set(removed) == {
        '@import url("https://fonts.example.com/f.css");',
        "//cdn.example.org/new.js",
        "https://cdn.example.org/new.css",
        "https://img.example.com/a.png",
        "https://tracker.example.net/pixel.gif",
    }
    assert not [u for u in _URL.findall(html) if u not in _NAMESPACES]
    assert 'src="../../../../static/vendor/jquery-3.7.1/jquery.min.js"' in html
    assert '<script src="../../../../static/vendor/popper.js-1.12.9/umd/popper.min.js"></script>' in html
    assert 'href="../../../../static/images/favicon.ico"' in html  # GX's depth was one short
    assert '<a href="../../../../index.html"><span class="ptce-brand">Observatoire PTCE</span></a>' in html
    assert "Data Docs autogenerated using Great Expectations." in html
    assert "ab12" not in html and "Subscribe" not in html and "utm_" not in html
