"""A small published warehouse of the community's events, written by hand for the visit tests.

Every contract table is created (empty) with `ptce.contract`'s statements, so the app runs on it;
the visit tables get the rows below. Every figure the tests expect is counted by hand from these
rows (the comments say how), never by the code under test.

Poles: alpha (1), beta (2), gamma (3), delta (4), epsilon (5).
Events (statut tenue unless said):
- V1 learning visit hosted by alpha, 10/06/2015, no place of its own (drawn at alpha's), 12
  participants; beta and gamma came.
- V2 learning visit hosted by beta, 15/03/2016, at Nantes, 3 participants; alpha came.
- V3 learning visit hosted by alpha, 05/10/2016, 8 participants; beta and delta came.
- V4 seminar in Paris, 01/12/2016, no host, 30 participants; alpha, beta, gamma, delta there.
- V5 learning visit hosted by gamma, 20/05/2017, 4 participants; alpha came.
- V6 seminar in Lyon, 29–30/06/2017, no host, 25 participants; alpha and gamma there.
- V7 learning visit hosted by delta, 15/09/2017, PLANNED, participants unknown; beta expected.
- V8 remote exchange, 10/05/2016, no host and no place (not on the map), 6 participants; gamma
  and delta there.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb

from ptce.contract import TABLES, create_table_sql
from ptce.paths import DataLayout
from ptce.read.base import Warehouse

D = date
POLES = [
    # pole_id, numero, nom, nom_court, latitude, longitude
    ("alpha", 1, "Pôle Alpha", "Alpha", 45.0, 5.0),
    ("beta", 2, "Pôle Bêta", "Bêta", 47.0, -1.0),
    ("gamma", 3, "Pôle Gamma", "Gamma", 43.6, 1.4),
    ("delta", 4, "Pôle Delta", "Delta", 48.5, 7.7),
    ("epsilon", 5, "Pôle Epsilon", "Epsilon", 49.0, 2.0),
]
VA, SEM, DIST = "visite apprenante", "séminaire de capitalisation", "échange à distance"
# visit_id, host, date, end, year, type, title, place, lat, lon, themes, poles present, participants,
# documents, statut
VISITS = [
    ("V1", "alpha", D(2015, 6, 10), None, 2015, VA, "Visite du groupement agricole", None, None, None,
     "mutualisation", 3, 12, 1, "tenue"),
    ("V2", "beta", D(2016, 3, 15), None, 2016, VA, "Visite de l'atelier", "Nantes", 47.2, -1.55,
     "parcours", 2, 3, 0, "tenue"),
    ("V3", "alpha", D(2016, 10, 5), None, 2016, VA, "Visite du plan de formation", None, None, None,
     "formation", 3, 8, 0, "tenue"),
    ("V4", None, D(2016, 12, 1), None, 2016, SEM, "Séminaire de Paris", "Paris", 48.8566, 2.3522,
     "capitalisation", 4, 30, 2, "tenue"),
    ("V5", "gamma", D(2017, 5, 20), None, 2017, VA, "Visite du fonds", None, None, None,
     "création", 2, 4, 0, "tenue"),
    ("V6", None, D(2017, 6, 29), D(2017, 6, 30), 2017, SEM, "Séminaire de Lyon", "Lyon", 45.764, 4.8357,
     "qualité", 2, 25, 0, "tenue"),
    ("V7", "delta", D(2017, 9, 15), None, 2017, VA, "Visite prévue chez Delta", None, None, None,
     None, 2, None, 0, "prévue"),
    ("V8", None, D(2016, 5, 10), None, 2016, DIST, "Échange à distance", None, None, None,
     "emploi", 2, 6, 0, "tenue"),
]  # fmt: skip
VISIT_POLES = [
    ("V1", "alpha", "hote"), ("V1", "beta", "participant"), ("V1", "gamma", "participant"),
    ("V2", "beta", "hote"), ("V2", "alpha", "participant"),
    ("V3", "alpha", "hote"), ("V3", "beta", "participant"), ("V3", "delta", "participant"),
    ("V4", "alpha", "participant"), ("V4", "beta", "participant"), ("V4", "gamma", "participant"),
    ("V4", "delta", "participant"),
    ("V5", "gamma", "hote"), ("V5", "alpha", "participant"),
    ("V6", "alpha", "participant"), ("V6", "gamma", "participant"),
    ("V7", "delta", "hote"), ("V7", "beta", "participant"),
    ("V8", "gamma", "participant"), ("V8", "delta", "participant"),
]  # fmt: skip
VISIT_ANGLES = [("V1", "mutualisation"), ("V2", "parcours"), ("V3", "parcours"), ("V3", "qualite")]
DOCUMENTS = [
    ("V1", "Compte rendu de la visite", "https://exemple.fr/cr-v1.pdf"),
    ("V4", "Synthèse du séminaire", "javascript:alert(1)"),
    ("V4", "Diaporama", "diaporama_paris.pptx"),
]
HOSTILE_TITLE = "<img src=x onerror=alert(1)>"
HOSTILE_TOOL = '=HYPERLINK("http://exemple.fr","clic")'
HOSTILE_DESCRIPTION = '**gras** et 100% _souligné_ pour l\'atelier "cité"'
# practice_id, title, pole, angle, tool, description, visit, event named in the file
PRACTICES = [
    ("P1", "Groupement d'employeurs agricole", "alpha", "mutualisation", "groupement d'employeurs",
     "Mutualiser trois postes à 50 % entre fermes", "V1", "Visite du groupement agricole"),
    ("P2", HOSTILE_TITLE, "beta", "parcours", HOSTILE_TOOL, HOSTILE_DESCRIPTION, "V2", None),
    ("P3", "Fonds territorial d'amorçage", "gamma", "creation", "fonds territorial",
     "Prêts d'honneur aux créateurs", None, "séminaire de Marseille"),
    ("P4", "Plan de formation partagé", "alpha", "qualite", "organisme de formation",
     "Former les salariés à temps partiel", "V3", None),
]  # fmt: skip
# pole, offered, experiences, period, hosted, first, last, statut
OFFERS = [
    ("alpha", True, "Le groupement agricole", "printemps 2015", 2, D(2015, 6, 10), D(2016, 10, 5), "honorée"),
    ("beta", True, "L'atelier", "2016", 1, D(2016, 3, 15), D(2016, 3, 15), "honorée"),
    ("gamma", True, "Le fonds", "2017", 1, D(2017, 5, 20), D(2017, 5, 20), "honorée"),
    ("delta", True, "La plateforme de mobilité", "automne 2017", 0, None, None, "ouverte"),
    ("epsilon", False, None, None, 0, None, None, "déclinée"),
]
# The pipeline's figures for these events (catalogue `vie_de_la_communaute`), counted by hand:
# held events 7 (2015: V1; 2016: V2, V3, V4, V8; 2017: V5, V6); learning visits held 4; seminars
# 2; poles present per learning visit (3 + 2 + 3 + 2) / 4 = 2,5; participants 12 + 47 + 29 = 88;
# poles present at least once 4 (not epsilon); poles having hosted 3; practices 4.
COMMUNITY = [
    (None, "evenements", 7), (2015, "evenements", 1), (2016, "evenements", 4), (2017, "evenements", 2),
    (None, "visites_apprenantes", 4), (2015, "visites_apprenantes", 1), (2016, "visites_apprenantes", 2),
    (2017, "visites_apprenantes", 1),
    (None, "seminaires", 2), (2016, "seminaires", 1), (2017, "seminaires", 1),
    (None, "poles_presents_par_visite", 2.5),
    (None, "participants", 88), (2015, "participants", 12), (2016, "participants", 47),
    (2017, "participants", 29),
    (None, "poles_participants", 4), (None, "poles_hotes", 3), (None, "pratiques_partagees", 4),
]  # fmt: skip


def build(path: Path, *, with_visits: bool = True) -> Warehouse:
    """Every contract table at `path`, the visit tables filled (or left empty), a demo publication."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as con:
        for table in TABLES:
            con.execute(create_table_sql(table))
        con.executemany(
            "insert into poles (pole_id, numero, nom, nom_court, latitude, longitude) values (?, ?, ?, ?, ?, ?)",
            [list(p) for p in POLES],
        )
        con.execute(
            "insert into publication (published_at, run_id, donnees_demo, catalogue_version, nb_fichiers) "
            "values (?, 'essai', true, 'essai', 0)",
            [datetime(2026, 1, 5, 9, 30)],
        )
        if with_visits:
            con.executemany(
                """
                insert into visits (visit_id, pole_id, date_visite, date_fin, annee, type, titre, lieu,
                    latitude, longitude, themes, nb_poles_presents, nb_participants, nb_documents, statut)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [list(v) for v in VISITS],
            )
            con.executemany("insert into visit_poles values (?, ?, ?)", [list(r) for r in VISIT_POLES])
            con.executemany("insert into visit_angles values (?, ?)", [list(r) for r in VISIT_ANGLES])
            con.executemany(
                "insert into visit_documents (visit_id, titre, lien, row_number) values (?, ?, ?, ?)",
                [[*d, i + 2] for i, d in enumerate(DOCUMENTS)],
            )
            con.executemany(
                """
                insert into practices (practice_id, titre, pole_id, angle, outil, description, visit_id,
                    visite_mentionnee)
                values (?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [list(p) for p in PRACTICES],
            )
            con.executemany(
                "insert into visit_offers values (?, ?, ?, ?, ?, ?, ?, ?)", [list(o) for o in OFFERS]
            )
            con.executemany("insert into community_indicators values (?, ?, ?)", [list(c) for c in COMMUNITY])
    return Warehouse(str(path), path.stat().st_mtime_ns)


def build_data_dir(data_dir: Path, *, with_visits: bool = True) -> Path:
    """A data directory whose published warehouse is the one above (for the app)."""
    build(DataLayout(data_dir).warehouse, with_visits=with_visits)
    return data_dir
