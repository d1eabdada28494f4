"""The shared reference: twelve poles from the member table, and the catalogue of SPEC §3."""

from __future__ import annotations

import pytest

from ptce.contract import VISIT_TYPES
from ptce.reference import (
    PoleMatcher,
    load_catalog,
    load_community_indicators,
    load_poles,
    load_visit_config,
    size_class,
)

# SPEC §3 core table, copied here by hand: the catalogue must keep these codes and labels.
SPEC_CORE = {
    "membres": "Structures membres du pôle",
    "salaries": "Salariés des structures membres",
    "etp": "Équivalents temps plein des membres",
    "emplois_crees": "Emplois créés dans l'année",
    "emplois_consolides": "Emplois consolidés dans l'année",
    "salaries_cdi": "Salariés en CDI",
    "etp_animation": "ETP dédiés à l'animation du pôle",
    "personnes_accompagnees": "Personnes accompagnées dans l'année",
    "entrees_parcours": "Entrées en parcours",
    "sorties": "Sorties de parcours (hors retraits)",
    "sorties_emploi_durable": "Sorties vers l'emploi durable",
    "sorties_emploi_transition": "Sorties vers l'emploi de transition",
    "sorties_positives": "Sorties positives",
    "heures_formation": "Heures de formation dispensées",
    "certifications": "Certifications et qualifications obtenues",
    "mobilites_internes": "Passages d'une structure membre à une autre",
    "ge_employeurs": "Employeurs adhérents à un groupement d'employeurs",
    "salaries_partages": "Salariés en emploi partagé ou mis à disposition",
    "etp_mutualises": "ETP mutualisés",
    "contrats_geiq": "Contrats en alternance via un GEIQ",
    "pluriactifs": "Travailleurs pluriactifs accompagnés",
    "porteurs_accompagnes": "Porteurs de projet accompagnés",
    "activites_creees": "Activités créées",
    "entrepreneurs_salaries": "Entrepreneurs-salariés",
    "emplois_crees_activites": "Emplois créés par les activités accompagnées",
    "salaries_formes": "Salariés ayant suivi une formation",
    "temps_partiel_subi": "Salariés à temps partiel subi",
    "representation_salaries": "Représentation des salariés dans la gouvernance (1 = oui, 0 = non)",
    "services_salaries": "Services mutualisés proposés aux salariés",
}


def test_twelve_poles_numbered_one_to_twelve() -> None:
    poles = load_poles()
    assert [p.numero for p in poles] == list(range(1, 13))
    assert len({p.pole_id for p in poles}) == 12
    assert poles[2].nom == "PHARES" and poles[2].departement == "93"
    assert poles[0].representants.startswith("Stéphane MONTUZET")
    for p in poles:
        assert 41 < p.latitude < 51.5 and -5 < p.longitude < 9.6, p.pole_id  # metropolitan France
        assert p.description and p.region and p.structure_initiatrice


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PHARES", "phares"),
        ("phares", "phares"),
        ("Bou'Sol", "bousol"),
        ("BOU SOL", "bousol"),
        ("Domb'Innov", "dombinnov"),
        ("Pôle Sud Aquitain", "sud_aquitain"),
        ("pole sud aquitain", "sud_aquitain"),
        ("AlpEn", "alpen"),
        ("12", "alpen"),
        (7.0, "bousol"),
        ("7- PTCE Bou'Sol", "bousol"),
        ("PTCE RE-Sources", "re_sources"),
        ("Entrepreneurs Solidaires en Centre Isère", "esci"),
        ("PTCE Bourian : Filière agro - forestière et éco-construction", "bourian"),
        ("FigeACTeurs", "figeacteurs"),
        ("Pôle Laine en Pays de Saugues", "laine_saugues"),
        ("Pôle Tarnais de Coopération Economique", "tarnais"),
        ("PTCE Filières locales d'éco matériaux", "eco_materiaux"),
    ],
)
def test_pole_matching_is_insensitive(text: object, expected: str) -> None:
    assert PoleMatcher().match(text) == expected


@pytest.mark.parametrize("text", ["", "13", "0", "Pôle Nord", "2016", None, "4- PHARES"])
def test_unknown_or_contradictory_poles_do_not_match(text: object) -> None:
    assert PoleMatcher().match(text) is None


def test_catalogue_keeps_spec_codes_and_labels() -> None:
    catalog = load_catalog()
    for code, label in SPEC_CORE.items():
        assert catalog.get(code).libelle == label
        assert catalog.match(label) == code
        assert catalog.match(label.upper()) == code
        assert catalog.match(code) == code


def test_catalogue_rules_are_complete() -> None:
    catalog = load_catalog()
    iris = {i.code: i.iris for i in catalog.indicators if i.iris}
    assert iris == {"emplois_crees": "PI3687", "emplois_consolides": "PI5691", "etp": "PI4874"}
    for ind in catalog.indicators:
        assert ind.definition and ind.unite
        assert ind.personnes == (ind.unite == "personnes"), ind.code
    assert {d.code for d in catalog.domains} == {ind.domaine for ind in catalog.indicators}


def test_dynamic_exit_rate_follows_iae_definition() -> None:
    rate = next(d for d in load_catalog().derived if d.code == "taux_sortie_dynamique")
    assert set(rate.numerateur) == {
        "sorties_emploi_durable",
        "sorties_emploi_transition",
        "sorties_positives",
    }
    assert rate.denominateur == ("sorties",)


def test_key_figures_come_from_the_catalogue_in_order() -> None:
    figures = load_catalog().key_figures
    assert [(k.code, k.libelle_court, k.entete) for k in figures] == [
        ("membres", "Structures membres", "Structures membres"),
        ("salaries", "Salariés", "Salariés"),
        ("etp", "Équivalents temps plein", "ETP"),
        ("emplois_crees", "Emplois créés", "Emplois créés"),
        ("emplois_consolides", "Emplois consolidés", "Emplois consolidés"),
        ("personnes_accompagnees", "Personnes accompagnées", "Personnes accompagnées"),
        ("sorties_emploi_durable", "Sorties vers l'emploi durable", "Sorties emploi durable"),
        ("taux_sortie_dynamique", "Taux de sorties dynamiques", "Taux de sorties dynamiques"),
    ]
    assert load_catalog().unit("taux_sortie_dynamique") == "%"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PHARES_indicateurs_2016", "phares"),  # a file name
        ("AMI_2015_Pôle_Laine", "laine_saugues"),
        ("PTCE Bou'Sol (Pain et Partage)", "bousol"),  # a precision after the name
        ("Pôle AlpEn - Groupe ULISSE", "alpen"),
        ("Candidature AMI - Bou'Sol", "bousol"),
        ("export_3", None),  # a bare number is a version, not pole n° 3
        ("AMI 2015", None),
        ("PHARES et Bou'Sol", None),  # two poles named: none, rather than a guess
        ("", None),
        (None, None),
    ],
)
def test_one_pole_finder_for_file_names_headers_and_cells(text: str | None, expected: str | None) -> None:
    assert PoleMatcher().find(text) == expected


def test_visit_settings_follow_the_seed() -> None:
    config = load_visit_config()
    # Seed 000: about four learning visits a year; the AMI asks about April 2015 to July 2017.
    assert config.visits_per_year == 4
    assert (config.period_start.isoformat(), config.period_end.isoformat()) == (
        "2015-04-01",
        "2017-07-31",
    )
    assert tuple(k.code for k in config.types) == VISIT_TYPES
    assert config.visit_type("Visites apprenantes") == "visite apprenante"
    assert config.visit_type("SEMINAIRE") == "séminaire de capitalisation"
    assert config.visit_type("visio") == "échange à distance"
    assert config.visit_type("pique-nique") is None
    assert config.host_required("visite apprenante")
    assert not config.host_required("séminaire de capitalisation")
    # Every angle named is a working angle of the catalogue.
    assert set(config.angle_words) == {d.code for d in load_catalog().domains}


def test_community_indicators_are_defined_once_and_apart_from_typed_ones() -> None:
    community = load_community_indicators()
    codes = [i.code for i in community]
    assert len(codes) == len(set(codes)) >= 8
    assert not set(codes) & set(load_catalog().codes)
    assert all(i.libelle and i.definition for i in community)
    assert [i.code for i in community if i.personnes] == ["participants"]


def test_ratios_name_existing_codes_and_divide_by_a_size_indicator() -> None:
    catalog = load_catalog()
    ratios = {r.code: r for r in catalog.ratios}
    assert len(ratios) >= 6
    for ratio in ratios.values():
        assert ratio.numerateur in catalog.codes, ratio.code
        assert ratio.denominateur in {"etp", "personnes_accompagnees", "membres"}, ratio.code
        assert ratio.facteur in (1.0, 100.0), ratio.code
        assert ratio.domaine in {d.code for d in catalog.domains}, ratio.code
        assert ratio.code not in catalog.codes
    assert ratios["emplois_crees_par_membre"].numerateur == "emplois_crees"
    assert ratios["emplois_crees_par_membre"].denominateur == "membres"
    assert ratios["emploi_durable_pour_100_accompagnes"].facteur == 100.0
    assert catalog.label("emplois_crees_pour_100_etp") == "Emplois créés pour 100 ETP"
    assert catalog.unit("etp_par_membre") == "ratio"


def test_every_pole_has_a_peer_group_and_size_classes_follow_the_bounds() -> None:
    poles = {p.pole_id: p for p in load_poles()}
    assert {p.territoire for p in poles.values()} == {"rural", "urbain", "mixte"}
    assert all(p.secteur_principal for p in poles.values())
    assert poles["laine_saugues"].territoire == "rural"
    assert poles["alpen"].territoire == "urbain"
    assert poles["bousol"].secteur_principal == "Filières agricoles et alimentaires"
    assert size_class(14.0) == "Petit pôle (moins de 15 structures)"
    assert size_class(15.0) == "Pôle moyen (15 à 24 structures)"
    assert size_class(25.0) == "Grand pôle (25 structures ou plus)"
    assert size_class(None) is None and size_class(float("nan")) is None
