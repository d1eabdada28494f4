"""Fields and tags drawn from the AMI answers (issue #4): concrete French sentences, both ways."""

from __future__ import annotations

import re

import pytest

from pipelines.applications.demo_export import demo_export_answers, demo_export_facts
from pipelines.applications.demo_forms import demo_forms
from pipelines.applications.demo_texts import FACT_SOURCES
from pipelines.applications.fields import (
    ExtractedField,
    extract_fields,
    load_tag_rules,
    split_sentences,
    structured_columns,
    tag_answers,
)
from pipelines.applications.form_parser import load_questions

QS = load_questions()


def _fields(answers: dict[str, str | None]) -> dict[str, ExtractedField]:
    fields = extract_fields(answers)
    for item in fields:
        # Every value can be checked against its sentence.
        assert item.extrait and item.extrait in item.passage
        assert item.passage in (answers[item.code_question] or "")
    return {f.champ: f for f in fields}


def _value(answers: dict[str, str | None], champ: str) -> str | None:
    found = _fields(answers).get(champ)
    return found.valeur if found else None


def _tags(text: str, code: str = "i2_objectifs") -> set[str]:
    return {t.tag for t in tag_answers({code: text})}


# --------------------------------------------------------------------------- sentences


def test_split_sentences_keeps_abbreviations() -> None:
    text = "M. Dupont préside. Les membres (PME, SIAE, etc.) coopèrent ; le GE recrute.\nFin? Oui! J. Doe"
    assert split_sentences(text) == [
        "M. Dupont préside.",
        "Les membres (PME, SIAE, etc.) coopèrent",
        "le GE recrute.",
        "Fin?",
        "Oui!",
        "J. Doe",
    ]
    assert split_sentences(None) == []
    assert split_sentences("   ") == []


# --------------------------------------------------------------------------- operationnel


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Le PTCE est opérationnel depuis 2011.", "oui"),
        ("Oui, depuis 4 ans.", "oui"),
        ("Nous ne sommes pas encore opérationnels : la SCIC sera créée fin 2015.", "non"),
        ("Le pôle est en projet.", "non"),
        ("Non, il s'agit d'un PTCE en cours de constitution.", "non"),
        ("Le pôle sera opérationnel en 2016.", "non"),
        ("PTCE OPERATIONNEL depuis 2012", "oui"),
    ],
)
def test_operationnel(text: str, expected: str) -> None:
    assert _value({"i1_operationnel": text}, "operationnel") == expected


def test_operationnel_not_guessed() -> None:
    assert _value({"i1_operationnel": "Voir le dossier joint."}, "operationnel") is None
    # "En projet" outside question i1 is a project of the pole, not the pole's state.
    assert _value({"ii4_projets": "Un GEIQ est en projet."}, "operationnel") is None


# --------------------------------------------------------------------------- annee_debut


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Opérationnel depuis 2011.", "2011"),
        ("L'association a été créée en 2009 par trois SIAE.", "2009"),
        ("Le pôle, fondé en mars 2012, réunit 23 membres.", "2012"),
        ("Oui, depuis 4 ans.", "2011"),
        ("Oui, depuis quatre ans.", "2011"),
        ("Lieu mutualisé initié en 2001 sur l'Île Saint Denis.", "2001"),
    ],
)
def test_annee_debut(text: str, expected: str) -> None:
    assert _value({"i1_operationnel": text}, "annee_debut") == expected


def test_annee_debut_out_of_range_or_absent() -> None:
    assert _value({"i1_operationnel": "Fondé en 1850 par des tisserands."}, "annee_debut") is None
    assert _value({"i1_operationnel": "Le PTCE est opérationnel."}, "annee_debut") is None


# --------------------------------------------------------------------------- counts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Le PHARES réunit dans le cadre d'une SCIC 16 associations, entreprises et entrepreneurs.", "16"),
        ("Le pôle réunit 23 membres.", "23"),
        ("Douze structures membres : des SIAE, des PME et la commune.", "12"),
        ("Le PTCE regroupe seize entreprises du territoire.", "16"),
        ("23 membres : la SCIC, des PME locales, deux collectivités.", "23"),
    ],
)
def test_nb_parties_prenantes(text: str, expected: str) -> None:
    assert _value({"i3_parties_prenantes": text}, "nb_parties_prenantes") == expected


def test_parties_prenantes_ignores_board_and_staff() -> None:
    answers = {"i3_parties_prenantes": "Le PTCE compte 12 salariés ; 7 membres du conseil d'administration."}
    assert _value(answers, "nb_parties_prenantes") is None


def test_salaries_and_benevoles() -> None:
    answers = {
        "i4_secteurs_statut": "Statut : SCIC. 38 salariés et 53 bénévoles, ancrage sur le département."
    }
    fields = _fields(answers)
    assert fields["nb_salaries"].valeur == "38"
    assert fields["nb_salaries"].extrait == "38 salariés"
    assert fields["nb_benevoles"].valeur == "53"
    assert (
        _value({"i4_secteurs_statut": "Le pôle emploie 7 personnes et une salariée."}, "nb_salaries") == "7"
    )
    assert _value({"i4_secteurs_statut": "Trois salarié-e-s, vingt bénévoles."}, "nb_benevoles") == "20"
    assert _value({"i4_secteurs_statut": "Aucun salarié pour l'instant."}, "nb_salaries") is None


# --------------------------------------------------------------------------- statut


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Statut : SCIC SA.", "SCIC"),
        ("Statut : association loi 1901.", "association"),
        ("Le pôle est une association de loi 1901 depuis 2010.", "association"),
        ("Statut : groupement d'employeurs associatif.", "association"),
        ("Le PTCE est constitué en SCOP.", "SCOP"),
        ("Forme juridique : SAS.", "SAS"),
        ("Statut : GIE.", "GIE"),
        ("Le pôle est une Société coopérative d'intérêt collectif.", "SCIC"),
        ("Pas encore de structure juridique : une convention lie les membres.", "sans statut juridique"),
    ],
)
def test_statut(text: str, expected: str) -> None:
    assert _value({"i4_secteurs_statut": text}, "statut_juridique") == expected


def test_statut_not_taken_from_initiator_or_common_words() -> None:
    # The initiator's legal form is not the pole's.
    assert (
        _value({"i1_operationnel": "Initié par la SCIC Initiatives Environnement."}, "statut_juridique")
        is None
    )
    # "sa" is a possessive, not a société anonyme; "associatif" alone is no status.
    assert (
        _value({"i4_secteurs_statut": "Le pôle et sa gouvernance, le tissu associatif."}, "statut_juridique")
        is None
    )


# --------------------------------------------------------------------------- financement


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("40 % de nos financements viennent des collectivités.", "0.4"),
        ("Les collectivités territoriales représentent 35% du budget.", "0.35"),
        ("Financements publics à 60 %, dont 25 % de la Région et du Département.", "0.25"),
        ("La région apporte 12,5 % de nos ressources.", "0.125"),
    ],
)
def test_part_financement_collectivites(text: str, expected: str) -> None:
    assert _value({"i5_gouvernance": text}, "part_financement_collectivites") == expected


@pytest.mark.parametrize(
    "text",
    [
        "Taux de chômage de 12 % sur le bassin.",
        "30 % de nos membres sont des collectivités.",
        "80 % de nos financements sont privés (fondations).",
        "Financements : région, FSE, fondations.",
    ],
)
def test_percentages_not_about_local_authorities_are_ignored(text: str) -> None:
    assert (
        _value({"i5_gouvernance": text, "ii1_problematiques": text}, "part_financement_collectivites") is None
    )


# --------------------------------------------------------------------------- periode_visite


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("au printemps 2016", "au printemps 2016"),
        ("Premier semestre 2016.", "Premier semestre 2016"),
        ("D'ici fin 2015 si possible.", "D'ici fin 2015"),
        ("Septembre 2016", "Septembre 2016"),
        ("Nous pourrions recevoir la visite au cours du 1er semestre 2016.", "au cours du 1er semestre 2016"),
        ("à l’automne 2017", "à l’automne 2017"),
        ("Au printemps prochain", "Au printemps prochain"),
    ],
)
def test_periode_visite(text: str, expected: str) -> None:
    assert _value({"echeance_visite": text}, "periode_visite") == expected


def test_periode_visite_absent() -> None:
    assert _value({"echeance_visite": "Dès que possible."}, "periode_visite") is None
    # A date elsewhere that is not about the visit is not the visit's.
    assert _value({"ii6_apports": "Nous ouvrirons une formation en 2016."}, "periode_visite") is None


# --------------------------------------------------------------------------- columns


def test_structured_columns_types() -> None:
    answers = {
        "i1_operationnel": "Nous ne sommes pas encore opérationnels, le projet a démarré en 2014.",
        "i3_parties_prenantes": "Le pôle réunit 23 membres.",
        "i4_secteurs_statut": "Statut : SCIC. 4 salariés, 10 bénévoles.",
        "i5_gouvernance": "40 % de nos financements viennent des collectivités.",
        "echeance_visite": "premier semestre 2016",
    }
    columns = structured_columns(extract_fields(answers))
    assert columns == {
        "operationnel": False,
        "annee_debut": 2014,
        "nb_parties_prenantes": 23,
        "nb_salaries": 4,
        "nb_benevoles": 10,
        "statut_juridique": "SCIC",
        "part_financement_collectivites": 0.4,
        "periode_visite": "premier semestre 2016",
    }
    assert structured_columns([]) == dict.fromkeys(columns)


def test_nothing_stated_nothing_extracted() -> None:
    assert extract_fields({}) == []
    assert extract_fields({"i1_operationnel": None, "i2_objectifs": "Coopérer."}) == []


# --------------------------------------------------------------------------- tags


def test_dictionary_is_complete() -> None:
    rules = {r.code: r for r in load_tag_rules()}
    angles = {"parcours", "formes_emploi", "qualite_emploi", "creation_activites", "filieres"}
    outils = {"geiq", "groupement_employeurs", "cae", "gpect", "organisme_formation"}
    assert {c for c, r in rules.items() if r.categorie == "angle"} == angles
    assert {c for c, r in rules.items() if r.categorie == "outil"} == outils
    assert all(r.libelle and (r.keywords or r.acronyms) for r in rules.values())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nous avons créé un GEIQ bâtiment.", {"geiq"}),
        ("Un groupement d'employeurs pour l'insertion et la qualification est prévu.", {"geiq"}),
        ("Le GE du pôle mutualise deux postes.", {"groupement_employeurs"}),
        ("Création d'un groupement d’employeurs.", {"groupement_employeurs", "formes_emploi"}),
        ("La CAE Regate accompagne les entrepreneurs.", {"cae", "creation_activites"}),
        ("Une coopérative d'activités et d'emploi.", {"cae", "creation_activites"}),
        ("Démarche de GPEC-T avec les entreprises.", {"gpect"}),
        ("Démarche de GPECT.", {"gpect"}),
        ("Un organisme de formation interne au pôle.", {"organisme_formation"}),
        ("Structurer la filière laine.", {"filieres"}),
        ("Mutualisation d'emplois entre membres.", {"formes_emploi"}),
        ("Améliorer la qualité des emplois et le dialogue social.", {"qualite_emploi"}),
        ("Sécuriser les parcours des salariés en insertion.", {"parcours"}),
        ("Appui à la création d'activités par l'incubation.", {"creation_activites"}),
    ],
)
def test_tags(text: str, expected: set[str]) -> None:
    assert _tags(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Nous gérons un GEIQ.",  # "GE" inside a word
        "Le ménage GEnéral est fait.",
        "Le ge du territoire.",  # "GE" not in capitals
        "Une GEstion partagée.",
    ],
)
def test_ge_only_as_whole_capital_word(text: str) -> None:
    assert "groupement_employeurs" not in _tags(text)


def test_tag_negatives() -> None:
    # The community's own name is no statement about the pole's paths.
    assert "parcours" not in _tags("Rejoindre la communauté PTCE Emploi et sécurisation des parcours.")
    assert _tags("Nous coopérons avec la mairie.") == set()
    assert _tags("") == set()


def test_tags_carry_their_sentence_once_per_question() -> None:
    answers = {
        "i2_objectifs": "Coopérer localement. Créer un GEIQ ; puis un second GEIQ.",
        "ii3_experiences": "Le GEIQ a recruté 12 personnes.",
    }
    tags = [t for t in tag_answers(answers) if t.tag == "geiq"]
    assert [(t.code_question, t.phrase, t.mot_cle, t.categorie) for t in tags] == [
        ("i2_objectifs", "Créer un GEIQ", "GEIQ", "outil"),
        ("ii3_experiences", "Le GEIQ a recruté 12 personnes.", "GEIQ", "outil"),
    ]
    assert tags[0].libelle.startswith("GEIQ")


# --------------------------------------------------------------------------- demo forms

# How the demo answers name each tool (the generator's wording, not the dictionary's).
_TOOL_WORDS = {
    "geiq": ("GEIQ",),
    "groupement_employeurs": ("groupement d'employeurs",),
    "cae": ("CAE",),
    "gpect": ("GPEC",),  # also in "GPECT"
    "organisme_formation": ("organisme de formation", "organismes de formation", "centre de formation"),
}


def _check_facts(answers: dict[str, str | None], facts: dict[str, object]) -> int:
    """The extracted columns against the facts the generator wrote; returns how many were stated."""
    columns = structured_columns(extract_fields(answers))
    stated = 0
    for champ, value in facts.items():
        if answers[FACT_SOURCES[champ]]:
            stated += 1
            assert columns[champ] == value, (champ, columns[champ], value)
        else:
            # The question that states it is blank: another answer may say it too, never otherwise.
            assert columns[champ] in (None, value), (champ, columns[champ], value)
    return stated


@pytest.mark.parametrize("form", demo_forms(), ids=lambda f: f.pole_id)
def test_demo_forms_give_the_stated_facts(form: object) -> None:
    answers: dict[str, str | None] = form.answers  # type: ignore[attr-defined]
    _fields(answers)  # passages and extracts check out
    assert _check_facts(answers, form.facts) >= 5  # type: ignore[attr-defined]


def test_demo_export_gives_the_stated_facts() -> None:
    facts = demo_export_facts()
    for pole_id, row in demo_export_answers().items():
        answers = {code: v for code, v in row.items() if not isinstance(v, bool) and code in QS.text_codes}
        _fields(answers)
        assert _check_facts(answers, facts[pole_id]) >= 7, pole_id


def test_demo_facts_take_several_wordings() -> None:
    # The generator states the facts in several ways, so the extractor is exercised on each.
    forms = demo_forms()
    assert {f.facts["statut_juridique"] for f in forms} >= {
        "association",
        "SCIC",
        "GIE",
        "sans statut juridique",
    }
    assert {f.facts["operationnel"] for f in forms} == {True, False}
    assert any(f.facts["part_financement_collectivites"] is None for f in forms)
    assert len({f.facts["periode_visite"] for f in forms}) >= 8
    texts = [f.answers["i1_operationnel"] or "" for f in forms]
    assert any(re.search(r"depuis \d+ ans", t) for t in texts)
    assert any(re.search(r"depuis (?:\w+ )?\d{4}", t) for t in texts)
    assert any("créé en" in t for t in texts)


@pytest.mark.parametrize("form", demo_forms(), ids=lambda f: f.pole_id)
def test_demo_forms_tag_their_tools(form: object) -> None:
    answers: dict[str, str | None] = form.answers  # type: ignore[attr-defined]
    tags = tag_answers(answers)
    for tag in tags:
        assert tag.phrase in (answers[tag.code_question] or "")
    for code, text in answers.items():
        named = {tool for tool, words in _TOOL_WORDS.items() if text and any(w in text for w in words)}
        found = {t.tag for t in tags if t.code_question == code and t.categorie == "outil"}
        assert found == named, code


def test_demo_answers_touch_every_angle_and_tool() -> None:
    """Across the twelve forms every working angle and tool of the dictionary is found, in each form
    at least two angles: the heat map and the tool table of the demo are not empty."""
    rules = {r.code: r.categorie for r in load_tag_rules()}
    per_form = [tag_answers(f.answers) for f in demo_forms()]
    found = {t.tag for tags in per_form for t in tags}
    assert found == set(rules)
    for tags in per_form:
        assert len({t.tag for t in tags if t.categorie == "angle"}) >= 2
    # Real sentences, not one line: two to five per open question.
    for form in demo_forms():
        for code, text in form.answers.items():
            if text and code != "echeance_visite":
                assert 2 <= len(split_sentences(text)) <= 5, (form.pole_id, code)
