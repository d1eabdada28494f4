"""Word content controls and other wrappers python-docx does not read through (issue #8).

Forms are often filled in through content controls (`w:sdt`): rich or plain text, check boxes, drop-down
lists, date pickers, repeating sections. Word puts them around paragraphs and tables in the body,
around rows, cells or a cell's paragraphs in a table, and around runs inside a paragraph. python-docx
only reads paragraphs, tables, rows, cells and runs that are direct children of their container, so
everything inside a control was lost without a word; the same goes for runs inside a smart tag, a
custom XML element, a simple field or a tracked insertion.

`unwrap_controls` rewrites the document tree in memory (the file itself is never written back) so
that each control's content stands in its place, in document order, like ordinary paragraphs, tables,
rows, cells and runs, after two corrections:

- a check box control (`w14:checkbox`, or a legacy check box form field) reads as ☒ when checked and ☐
  when not, whatever symbol font draws it, so that a yes/no question reads it like a typed mark;
- a control still showing its placeholder (flag `w:showingPlcHdr`, Word's own prompt texts such as
  « Cliquez ou appuyez ici pour entrer du texte. », or runs in Word's placeholder style) is emptied:
  an empty control is an unanswered question, not an answer.
"""

from __future__ import annotations

from lxml import etree

from ptce.text import normalize_words

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
CHECKED_MARK = "☒"
UNCHECKED_MARK = "☐"

# Glyphs drawn for a checked box when a control declares none of its own (Word: ☒, MS Gothic).
_CHECKED_GLYPHS = frozenset("☒☑✓✔✗✘■⊠")
# The prompt Word shows in an empty control, in the French and English versions of Word since 2007:
# text, drop-down list (or combo box) and date controls. Compared without case, accents or punctuation.
_PLACEHOLDER_TEXTS = frozenset(
    normalize_words(text)
    for text in (
        "Cliquez ou appuyez ici pour entrer du texte.",
        "Cliquez ici pour taper du texte.",
        "Cliquez ici pour entrer du texte.",
        "Choisissez un élément.",
        "Cliquez ou appuyez pour entrer une date.",
        "Cliquez ici pour entrer une date.",
        "Click or tap here to enter text.",
        "Click here to enter text.",
        "Choose an item.",
        "Click or tap to enter a date.",
        "Click here to enter a date.",
    )
)
# Word's character style for placeholder text; its name is stored in English whatever the language of
# Word, its id is not ("PlaceholderText", "Textedelespacerserv").
_PLACEHOLDER_STYLE_NAMES = frozenset(["placeholder text", "texte de l espace reserve"])
# Elements that only wrap runs (or, for custom XML, blocks, rows or cells too): their content is read
# in their place. Deleted text (w:del, w:moveFrom) is left out, as Word's final view leaves it out.
_WRAPPERS = frozenset(["customXml", "smartTag", "fldSimple", "ins", "moveTo", "dir", "bdo"])
_WRAPPER_TAGS = frozenset(f"{{{W}}}{tag}" for tag in _WRAPPERS)
_WRAPPER_PROPERTIES = frozenset(["customXmlPr", "smartTagPr"])
_TRUE = frozenset(["1", "true", "on"])


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _w14(tag: str) -> str:
    return f"{{{W14}}}{tag}"


def _local(element: etree._Element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _text(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(_w("t")))


def _on(element: etree._Element | None, attribute: str) -> bool | None:
    """An on/off property: None when absent, true when present without a value."""
    if element is None:
        return None
    value = element.get(attribute)
    return value is None or value.strip().lower() in _TRUE


def _state_glyphs(box: etree._Element, state: str) -> set[str]:
    """The characters a check box draws in `state` ("checkedState"), as typed or in Word's symbol range."""
    element = box.find(_w14(state))
    try:
        code = int(element.get(_w14("val"), ""), 16) if element is not None else None
    except ValueError:
        code = None
    if code is None or not 0 < code < 0x110000:
        return set()
    return {chr(code), chr(0xF000 | (code & 0xFF))} if code < 0x100 else {chr(code)}


def _checkbox_checked(box: etree._Element, content: etree._Element) -> bool:
    """Checked per Word's flag, or per the glyph shown when the flag is missing or says otherwise."""
    if _on(box.find(_w14("checked")), _w14("val")):
        return True
    shown = set(_text(content)) | {
        chr(int(sym.get(_w("char"), "0"), 16)) for sym in content.iter(_w("sym")) if _is_hex(sym)
    }
    checked = (_CHECKED_GLYPHS | _state_glyphs(box, "checkedState")) - _state_glyphs(box, "uncheckedState")
    return bool(shown & checked)


def _is_hex(sym: etree._Element) -> bool:
    try:
        int(sym.get(_w("char"), ""), 16)
    except ValueError:
        return False
    return True


def _set_mark(content: etree._Element, mark: str) -> None:
    """Replace what the control shows by `mark`, in its first run (keeping that run's formatting)."""
    runs = list(content.iter(_w("r")))
    if runs:
        run = runs[0]
        for other in runs[1:]:
            other.getparent().remove(other)
        for child in list(run):
            if _local(child) != "rPr":
                run.remove(child)
    else:
        run = etree.Element(_w("r"))
        paragraphs = list(content.iter(_w("p")))
        (paragraphs[0] if paragraphs else content).append(run)
    etree.SubElement(run, _w("t")).text = mark


def _clear_runs(content: etree._Element) -> None:
    for run in list(content.iter(_w("r"))):
        run.getparent().remove(run)


def _shows_placeholder(sdt_pr: etree._Element | None, content: etree._Element, styles: set[str]) -> bool:
    if sdt_pr is not None and sdt_pr.find(_w("showingPlcHdr")) is not None:
        return True
    text = _text(content)
    if not text.strip():
        return False
    if normalize_words(text) in _PLACEHOLDER_TEXTS:
        return True
    runs = [r for r in content.iter(_w("r")) if _text(r).strip()]
    return bool(styles) and all(_run_style(r) in styles for r in runs)


def _run_style(run: etree._Element) -> str | None:
    style = run.find(f"{_w('rPr')}/{_w('rStyle')}")
    return style.get(_w("val")) if style is not None else None


def _placeholder_styles(document: object) -> set[str]:
    styles = set()
    for style in document.styles:  # type: ignore[attr-defined]
        if normalize_words(style.name or "") in _PLACEHOLDER_STYLE_NAMES:
            styles.add(style.style_id)
    return styles


def _unwrap(element: etree._Element, content: etree._Element) -> None:
    """Put `content`'s children where `element` stands, in order, and drop `element`."""
    parent = element.getparent()
    index = parent.index(element)
    for offset, child in enumerate(list(content)):
        parent.insert(index + offset, child)
    parent.remove(element)


def _control(sdt: etree._Element, placeholder_styles: set[str]) -> None:
    sdt_pr = sdt.find(_w("sdtPr"))
    content = sdt.find(_w("sdtContent"))
    if content is None:
        sdt.getparent().remove(sdt)
        return
    box = sdt_pr.find(_w14("checkbox")) if sdt_pr is not None else None
    if box is not None:
        _set_mark(content, CHECKED_MARK if _checkbox_checked(box, content) else UNCHECKED_MARK)
    elif _shows_placeholder(sdt_pr, content, placeholder_styles):
        _clear_runs(content)
    _unwrap(sdt, content)


def _legacy_form_field(field_data: etree._Element) -> None:
    """A legacy check box or drop-down form field shows no text: write what it shows into its run."""
    run = field_data.getparent().getparent()  # w:ffData in w:fldChar in w:r
    if run is None or _local(run) != "r":
        return
    box = field_data.find(_w("checkBox"))
    if box is not None:
        checked = _on(box.find(_w("checked")), _w("val"))
        if checked is None:
            checked = bool(_on(box.find(_w("default")), _w("val")))
        etree.SubElement(run, _w("t")).text = CHECKED_MARK if checked else UNCHECKED_MARK
        return
    choices = field_data.find(_w("ddList"))
    if choices is None:
        return
    entries = [e.get(_w("val"), "") for e in choices.findall(_w("listEntry"))]
    chosen = choices.find(_w("result"))
    if chosen is None:
        chosen = choices.find(_w("default"))
    try:
        index = int(chosen.get(_w("val"), "0")) if chosen is not None else 0
    except ValueError:
        index = 0
    if 0 <= index < len(entries):
        t = etree.SubElement(run, _w("t"))
        t.text = entries[index]
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def unwrap_controls(document: object) -> int:
    """Read through every content control and wrapper of the document's body; returns how many
    content controls it held. The document is changed in memory only."""
    body = document.element.body  # type: ignore[attr-defined]
    placeholder_styles = _placeholder_styles(document)
    for field_data in list(body.iter(_w("ffData"))):
        _legacy_form_field(field_data)
    # Innermost first (reversed document order), so that an outer control sees its inner ones' text.
    controls = list(body.iter(_w("sdt")))
    for sdt in reversed(controls):
        _control(sdt, placeholder_styles)
    wrappers = [e for e in body.iter() if isinstance(e.tag, str) and e.tag in _WRAPPER_TAGS]
    for wrapper in reversed(wrappers):
        parent = wrapper.getparent()
        # w:ins and w:moveTo also mark a paragraph mark or a row as inserted inside its properties.
        if parent is None or _local(parent).endswith("Pr"):
            continue
        for properties in [c for c in wrapper if _local(c) in _WRAPPER_PROPERTIES]:
            wrapper.remove(properties)
        _unwrap(wrapper, wrapper)
    return len(controls)
