"""Forms filled in through Word content controls (`w:sdt`) and the other wrappers Word writes around
text: every answer they hold is read, checked boxes count as marks, placeholders as no answer.

Each form is built with python-docx, then lxml moves the answer's paragraphs, runs or cells into a
content control, as Word writes it when a pole fills in a form built with controls.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from pipelines.applications.form_parser import load_questions, parse_application_docx

QS = load_questions()
ANSWERS = {code: f"Réponse à {code} : 12 salariés, SCIC créée en 2012." for code in QS.text_codes}
ANSWERS["i2_objectifs"] = "Premier paragraphe.\nDeuxième paragraphe."
TEXT_CODES = [q.code for q in QS.questions if q.kind == "texte"]
PLACEHOLDER = "Cliquez ou appuyez ici pour entrer du texte."


def _sdt(children: list, *, pr: str = "", placeholder: bool = False):
    """A content control holding `children` (moved from where they were); `pr` adds sdtPr content."""
    flag = "<w:showingPlcHdr/>" if placeholder else ""
    sdt = parse_xml(
        f'<w:sdt {nsdecls("w", "w14")}><w:sdtPr><w:alias w:val="Réponse"/>{flag}{pr}</w:sdtPr>'
        "<w:sdtContent/></w:sdt>"
    )
    content = sdt.find(qn("w:sdtContent"))
    for child in children:
        content.append(child)
    return sdt


def _wrap(elements: list, **kwargs) -> None:
    """Put consecutive sibling `elements` inside one content control, where they stood."""
    first = elements[0]
    parent, index = first.getparent(), first.getparent().index(first)
    parent.insert(index, _sdt(list(elements), **kwargs))


def _run(text: str, *, placeholder_style: bool = False):
    style = '<w:rPr><w:rStyle w:val="PlaceholderText"/></w:rPr>' if placeholder_style else ""
    return parse_xml(f'<w:r {nsdecls("w")}>{style}<w:t xml:space="preserve">{text}</w:t></w:r>')


def _checkbox(checked: bool, *, flag: bool = True, states: bool = True, glyphs: tuple[str, str] = ("☒", "☐")):
    """A check box control as Word writes it (w14:checkbox); `flag` False leaves out w14:checked,
    `states` False the glyphs it draws."""
    state = f'<w14:checked w14:val="{int(checked)}"/>' if flag else ""
    if states:
        state += (
            f'<w14:checkedState w14:val="{ord(glyphs[0]):04X}" w14:font="MS Gothic"/>'
            f'<w14:uncheckedState w14:val="{ord(glyphs[1]):04X}" w14:font="MS Gothic"/>'
        )
    pr = f"<w14:checkbox>{state}</w14:checkbox>"
    return _sdt([_run(glyphs[0] if checked else glyphs[1])], pr=pr)


def _form(
    path: Path,
    write_answer: Callable[[object, str], None],
    write_yes_no: Callable[[object, str, bool], None] | None = None,
) -> None:
    """The form as paragraphs; each answer written by `write_answer(doc, code)`."""
    doc = docx.Document()
    doc.add_paragraph("Initiative : PTCE Bou'Sol")
    for q in QS.questions:
        doc.add_paragraph(q.texte)
        if q.kind == "oui_non":
            value = q.code == "charte"
            if write_yes_no is None:
                doc.add_paragraph("☒ Oui ☐ Non" if value else "☐ Oui ☒ Non")
            else:
                write_yes_no(doc, q.code, value)
        else:
            write_answer(doc, q.code)
        doc.add_paragraph("")
    doc.save(str(path))


def _answer_paragraphs(doc: object, code: str) -> list:
    return [doc.add_paragraph(line)._p for line in ANSWERS[code].split("\n")]  # type: ignore[attr-defined]


def _check(path: Path, expected: dict[str, str | None] | None = None) -> None:
    result = parse_application_docx(path, path.name)
    assert result.error is None, result.error
    expected = expected or ANSWERS
    for code in TEXT_CODES:
        assert result.answers[code] == expected[code], code
    assert result.yes_no == {"charte": True, "accueil_visite": False}


def test_block_controls_in_the_body_are_read(tmp_path: Path) -> None:
    # Each answer's paragraphs sit in one rich-text control at body level; the pole line sits in a
    # control too (a cover page), and part II is a question/answer table inside a control.
    doc = docx.Document()
    _wrap([doc.add_paragraph("Initiative : PTCE Bou'Sol")._p])
    table = None
    for q in QS.questions:
        if q.partie == "II":
            if table is None:
                table = doc.add_table(rows=0, cols=2)
                _wrap([table._tbl])
            row = table.add_row()
            row.cells[0].text = q.texte
            row.cells[1].text = "Non" if q.kind == "oui_non" else ANSWERS[q.code]
            continue
        doc.add_paragraph(q.texte)
        if q.kind == "oui_non":
            _wrap([doc.add_paragraph("☒ Oui ☐ Non")._p])
        else:
            _wrap(_answer_paragraphs(doc, q.code))
    path = tmp_path / "blocs.docx"
    doc.save(str(path))
    result = parse_application_docx(path, path.name)
    assert result.error is None, result.error
    assert result.pole_id == "bousol" and result.pole_source == "entête"
    for code in TEXT_CODES:
        assert result.answers[code] == ANSWERS[code], code
    assert result.yes_no == {"charte": True, "accueil_visite": False}


def test_inline_controls_in_a_paragraph_are_read(tmp_path: Path) -> None:
    # "Réponse à … : " typed, the rest in a plain-text control inside the same paragraph, then a dot
    # typed after it: the three parts read in order.
    def write(doc: object, code: str) -> None:
        for line in ANSWERS[code].split("\n"):
            head, sep, tail = line.partition(" ")
            paragraph = doc.add_paragraph(head + sep)  # type: ignore[attr-defined]
            paragraph._p.append(_sdt([_run(tail[:-1])]))
            paragraph.add_run(tail[-1])

    path = tmp_path / "en_ligne.docx"
    _form(path, write)
    _check(path)


def test_controls_in_table_cells_are_read(tmp_path: Path) -> None:
    # Answers in the second column: a control around the cell's paragraphs, a control around the
    # whole cell (w:tr/w:sdt/w:tc), a control holding a table nested in the cell, and a repeating
    # section around whole rows (w:tbl/w:sdt/w:tr).
    doc = docx.Document()
    doc.add_paragraph("Nom du PTCE : Domb'Innov")
    table = doc.add_table(rows=0, cols=2)
    rows = []
    for i, q in enumerate(QS.questions):
        row = table.add_row()
        rows.append(row._tr)
        row.cells[0].text = q.texte
        cell = row.cells[1]
        if q.kind == "oui_non":
            cell.text = "☒ Oui ☐ Non" if q.code == "charte" else "☐ Oui ☒ Non"
            continue
        lines = ANSWERS[q.code].split("\n")
        cell.text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)
        if i % 3 == 0:
            _wrap(cell._tc.findall(qn("w:p")))
        elif i % 3 == 1:
            _wrap([cell._tc])
        else:
            nested = cell.add_table(rows=len(lines), cols=1)
            for nested_cell, line in zip(nested.column_cells(0), lines, strict=True):
                nested_cell.text = line
            for p in cell._tc.findall(qn("w:p")):
                cell._tc.remove(p)
            cell._tc.append(parse_xml(f"<w:p {nsdecls('w')}/>"))  # a cell ends with a paragraph
            _wrap([nested._tbl])
    _wrap(rows[-3:])
    path = tmp_path / "cellules.docx"
    doc.save(str(path))
    result = parse_application_docx(path, path.name)
    assert result.error is None, result.error
    assert result.pole_id == "dombinnov"
    for code in TEXT_CODES:
        assert result.answers[code] == ANSWERS[code], code
    assert result.yes_no == {"charte": True, "accueil_visite": False}


@pytest.mark.parametrize(
    "kind",
    ["checked flag and glyph", "glyph without flag", "flag with a symbol font glyph", "box in a cell"],
)
def test_check_box_controls_answer_yes_no(tmp_path: Path, kind: str) -> None:
    def box(checked: bool):
        if kind == "glyph without flag":
            return _checkbox(checked, flag=False)
        if kind == "flag with a symbol font glyph":
            # Wingdings check mark and box, in Word's private-use range, with no state glyphs declared:
            # only the flag tells them apart.
            return _checkbox(checked, states=False, glyphs=("\uf0fe", "\uf0a8"))
        return _checkbox(checked)

    def write(doc: object, code: str, value: bool) -> None:
        if kind == "box in a cell":
            table = doc.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
            paragraphs = [table.cell(0, 0).paragraphs[0], table.cell(0, 1).paragraphs[0]]
        else:
            paragraph = doc.add_paragraph()  # type: ignore[attr-defined]
            paragraphs = [paragraph, paragraph]
        paragraphs[0]._p.append(box(value))
        paragraphs[0].add_run(" Oui   ")
        paragraphs[1]._p.append(box(not value))
        paragraphs[1].add_run(" Non")

    path = tmp_path / "cases.docx"
    _form(path, _answer_paragraphs, write)
    _check(path)


def test_empty_controls_are_unanswered_questions(tmp_path: Path) -> None:
    # Some controls answered, the others left empty as Word shows them: placeholder flag with the
    # default text or the form designer's own, the English text without the flag (copied from an
    # English form), the date picker's and the drop-down list's texts, placeholder-styled runs.
    empty = {
        "i3_parties_prenantes": ([_run(PLACEHOLDER, placeholder_style=True)], True, "block"),
        "i4_secteurs_statut": ([_run("Saisissez ici votre réponse")], True, "block"),
        "i6_resultats": ([_run("Click or tap here to enter text.")], False, "block"),
        "ii2_objectifs_emploi": ([_run("Choisissez un élément.")], True, "inline"),
        "echeance_visite": ([_run("Cliquez ou appuyez pour entrer une date.")], False, "inline"),
        "ii6_apports": ([_run("Texte libre", placeholder_style=True)], False, "inline"),
    }
    assert set(empty) <= set(TEXT_CODES)
    expected: dict[str, str | None] = dict(ANSWERS)

    def write(doc: object, code: str) -> None:
        if code not in empty:
            _wrap(_answer_paragraphs(doc, code))
            return
        expected[code] = None
        runs, flag, level = empty[code]
        paragraph = doc.add_paragraph()._p  # type: ignore[attr-defined]
        if level == "block":
            paragraph.extend(runs)
            _wrap([paragraph], placeholder=flag)
        else:
            paragraph.append(_sdt(runs, placeholder=flag))

    def write_yes_no(doc: object, code: str, value: bool) -> None:
        # Drop-down lists: "Oui" chosen for one question, the other left on its placeholder.
        paragraph = doc.add_paragraph("Réponse : ")._p  # type: ignore[attr-defined]
        pr = '<w:dropDownList><w:listItem w:displayText="Oui" w:value="Oui"/>'
        pr += '<w:listItem w:displayText="Non" w:value="Non"/></w:dropDownList>'
        if code == "charte":
            paragraph.append(_sdt([_run("Oui")], pr=pr))
        else:
            paragraph.append(_sdt([_run("Choisissez un élément.")], pr=pr, placeholder=True))

    path = tmp_path / "vides.docx"
    _form(path, write, write_yes_no)
    # Word's own character style for placeholders, under the id French Word gives it.
    doc = docx.Document(str(path))
    style = doc.styles.add_style("Placeholder Text", WD_STYLE_TYPE.CHARACTER)
    style.element.set(qn("w:styleId"), "Textedelespacerserv")
    for r in doc.element.body.iter(qn("w:rStyle")):
        r.set(qn("w:val"), "Textedelespacerserv")
    doc.save(str(path))
    result = parse_application_docx(path, path.name)
    assert result.error is None, result.error
    for code in TEXT_CODES:
        assert result.answers[code] == expected[code], code
    assert result.yes_no == {"charte": True, "accueil_visite": None}


def _legacy_checkbox(checked: bool) -> list:
    """The runs of a legacy check box form field (FORMCHECKBOX): Word draws the box, no text."""
    return [
        parse_xml(
            f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Case"/>'
            f'<w:enabled/><w:checkBox><w:sizeAuto/><w:default w:val="0"/><w:checked w:val="{int(checked)}"/>'
            "</w:checkBox></w:ffData></w:fldChar></w:r>"
        ),
        parse_xml(
            f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r>'
        ),
        parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>'),
    ]


def test_tracked_insertions_smart_tags_and_legacy_fields_are_read(tmp_path: Path) -> None:
    # Text typed with track changes on (w:ins) shows in Word and is read; deleted text (w:del) is not.
    # Smart tags and custom XML wrap runs or paragraphs; legacy check box form fields draw their box.
    def write(doc: object, code: str) -> None:
        paragraphs = _answer_paragraphs(doc, code)
        index = TEXT_CODES.index(code) % 3
        if index == 0:
            for p in paragraphs:
                runs = p.findall(qn("w:r"))
                p.append(
                    parse_xml(
                        f'<w:del {nsdecls("w")} w:id="1" w:author="Pôle" w:date="2015-03-01T00:00:00Z">'
                        "<w:r><w:delText> (brouillon supprimé)</w:delText></w:r></w:del>"
                    )
                )
                tracked = parse_xml(
                    f'<w:ins {nsdecls("w")} w:id="2" w:author="Pôle" w:date="2015-03-01T00:00:00Z"/>'
                )
                p.append(tracked)
                tracked.extend(runs)
        elif index == 1:
            for p in paragraphs:
                tag = parse_xml(f'<w:smartTag {nsdecls("w")} w:uri="urn:x" w:element="date"/>')
                tag.extend(p.findall(qn("w:r")))
                p.append(tag)
        else:
            xml = parse_xml(f'<w:customXml {nsdecls("w")} w:element="reponse"/>')
            paragraphs[0].addprevious(xml)
            xml.extend(paragraphs)

    def write_yes_no(doc: object, code: str, value: bool) -> None:
        paragraph = doc.add_paragraph()  # type: ignore[attr-defined]
        paragraph._p.extend(_legacy_checkbox(value))
        paragraph.add_run(" Oui   ")
        paragraph._p.extend(_legacy_checkbox(not value))
        paragraph.add_run(" Non")

    path = tmp_path / "suivi.docx"
    _form(path, write, write_yes_no)
    _check(path)
