"""The report's French sentence templates (`reports/sentences.py`), case by case.

Every expected sentence is written out by hand: singular, plural, zero, missing, masked, rise,
fall and stable. A masked figure reaches the templates as None (the reads give NaN and a label):
no sentence may then speak of it, nor of a difference or a change computed from it.
"""

from __future__ import annotations

import math
from datetime import date

import pytest

from reports import sentences as s

NNBSP = "\u202f"  # French thousands separator (narrow no-break space), as ptce.fmt writes it


# --- Words ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("emplois", "d'emplois"),
        ("entrées en parcours", "d'entrées en parcours"),
        ("heures de formation", "d'heures de formation"),
        ("personnes accompagnées", "de personnes accompagnées"),
        ("sorties", "de sorties"),
        ("hausse", "de hausse"),
    ],
)
def test_de_elides_before_a_vowel_or_mute_h(word: str, expected: str) -> None:
    assert s.de(word) == expected


def test_que_elides_before_en() -> None:
    assert s.que("en 2015") == "qu'en 2015"
    assert s.que("l'an dernier") == "que l'an dernier"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2016, 12, 1), "1er décembre 2016"),
        (date(2016, 11, 24), "24 novembre 2016"),
        (date(2017, 2, 2), "2 février 2017"),
        (date(2016, 8, 1), "1er août 2016"),
    ],
)
def test_long_date_writes_the_first_as_1er(day: date, expected: str) -> None:
    assert s.long_date(day) == expected


@pytest.mark.parametrize("value", [None, math.nan, "< 5", "s"])
def test_a_missing_or_masked_figure_is_not_known(value: object) -> None:
    assert not s.known(value)  # type: ignore[arg-type]


# --- Persons accompanied -------------------------------------------------------------------------


def test_persons_rise() -> None:
    assert (
        s.persons_sentence(1234, 1142, 2016, 12, 12)
        == f"Les 12 pôles ont accompagné 1{NNBSP}234 personnes en 2016, soit 8 % de plus qu'en 2015."
    )


def test_persons_fall() -> None:
    assert (
        s.persons_sentence(970, 1000, 2016, 12, 12)
        == "Les 12 pôles ont accompagné 970 personnes en 2016, soit 3 % de moins qu'en 2015."
    )


def test_persons_stable() -> None:
    assert s.persons_sentence(
        1002, 1000, 2016, 12, 12
    ) == "Les 12 pôles ont accompagné 1 002 personnes en 2016, à peu près autant qu'en 2015.".replace(
        "1 002", f"1{NNBSP}002"
    )


def test_persons_some_poles_singular_person() -> None:
    assert s.persons_sentence(1, None, 2016, 1, 12) == "1 pôle sur 12 a accompagné 1 personne en 2016."
    assert s.persons_sentence(0, None, 2016, 10, 12) == "10 pôles sur 12 ont accompagné 0 personne en 2016."


def test_persons_masked_or_missing_gives_no_sentence() -> None:
    assert s.persons_sentence(None, 1000, 2016, 12, 12) is None
    assert s.persons_sentence(math.nan, 1000, 2016, 12, 12) is None
    assert s.persons_sentence(1000, 1000, 2016, 0, 12) is None


def test_persons_masked_last_year_leaves_the_change_out() -> None:
    # Last year's total is masked (None): no percentage change may be computed from it.
    assert (
        s.persons_sentence(1752, None, 2016, 12, 12)
        == f"Les 12 pôles ont accompagné 1{NNBSP}752 personnes en 2016."
    )


# --- Key figures' change -------------------------------------------------------------------------


def test_figure_change_counts() -> None:
    assert s.figure_change(108, 100, 2015) == "+8 % par rapport à 2015"
    assert s.figure_change(97, 100, 2015) == "−3 % par rapport à 2015"
    assert s.figure_change(100.2, 100, 2015) == "stable par rapport à 2015"
    assert s.figure_change(100, None, 2015) == ""
    assert s.figure_change(None, 100, 2015) == ""
    assert s.figure_change(5, 0, 2015) == ""


def test_figure_change_rates_in_points() -> None:
    assert s.figure_change(0.635, 0.623, 2015, rate=True) == "+1,2 point par rapport à 2015"
    assert s.figure_change(0.60, 0.625, 2015, rate=True) == "−2,5 points par rapport à 2015"
    assert s.figure_change(0.6231, 0.6230, 2015, rate=True) == "stable par rapport à 2015"
    assert s.figure_change(0.6, None, 2015, rate=True) == ""


# --- Jobs ----------------------------------------------------------------------------------------


def test_jobs_plural_singular_zero_missing() -> None:
    assert (
        s.jobs_sentence(214, 148, 2016)
        == "En 2016, 214 emplois ont été créés et 148 emplois consolidés dans les pôles du réseau."
    )
    assert (
        s.jobs_sentence(1, 1, 2016)
        == "En 2016, 1 emploi a été créé et 1 emploi consolidé dans les pôles du réseau."
    )
    assert s.jobs_sentence(0, None, 2016) == "En 2016, aucun emploi n'a été créé dans les pôles du réseau."
    assert s.jobs_sentence(None, 3, 2016) == "En 2016, 3 emplois ont été consolidés dans les pôles du réseau."
    assert s.jobs_sentence(None, None, 2016) is None


# --- Exits ---------------------------------------------------------------------------------------


def test_exits_rate_fall_and_durable_plural() -> None:
    assert s.exits_sentence(0.6226, 0.6237, 260, 2016) == (
        "En 2016, 62,3 % des sorties de parcours ont été dynamiques (emploi durable, emploi de "
        "transition ou sortie positive), 0,1 point de moins qu'en 2015 ; 260 personnes sont sorties "
        "vers l'emploi durable."
    )


def test_exits_rate_rise_stable_and_singular() -> None:
    assert s.exits_sentence(0.65, 0.62, 1, 2016) == (
        "En 2016, 65,0 % des sorties de parcours ont été dynamiques (emploi durable, emploi de "
        "transition ou sortie positive), 3 points de plus qu'en 2015 ; 1 personne est sortie vers "
        "l'emploi durable."
    )
    assert s.exits_sentence(0.65, 0.6502, None, 2016) == (
        "En 2016, 65,0 % des sorties de parcours ont été dynamiques (emploi durable, emploi de "
        "transition ou sortie positive), un taux stable par rapport à 2015."
    )


def test_exits_masked_rate_keeps_only_the_known_count() -> None:
    assert (
        s.exits_sentence(None, 0.62, 0, 2016)
        == "En 2016, aucune personne n'est sortie vers l'emploi durable."
    )
    assert s.exits_sentence(None, None, None, 2016) is None


# --- Visits --------------------------------------------------------------------------------------


def test_visits_agreement() -> None:
    assert s.visits_sentence(3, 0, 17, 2016) == (
        "En 2016, 3 visites apprenantes ont été organisées et 17 pratiques ont été partagées."
    )
    assert s.visits_sentence(1, 1, 1, 2016) == (
        "En 2016, 1 visite apprenante a été organisée, 1 séminaire de capitalisation a été tenu et "
        "1 pratique a été partagée."
    )
    assert s.visits_sentence(0, 2, None, 2016) == (
        "En 2016, aucune visite apprenante n'a été organisée et 2 séminaires de capitalisation ont été tenus."
    )
    assert s.visits_sentence(None, None, None, 2016) is None


def test_last_event() -> None:
    assert (
        s.last_event_sentence(date(2016, 12, 1), "ESCI", "visite apprenante")
        == "La dernière visite apprenante de l'année s'est tenue le 1er décembre 2016 chez ESCI."
    )
    assert s.last_event_sentence(None, "ESCI", "visite apprenante") is None


# --- Completeness and corrections ----------------------------------------------------------------


def test_reporting() -> None:
    assert (
        s.reporting_sentence(12, 12, 3, 2016)
        == "12 pôles sur 12 ont transmis leurs indicateurs 2016, dont 3 après l'échéance."
    )
    assert s.reporting_sentence(11, 12, 0, 2017, "objectifs") == (
        "11 pôles sur 12 ont transmis leurs objectifs 2017, tous dans les délais."
    )
    assert (
        s.reporting_sentence(1, 12, 1, 2016)
        == "1 pôle sur 12 a transmis ses indicateurs 2016, dont 1 après l'échéance."
    )
    assert (
        s.reporting_sentence(0, 12, 0, 2016)
        == "Aucun pôle n'a transmis ses indicateurs 2016 (sur 12 attendus)."
    )
    assert s.reporting_sentence(0, 0, 0, 2016) is None


def test_corrections() -> None:
    assert (
        s.corrections_sentence(2, ["PHARES"], 2016)
        == "2 valeurs de 2016 ont été corrigées par un nouvel envoi (PHARES)."
    )
    assert (
        s.corrections_sentence(1, ["Bou'Sol"], 2016)
        == "1 valeur de 2016 a été corrigée par un nouvel envoi (Bou'Sol)."
    )
    assert (
        s.corrections_sentence(0, [], 2016) == "Aucune valeur de 2016 n'a été corrigée par un nouvel envoi."
    )


# --- Poles ---------------------------------------------------------------------------------------


def test_median_position() -> None:
    assert s.median_position(430, 314) == "au-dessus de la médiane du réseau"
    assert s.median_position(200, 314) == "en dessous de la médiane du réseau"
    assert s.median_position(314, 314) == "égal à la médiane du réseau"
    assert s.median_position(None, 314) is None
    assert s.median_position(430, None) is None


def test_pole_median() -> None:
    assert (
        s.pole_median_sentence("PHARES", 6, 8, 2016)
        == "En 2016, PHARES est au-dessus de la médiane du réseau pour 6 indicateurs clés sur 8."
    )
    assert (
        s.pole_median_sentence("ESCI", 1, 7, 2016)
        == "En 2016, ESCI est au-dessus de la médiane du réseau pour 1 indicateur clé sur 7."
    )
    assert s.pole_median_sentence("ESCI", 0, 0, 2016) is None


def test_targets() -> None:
    assert s.targets_sentence("PHARES", 3, 4, ["Emplois créés dans l'année"], 2016) == (
        "PHARES a atteint 3 de ses 4 objectifs 2016 ; l'objectif d'emplois créés dans l'année n'est pas atteint."
    )
    assert s.targets_sentence("ESCI", 0, 2, ["Entrées en parcours", "Personnes accompagnées"], 2016) == (
        "ESCI n'a atteint aucun de ses 2 objectifs 2016 ; les objectifs d'entrées en parcours et de "
        "personnes accompagnées ne sont pas atteints."
    )
    assert s.targets_sentence("AlpEn", 4, 4, [], 2016) == "AlpEn a atteint ses 4 objectifs 2016."
    assert s.targets_sentence("AlpEn", 1, 1, [], 2016) == "AlpEn a atteint son objectif 2016."
    assert s.targets_sentence("AlpEn", 0, 1, ["Emplois créés"], 2016) == (
        "AlpEn n'a pas atteint son objectif 2016 ; l'objectif d'emplois créés n'est pas atteint."
    )
    # Results masked or unknown: no target can be assessed, no sentence.
    assert s.targets_sentence("AlpEn", 0, 0, [], 2016) is None


def test_adjusted() -> None:
    assert s.adjusted_sentence(1, 11, 0) == (
        "Sur 12 pôles comparés à leur taux attendu compte tenu du profil des personnes sorties, "
        "1 fait mieux, 11 sont conformes et aucun ne fait moins bien."
    )
    assert s.adjusted_sentence(2, 1, 3) == (
        "Sur 6 pôles comparés à leur taux attendu compte tenu du profil des personnes sorties, "
        "2 font mieux, 1 est conforme et 3 font moins bien."
    )
    assert s.adjusted_sentence(0, 0, 0) is None
