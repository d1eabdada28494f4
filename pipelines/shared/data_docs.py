"""Data Docs that load nothing from outside the machine and carry no identifier.

GX 1.x pages take Bootstrap, jQuery, Popper, bootstrap-table, bootstrap-datepicker, Font Awesome,
bootstrap-dark and Vega from public CDNs, a logo from GX's web assets whose address holds the data
context's id, and link to GX's site and newsletter. GX has no setting for any of it: the addresses
are written in its Jinja templates, and a custom views folder can add templates but not replace
GX's own (its loader comes first). So once GX has built the site, `localize_site` rewrites it:

- the vendored files of `data_docs_assets/` (copied once from their npm packages, with their
  licences: see the README there) go to the site's `static/vendor/`, and every page points at them;
- the logo gives way to the observatory's name; links to GX's sites keep their text only; the
  footer that advertises GX's newsletter goes;
- any other outside address left in a tag or a style (an asset a newer GX would add) is removed and
  reported, so that the pages never fetch anything from outside; `tests/test_data_docs.py` fails on
  such an address, for it to be vendored.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

VENDOR_DIR = Path(__file__).with_name("data_docs_assets")
SITE_VENDOR = "static/vendor"
BRAND = "Observatoire PTCE"

_CDNJS = "https://cdnjs.cloudflare.com/ajax/libs/"
_JSDELIVR = "https://cdn.jsdelivr.net/npm/"
_TABLE = "https://unpkg.com/bootstrap-table@"
_FILTER = "extensions/filter-control/bootstrap-table-filter-control"

# Outside address named by GX's templates -> vendored file, under data_docs_assets/.
ASSETS: dict[str, str] = {
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": (
        "bootstrap-4.3.1/css/bootstrap.min.css"
    ),
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": (
        "bootstrap-4.3.1/js/bootstrap.min.js"
    ),
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery-3.7.1/jquery.min.js",
    f"{_CDNJS}popper.js/1.12.9/umd/popper.min.js": "popper.js-1.12.9/umd/popper.min.js",
    f"{_TABLE}1.19.1/dist/bootstrap-table.min.css": "bootstrap-table-1.19.1/bootstrap-table.min.css",
    f"{_TABLE}1.19.1/dist/bootstrap-table.min.js": "bootstrap-table-1.19.1/bootstrap-table.min.js",
    f"{_TABLE}1.19.1/dist/{_FILTER}.min.js": f"bootstrap-table-1.19.1/{_FILTER}.min.js",
    # GX asks for the filter-control styles of 1.19.0 (two spellings); 1.19.1 ships the same rules.
    f"{_TABLE}1.19.0/dist/{_FILTER}.css": f"bootstrap-table-1.19.1/{_FILTER}.min.css",
    f"{_TABLE}1.19.0/dist/{_FILTER}.min.css": f"bootstrap-table-1.19.1/{_FILTER}.min.css",
    f"{_CDNJS}bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css": (
        "bootstrap-datepicker-1.9.0/css/bootstrap-datepicker.min.css"
    ),
    f"{_CDNJS}bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js": (
        "bootstrap-datepicker-1.9.0/js/bootstrap-datepicker.min.js"
    ),
    f"{_CDNJS}font-awesome/6.6.0/css/all.min.css": "fontawesome-free-6.6.0/css/all.min.css",
    f"{_JSDELIVR}@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css": (
        "bootstrap-dark-1.1.0/css/bootstrap-prefers-dark.min.css"
    ),
    # The CDN serves the latest 5.x / 6.x: the versions vendored are those it served when copied.
    f"{_JSDELIVR}vega@5": "vega-5.33.1/vega.min.js",
    f"{_JSDELIVR}vega-lite@5": "vega-lite-5.23.0/vega-lite.min.js",
    f"{_JSDELIVR}vega-embed@6": "vega-embed-6.29.0/vega-embed.min.js",
}

# GX's own sites: its logo (with the data context's id), home page, docs and newsletter. Dropped.
DROPPED_HOSTS = ("greatexpectations.io", "great-expectations-web-assets.s3.us-east-2.amazonaws.com")

_EXTERNAL = r"(?:(?:https?|wss?|ftp):)?//[^\s\"'<>()]+"
_IS_EXTERNAL = re.compile(rf"^\s*{_EXTERNAL}", re.IGNORECASE)
_FOOTER = re.compile(r"<footer\b[^>]*>.*?</footer>", re.IGNORECASE | re.DOTALL)
_EXTERNAL_LINK = re.compile(
    rf"""<a\b[^>]*?\bhref\s*=\s*(["']){_EXTERNAL}\1[^>]*>(.*?)</a\s*>""", re.IGNORECASE | re.DOTALL
)
_BRAND_LOGO = re.compile(
    rf"""(<div\b[^>]*\bnavbar-brand\b[^>]*>\s*<a\b[^>]*>)\s*<img\b[^>]*?\bsrc\s*=\s*(["']){_EXTERNAL}\2[^>]*>""",
    re.IGNORECASE | re.DOTALL,
)
_EXTERNAL_IMG = re.compile(rf"""<img\b[^>]*?\bsrc\s*=\s*(["'])({_EXTERNAL})\1[^>]*>""", re.IGNORECASE)
_ATTRIBUTE = re.compile(
    r"""(\s(?:src|href|srcset|poster|data|action|formaction|background)\s*=\s*)(["'])(.*?)\2""",
    re.IGNORECASE | re.DOTALL,
)
# Subresource-integrity hashes and CORS mode are for CDN copies; a page opened from disk
# (file://) cannot load a local script in CORS mode.
_SRI = re.compile(r"""\s(?:integrity|crossorigin)(?:\s*=\s*(["'])[^"']*\1)?(?=[\s/>])""", re.IGNORECASE)
_CSS_URL = re.compile(rf"""url\(\s*(["']?)({_EXTERNAL})\1\s*\)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(rf"""@import\s+(?:url\()?\s*["']?{_EXTERNAL}["']?\s*\)?[^;]*;""", re.IGNORECASE)
# GX writes `static/` paths with a depth that is sometimes wrong (the favicon of validation
# pages): every reference to the site's static folder is re-rooted from the page's own depth.
_STATIC = re.compile(r"^(?:\./|(?:\.\./)+)static/")
# The observatory's name where GX's logo was; and Bootstrap 4's font stack with common Linux
# fonts before its emoji font: on a machine without Arial, Roboto or Noto Sans, the stack reached
# "Noto Color Emoji", which drew digits and spaces as wide emoji glyphs ("2 0 2 6").
_LOCAL_STYLE = (
    "<style>.ptce-brand{display:inline-block;line-height:50px;font-size:1.15rem;font-weight:600;"
    'color:inherit;white-space:nowrap}body{font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",'
    'Roboto,"Helvetica Neue",Arial,"Noto Sans","Liberation Sans","DejaVu Sans",sans-serif,'
    '"Apple Color Emoji","Segoe UI Emoji","Segoe UI Symbol","Noto Color Emoji"}</style>'
)


def is_dropped(url: str) -> bool:
    """An address of GX's own sites, which the pages do without."""
    host = re.sub(r"^(?:[a-z]+:)?//", "", url.strip(), flags=re.IGNORECASE).split("/")[0].lower()
    return any(host == h or host.endswith("." + h) for h in DROPPED_HOSTS)


def localize_page(html: str, depth: int) -> tuple[str, list[str]]:
    """A page rewritten to load only the site's own files; also returns outside addresses removed.

    `depth`: how many folders below the site root the page sits (0 for index.html).
    """
    root = "../" * depth
    removed: list[str] = []
    html = _FOOTER.sub(lambda m: "" if _EXTERNAL_LINK.search(m.group(0)) else m.group(0), html)
    html = _EXTERNAL_LINK.sub(lambda m: m.group(2), html)
    html = _BRAND_LOGO.sub(lambda m: f'{m.group(1)}<span class="ptce-brand">{BRAND}</span>', html)

    def image(m: re.Match[str]) -> str:
        if not is_dropped(m.group(2)):
            removed.append(m.group(2))
        return ""

    html = _EXTERNAL_IMG.sub(image, html)
    html = _SRI.sub("", html)

    def attribute(m: re.Match[str]) -> str:
        value = m.group(3)
        if _IS_EXTERNAL.match(value):
            local = ASSETS.get(value.strip())
            if local is None:
                if not is_dropped(value):
                    removed.append(value.strip())
                return ""  # the attribute goes: nothing is fetched
            return f"{m.group(1)}{m.group(2)}{root}{SITE_VENDOR}/{local}{m.group(2)}"
        if _STATIC.match(value):
            return f"{m.group(1)}{m.group(2)}{_STATIC.sub(root + 'static/', value)}{m.group(2)}"
        return m.group(0)

    html = _ATTRIBUTE.sub(attribute, html)
    html, css_removed = localize_css(html)
    removed += css_removed
    html = re.sub(r"</head>", _LOCAL_STYLE + "</head>", html, count=1, flags=re.IGNORECASE)
    return html, removed


def localize_css(css: str) -> tuple[str, list[str]]:
    """Style text without outside `url(...)` (replaced by `none`) nor outside `@import`."""
    removed: list[str] = []

    def url(m: re.Match[str]) -> str:
        if not is_dropped(m.group(2)):
            removed.append(m.group(2))
        return "none"

    def import_rule(m: re.Match[str]) -> str:
        removed.append(m.group(0))
        return ""

    css = _CSS_IMPORT.sub(import_rule, css)
    return _CSS_URL.sub(url, css), removed


def localize_site(site_dir: Path) -> list[str]:
    """Rewrite a built Data Docs site in place; returns the unknown outside addresses removed."""
    vendor = site_dir / SITE_VENDOR
    shutil.rmtree(vendor, ignore_errors=True)
    shutil.copytree(VENDOR_DIR, vendor, ignore=shutil.ignore_patterns("README.md"))
    removed: list[str] = []
    for page in site_dir.rglob("*.html"):
        depth = len(page.relative_to(site_dir).parts) - 1
        html, gone = localize_page(page.read_text(encoding="utf-8"), depth)
        page.write_text(html, encoding="utf-8")
        removed += gone
    for sheet in (site_dir / "static").rglob("*.css"):
        if vendor in sheet.parents:
            continue  # vendored as published by their authors
        css, gone = localize_css(sheet.read_text(encoding="utf-8"))
        sheet.write_text(css, encoding="utf-8")
        removed += gone
    return sorted(set(removed))
