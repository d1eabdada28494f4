"""Fictitious community events and practices (`ptce sample`), planned for `raw/visites/`.

Two files, as the COORACE team could keep them: a CSV from French Excel (CP1252, `;`) with the events
of 2015–2016, and a workbook with the 2017 events and a sheet « Pratiques » of the practices shared.
Everything is invented except what seed 000 says (a launch in May 2015, about four learning visits
a year, capitalisation seminars in 2016 and 2017, Michel Adam of the Labo de l'ESS as a resource
person). Learning visits are hosted only by poles whose demo application offered to host one,
around the experience they named, near the period they proposed; one offer stays open (Pôle Sud
Aquitain), one pole never attends (RE-Sources, still in project). Two rows are wrong on purpose
(`FAULTY_ROWS`): an impossible date and a mistyped host, which the parser quarantines.

`DEMO_EVENTS` and `DEMO_PRACTICES` are the source of truth (tests check the published tables
against them); `plan_demo_files` writes them the way people type them (dates in words or figures,
pole names in several spellings).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from pipelines.shared.domain import PlannedFile
from pipelines.shared.sample import DEMO_NOTICE, normalise_zip
from ptce.paths import DataLayout

CSV_NAME = "visites_2015_2016.csv"
XLSX_NAME = "visites_et_pratiques_2017.xlsx"
HEADER = [
    "Date",
    "Type",
    "Pôle hôte",
    "Lieu",
    "Titre",
    "Thèmes",
    "Pôles présents",
    "Nombre de participants",
    "Personnes ressources",
    "Documents",
]
PRACTICE_HEADER = ["Titre", "Pôle", "Angle de travail", "Outil", "Description", "Visite"]
NEVER_ATTENDS = "re_sources"
OPEN_OFFER = "sud_aquitain"
# What the demo applications offered (`pipelines/applications/demo_*.py`, current versions) and
# therefore what each pole's offer becomes once these events are read.
EXPECTED_OFFERS = {
    "alpen": "sans réponse",
    "bourian": "honorée",
    "bousol": "honorée",
    "dombinnov": "honorée",
    "eco_materiaux": "déclinée",
    "esci": "honorée",
    "figeacteurs": "honorée",
    "laine_saugues": "honorée",
    "phares": "déclinée",
    "re_sources": "déclinée",
    "sud_aquitain": "ouverte",
    "tarnais": "honorée",
}
_ALL_BUT_RE_SOURCES = (
    "Pôle Sud Aquitain ; Pôle Laine ; PHARES ; Pôle Tarnais ; Bourian ; FigeACTeurs ; Bou'Sol ; "
    "Éco-matériaux ; Domb'Innov ; ESCI ; AlpEn"
)


@dataclass(frozen=True)
class DemoEvent:
    """One event as written in the file (`date_text`, pole spellings) and what it must become."""

    date_text: str | date  # as typed; a date is written as an Excel date cell
    type_text: str
    host_text: str
    lieu: str
    titre: str
    themes: str
    presents_text: str
    participants: int | str | None
    ressources: str
    documents: str
    # Intended values
    start: date | None  # None: the row is meant to be quarantined
    end: date | None
    kind: str
    host: str | None
    presents: frozenset[str]  # every pole present, host included
    in_xlsx: bool


def _poles(*ids: str) -> frozenset[str]:
    return frozenset(ids)


_ALL_BUT_RE_SOURCES_IDS = _poles(
    "sud_aquitain",
    "laine_saugues",
    "phares",
    "tarnais",
    "bourian",
    "figeacteurs",
    "bousol",
    "eco_materiaux",
    "dombinnov",
    "esci",
    "alpen",
)

DEMO_EVENTS: tuple[DemoEvent, ...] = (
    DemoEvent(
        "28/05/2015",
        "Réunion de lancement",
        "",
        "Paris",
        "Lancement de la communauté apprenante",
        "emploi et sécurisation des parcours ; règles de fonctionnement",
        _ALL_BUT_RE_SOURCES,
        34,
        "Équipe COORACE ; chargée de programme de la fondation (fictive)",
        "Relevé de décisions (releve_lancement_2015.pdf)",
        date(2015, 5, 28),
        None,
        "rencontre nationale",
        None,
        _ALL_BUT_RE_SOURCES_IDS,
        False,
    ),
    DemoEvent(
        "jeudi 15 octobre 2015",
        "Visite apprenante",
        "PTCE Bourian",
        "Gourdon",
        "La plateforme bois-énergie et une scierie partenaire",
        "emploi local, parcours d'insertion et création d'activités",
        "FigeACTeurs, Pôle Tarnais et Pôle Laine",
        18,
        "Gérant d'une scierie partenaire (fictif)",
        "Compte rendu de visite (cr_visite_bourian_2015.pdf)",
        date(2015, 10, 15),
        None,
        "visite apprenante",
        "bourian",
        _poles("bourian", "figeacteurs", "tarnais", "laine_saugues"),
        False,
    ),
    DemoEvent(
        "10/12/2015",
        "Visioconférence",
        "",
        "À distance",
        "GPECT : anticiper les compétences sur un territoire",
        "GPECT ; mutualisation",
        "1 ; 11 ; 10 ; 4",
        9,
        "",
        "",
        date(2015, 12, 10),
        None,
        "échange à distance",
        None,
        _poles("sud_aquitain", "esci", "dombinnov", "tarnais"),
        False,
    ),
    DemoEvent(
        "10/03/2016",
        "Visite",
        "Domb'Innov",
        "Villars-les-Dombes",
        "L'incubateur d'entreprises sociales et le service de recrutement partagé",
        "création d'activités ; recrutement partagé, mutualisation",
        "PHARES, ESCI, AlpEn, Bou'Sol",
        21,
        "Responsable de l'incubateur (fictive)",
        "Compte rendu (cr_visite_dombinnov_2016.pdf) ; Diaporama de l'incubateur (incubateur.pptx)",
        date(2016, 3, 10),
        None,
        "visite apprenante",
        "dombinnov",
        _poles("dombinnov", "phares", "esci", "alpen", "bousol"),
        False,
    ),
    DemoEvent(
        "16 juin 2016",
        "Visite apprenante",
        "Pôle Laine",
        "Saugues",
        "Les Ateliers de la Bruyère et la chaîne de transformation de la laine",
        "parcours d'insertion ; pluriactivité et emploi partagé",
        "Pôle Sud Aquitain ; PTCE Bourian : Filière agro - forestière et éco-construction ; Éco-matériaux",
        15,
        "Encadrant technique du chantier d'insertion (fictif)",
        "Compte rendu (cr_visite_laine_2016.pdf)",
        date(2016, 6, 16),
        None,
        "visite apprenante",
        "laine_saugues",
        _poles("laine_saugues", "sud_aquitain", "bourian", "eco_materiaux"),
        False,
    ),
    DemoEvent(
        "1er juillet 2016",
        "Visite apprenante",
        "7",
        "Marseille",
        "Une boulangerie d'insertion et le moulin partenaire",
        "parcours formatifs, qualification ; qualité de l'emploi",
        "Figeacteurs ; ESCI ; Tarnais ; Dombinnov",
        19,
        "Meunier partenaire (fictif)",
        "Compte rendu (cr_visite_bousol_2016.pdf)",
        date(2016, 7, 1),
        None,
        "visite apprenante",
        "bousol",
        _poles("bousol", "figeacteurs", "esci", "tarnais", "dombinnov"),
        False,
    ),
    DemoEvent(
        "13/10/2016",
        "Visite apprenante",
        "Pôle Tarnais",
        "Castres",
        "La CAE REGATE et les services partagés des Ateliers de Castres",
        "CAE, création d'activité ; emploi partagé",
        "PHARES ; Bourian ; AlpEn ; Pôle Sud Aquitain ; Bou'Sol",
        22,
        "Gérante de la CAE (fictive)",
        "Compte rendu (cr_visite_tarnais_2016.pdf)",
        date(2016, 10, 13),
        None,
        "visite apprenante",
        "tarnais",
        _poles("tarnais", "phares", "bourian", "alpen", "sud_aquitain", "bousol"),
        False,
    ),
    DemoEvent(
        "24-25 novembre 2016",
        "Séminaire de capitalisation",
        "",
        "Paris",
        "Séminaire de capitalisation 2016",
        "parcours ; mutualisation ; création d'activités",
        _ALL_BUT_RE_SOURCES,
        41,
        "Chercheuse en économie sociale (fictive) ; Équipe COORACE",
        "Actes du séminaire 2016 (actes_seminaire_2016.pdf) ; Fiches pratiques (fiches_pratiques_2016.pdf)",
        date(2016, 11, 24),
        date(2016, 11, 25),
        "séminaire de capitalisation",
        None,
        _ALL_BUT_RE_SOURCES_IDS,
        False,
    ),
    DemoEvent(
        "01/12/2016",
        "Visite apprenante",
        "ESCI",
        "Voiron",
        "L'activité de réemploi et le GEIQ du bâtiment",
        "GEIQ ; parcours et sorties vers l'emploi",
        "Pôle Laine ; Domb'Innov ; AlpEn",
        17,
        "Coordinatrice du GEIQ (fictive)",
        "Compte rendu (cr_visite_esci_2016.pdf)",
        date(2016, 12, 1),
        None,
        "visite apprenante",
        "esci",
        _poles("esci", "laine_saugues", "dombinnov", "alpen"),
        False,
    ),
    # Wrong on purpose: 31 April does not exist (quarantined).
    DemoEvent(
        "31/04/2016",
        "Échange à distance",
        "",
        "À distance",
        "Les clauses sociales dans les marchés publics",
        "emploi",
        "PHARES ; ESCI",
        7,
        "",
        "",
        None,
        None,
        "échange à distance",
        None,
        _poles("phares", "esci"),
        False,
    ),
    DemoEvent(
        date(2017, 2, 9),
        "Visite apprenante",
        "FigeACTeurs",
        "Figeac",
        "La conciergerie solidaire et la coopérative agricole",
        "mobilités entre structures, parcours ; qualité de l'emploi",
        "Bourian ; Pôle Tarnais ; PHARES ; Éco-matériaux",
        16,
        "Responsable de la conciergerie (fictive)",
        "Compte rendu (cr_visite_figeacteurs_2017.pdf)",
        date(2017, 2, 9),
        None,
        "visite apprenante",
        "figeacteurs",
        _poles("figeacteurs", "bourian", "tarnais", "phares", "eco_materiaux"),
        True,
    ),
    DemoEvent(
        "16/03/2017",
        "Échange à distance",
        "",
        "Visioconférence",
        "Préparer le séminaire de capitalisation 2017",
        "capitalisation des pratiques",
        "Pôle Sud Aquitain ; Bou'Sol ; ESCI ; AlpEn ; Domb'Innov ; PHARES",
        8,
        "",
        "",
        date(2017, 3, 16),
        None,
        "échange à distance",
        None,
        _poles("sud_aquitain", "bousol", "esci", "alpen", "dombinnov", "phares"),
        True,
    ),
    DemoEvent(
        date(2017, 5, 18),
        "Visite apprenante",
        "Bou'Sol",
        "Marseille",
        "Le moulin partenaire et la validation des acquis",
        "certification, VAE et parcours formatifs",
        "Pôle Laine ; Pôle Sud Aquitain ; Éco-matériaux",
        14,
        "Conseillère VAE (fictive)",
        "Compte rendu (cr_visite_bousol_2017.pdf)",
        date(2017, 5, 18),
        None,
        "visite apprenante",
        "bousol",
        _poles("bousol", "laine_saugues", "sud_aquitain", "eco_materiaux"),
        True,
    ),
    # Wrong on purpose: the host's name is mistyped (quarantined, « Pôle Sud Aquitain » suggested).
    DemoEvent(
        "08/06/2017",
        "Visite apprenante",
        "Pôle Sud Aquitin",
        "Tarnos",
        "La coopération avec les industriels de la zone portuaire",
        "GPECT ; emploi",
        "ESCI ; Tarnais",
        12,
        "",
        "",
        None,
        None,
        "visite apprenante",
        None,
        _poles("esci", "tarnais"),
        True,
    ),
    DemoEvent(
        "du 29 au 30 juin 2017",
        "Séminaire",
        "",
        "Lyon",
        "Séminaire de capitalisation 2017",
        "emploi ; parcours ; mutualisation ; création d'activités ; qualité de l'emploi",
        _ALL_BUT_RE_SOURCES.replace(" ; ", ", "),
        46,
        "Michel Adam, sociologue, Labo de l'ESS ; Équipe COORACE",
        "Actes du séminaire 2017 (actes_seminaire_2017.pdf) ; "
        "Synthèse en ligne : https://www.exemple.org/ptce/seminaire-2017",
        date(2017, 6, 29),
        date(2017, 6, 30),
        "séminaire de capitalisation",
        None,
        _ALL_BUT_RE_SOURCES_IDS,
        True,
    ),
)
FAULTY_ROWS = 2


@dataclass(frozen=True)
class DemoPractice:
    titre: str
    pole: str  # as written
    pole_id: str
    angle: str
    outil: str
    description: str
    visite: str  # as written in the « Visite » cell, "" when the practice came from no event
    visit_start: date | None  # the first day of the event it must be linked to


DEMO_PRACTICES: tuple[DemoPractice, ...] = (
    DemoPractice(
        "Plateforme bois-énergie partagée",
        "Bourian",
        "bourian",
        "Création d'activités",
        "SIAE",
        "Une plateforme commune d'approvisionnement crée des emplois locaux.",
        "Visite du 15 octobre 2015",
        date(2015, 10, 15),
    ),
    DemoPractice(
        "Tutorat en scierie pour les salariés en insertion",
        "Bourian",
        "bourian",
        "Parcours et sécurisation",
        "",
        "Un tuteur par salarié en insertion accueilli en scierie.",
        "15/10/2015",
        date(2015, 10, 15),
    ),
    DemoPractice(
        "Charte d'accueil des stagiaires du bois",
        "5",
        "bourian",
        "Qualité de l'emploi",
        "",
        "Conditions d'accueil écrites avec les entreprises partenaires.",
        "Visite Bourian 2015",
        date(2015, 10, 15),
    ),
    DemoPractice(
        "Démarche GPECT de la zone portuaire",
        "Pôle Sud Aquitain",
        "sud_aquitain",
        "Emploi au sein du PTCE",
        "GPECT",
        "Diagnostic partagé des besoins en compétences avec les industriels.",
        "Visioconférence du 10/12/2015",
        date(2015, 12, 10),
    ),
    DemoPractice(
        "Incubateur d'entreprises sociales",
        "Domb'Innov",
        "dombinnov",
        "Création d'activités",
        "incubateur",
        "Accompagnement des porteurs de projet du territoire pendant dix-huit mois.",
        "Visite Domb'Innov 2016",
        date(2016, 3, 10),
    ),
    DemoPractice(
        "Service de recrutement partagé",
        "Domb'Innov",
        "dombinnov",
        "Mutualisation",
        "groupement d'employeurs",
        "Un chargé de recrutement commun aux entreprises du pôle.",
        "10/03/2016",
        date(2016, 3, 10),
    ),
    DemoPractice(
        "Comité d'engagement des porteurs de projet",
        "PHARES",
        "phares",
        "Création d'activités",
        "CAE",
        "Un comité mixte décide de l'accompagnement des projets.",
        "2016-03-10",
        date(2016, 3, 10),
    ),
    DemoPractice(
        "Chaîne de transformation de la laine",
        "Pôle Laine",
        "laine_saugues",
        "Emploi",
        "SIAE",
        "Du lavage au produit fini, chaque étape crée des postes en insertion.",
        "Les Ateliers de la Bruyère et la chaîne de transformation de la laine",
        date(2016, 6, 16),
    ),
    DemoPractice(
        "Emploi partagé entre éleveurs et artisans",
        "Pôle Laine",
        "laine_saugues",
        "Formes d'emploi et mutualisation",
        "groupement d'employeurs",
        "Des salariés pluriactifs partagés entre saisons.",
        "16 juin 2016",
        date(2016, 6, 16),
    ),
    DemoPractice(
        "Éco-construction en circuit court",
        "Éco-matériaux",
        "eco_materiaux",
        "Création d'activités",
        "organisme de formation",
        "Les matériaux locaux ouvrent des activités nouvelles.",
        "Visite Pôle Laine juin 2016",
        date(2016, 6, 16),
    ),
    DemoPractice(
        "Parcours formatif en boulangerie",
        "Bou'Sol",
        "bousol",
        "Parcours et sécurisation",
        "organisme de formation",
        "De l'accueil à la certification, un parcours dans les boulangeries du pôle.",
        "01/07/2016",
        date(2016, 7, 1),
    ),
    DemoPractice(
        "Filière blé-farine-pain locale",
        "Bou'Sol",
        "bousol",
        "Emploi",
        "",
        "Paysans, meunier et boulangers coopèrent sur les prix et les volumes.",
        "Visite Bou'Sol 2016",
        date(2016, 7, 1),
    ),
    DemoPractice(
        "Horaires de jour en boulangerie",
        "Bou'Sol",
        "bousol",
        "Qualité de l'emploi",
        "",
        "La production de nuit limitée pour les salariés en parcours.",
        "1er juillet 2016",
        date(2016, 7, 1),
    ),
    DemoPractice(
        "Coopérative d'activité et d'emploi",
        "Pôle Tarnais",
        "tarnais",
        "Création d'activités",
        "cae",
        "Les entrepreneurs salariés testent leur activité dans la CAE REGATE.",
        "2016-10-13-visite-tarnais",
        date(2016, 10, 13),
    ),
    DemoPractice(
        "Services partagés des Ateliers de Castres",
        "Tarnais",
        "tarnais",
        "Mutualisation",
        "groupement d'employeurs",
        "Accueil, comptabilité et locaux partagés entre structures.",
        "13/10/2016",
        date(2016, 10, 13),
    ),
    DemoPractice(
        "Temps partagé entre structures membres",
        "AlpEn",
        "alpen",
        "Formes d'emploi et mutualisation",
        "groupement d'employeurs",
        "Un salarié à temps partagé entre trois structures.",
        "Visite Tarnais octobre 2016",
        date(2016, 10, 13),
    ),
    DemoPractice(
        "Fiches de capitalisation des visites",
        "PHARES",
        "phares",
        "Parcours et sécurisation",
        "",
        "Un modèle commun de fiche pour garder ce que chaque visite apprend.",
        "Séminaire de Paris 2016",
        date(2016, 11, 24),
    ),
    DemoPractice(
        "Lieu partagé d'économie sociale",
        "PHARES",
        "phares",
        "Mutualisation",
        "tiers-lieu",
        "Locaux, équipements et services partagés entre associations et entreprises.",
        "séminaire 2016",
        date(2016, 11, 24),
    ),
    DemoPractice(
        "Clause sociale dans les marchés de rénovation",
        "AlpEn",
        "alpen",
        "Emploi au sein du PTCE",
        "clause sociale",
        "Les heures d'insertion des marchés publics orientées vers les membres.",
        "25/11/2016",
        date(2016, 11, 24),
    ),
    DemoPractice(
        "GEIQ du bâtiment",
        "ESCI",
        "esci",
        "Mutualisation",
        "GEIQ",
        "Des contrats en alternance portés par le GEIQ pour les entreprises du BTP.",
        "Visite ESCI 2016",
        date(2016, 12, 1),
    ),
    DemoPractice(
        "Réemploi des matériaux de chantier",
        "ESCI",
        "esci",
        "Création d'activités",
        "SIAE",
        "Une activité de réemploi née des déchets de chantier.",
        "01/12/2016",
        date(2016, 12, 1),
    ),
    DemoPractice(
        "Conciergerie solidaire",
        "FigeACTeurs",
        "figeacteurs",
        "Qualité de l'emploi",
        "",
        "Des services aux salariés des entreprises du territoire.",
        "La conciergerie solidaire et la coopérative agricole",
        date(2017, 2, 9),
    ),
    DemoPractice(
        "Passerelles entre structures membres",
        "FigeACTeurs",
        "figeacteurs",
        "Parcours et sécurisation",
        "SIAE",
        "Un salarié passe d'une structure à l'autre sans rupture de parcours.",
        "09/02/2017",
        date(2017, 2, 9),
    ),
    DemoPractice(
        "Validation des acquis en boulangerie",
        "Bou'Sol",
        "bousol",
        "Parcours",
        "organisme de formation",
        "Les compétences acquises reconnues par la VAE.",
        "18 mai 2017",
        date(2017, 5, 18),
    ),
    DemoPractice(
        "Panneaux en bois local",
        "Eco matériaux",
        "eco_materiaux",
        "Création d'activités",
        "",
        "Une unité de production partagée par des artisans.",
        "Visite Bou'Sol 2017",
        date(2017, 5, 18),
    ),
    DemoPractice(
        "Grille de lecture de la qualité de l'emploi",
        "ESCI",
        "esci",
        "Qualité de l'emploi",
        "",
        "Une grille commune pour parler temps partiel, formation et représentation.",
        "Séminaire de Lyon",
        date(2017, 6, 29),
    ),
    DemoPractice(
        "Référentiel des sorties dynamiques",
        "Domb'Innov",
        "dombinnov",
        "Parcours et sécurisation",
        "SIAE",
        "Une définition partagée des sorties vers l'emploi.",
        "30/06/2017",
        date(2017, 6, 29),
    ),
    DemoPractice(
        "Plateforme de mobilité",
        "RE-Sources",
        "re_sources",
        "Parcours et sécurisation",
        "plateforme de mobilité",
        "Auto-école sociale et prêt de véhicules pour l'accès à l'emploi.",
        "",
        None,
    ),
    DemoPractice(
        "Fonds territorial pour l'emploi",
        "Pôle Sud Aquitain",
        "sud_aquitain",
        "Emploi",
        "fonds territorial",
        "Un fonds abondé par les entreprises de la zone.",
        "",
        None,
    ),
    DemoPractice(
        "Chantier école en paille",
        "Éco-matériaux",
        "eco_materiaux",
        "Parcours et sécurisation",
        "organisme de formation",
        "Un chantier école qualifiant pour les demandeurs d'emploi.",
        "",
        None,
    ),
    DemoPractice(
        "Représentation des salariés au conseil",
        "PTCE Bourian",
        "bourian",
        "Qualité de l'emploi",
        "",
        "Deux sièges de salariés au conseil d'administration de la SCIC.",
        "",
        None,
    ),
)


def _event_row(event: DemoEvent) -> list[object]:
    return [
        event.date_text,
        event.type_text,
        event.host_text,
        event.lieu,
        event.titre,
        event.themes,
        event.presents_text,
        event.participants,
        event.ressources,
        event.documents,
    ]


def write_demo_csv(path: Path) -> None:
    """The 2015–2016 events as French Excel saves them: CP1252, `;`, CRLF."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([DEMO_NOTICE])
    writer.writerow(HEADER)
    for event in DEMO_EVENTS:
        if not event.in_xlsx:
            writer.writerow(["" if v is None else v for v in _event_row(event)])
    path.write_bytes(buffer.getvalue().encode("cp1252"))


def write_demo_xlsx(path: Path) -> None:
    """The 2017 events (sheet « Événements ») and the practices (sheet « Pratiques »)."""
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    events = workbook.active
    events.title = "Événements"
    events.append(["Communauté apprenante PTCE — visites et rencontres 2017"])
    events["A1"].font = Font(bold=True, size=14)
    events.append([DEMO_NOTICE])
    events.append([])
    events.append(HEADER)
    for event in DEMO_EVENTS:
        if event.in_xlsx:
            events.append(_event_row(event))
            if isinstance(event.date_text, date):
                events.cell(row=events.max_row, column=1).number_format = "DD/MM/YYYY"
    practices = workbook.create_sheet("Pratiques")
    practices.append([DEMO_NOTICE])
    practices.append(PRACTICE_HEADER)
    for p in DEMO_PRACTICES:
        practices.append([p.titre, p.pole, p.angle, p.outil or None, p.description, p.visite or None])
    fixed = datetime(2018, 1, 15, 9, 0, 0)
    workbook.properties.created = fixed
    workbook.properties.modified = fixed
    workbook.properties.creator = "Observatoire PTCE (démo)"
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(normalise_zip(buffer.getvalue()))


def plan_demo_files(staging: Path, layout: DataLayout) -> list[PlannedFile]:
    """Write the two demo files in `staging`, each planned for `raw/visites/` with its sending date."""
    folder = staging / "visites"
    folder.mkdir(parents=True, exist_ok=True)
    csv_path, xlsx_path = folder / CSV_NAME, folder / XLSX_NAME
    write_demo_csv(csv_path)
    write_demo_xlsx(xlsx_path)
    target = layout.raw_folder("visites")
    return [
        (csv_path, target / CSV_NAME, datetime(2017, 1, 10, 10, 0, tzinfo=UTC)),
        (xlsx_path, target / XLSX_NAME, datetime(2017, 7, 12, 10, 0, tzinfo=UTC)),
    ]
