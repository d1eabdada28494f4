"""The published warehouse contract: its tables and columns, and how readers open it.

`curated/ptce.duckdb` is rebuilt by the pipeline and swapped in atomically; readers (dashboards,
report, analysts, the pipeline reading the last publication) open it read-only, through
`connect_readonly`. The column lists below are the stable interface (SPEC §4); the pipeline creates
exactly these tables, and a test checks it.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

# ingest_log.status: ok (every row loaded), partial (some rows quarantined or left out), error (the
# file could not be read: nothing loaded), ignored (a system or hidden file, or one outside the kind
# folders: listed, never read, 0 rows).
INGEST_STATUSES = ("ok", "partial", "error", "ignored")

# table -> {column: DuckDB type}. Order matters: it is the column order in the warehouse.
TABLES: dict[str, dict[str, str]] = {
    "poles": {
        "pole_id": "VARCHAR",
        "numero": "INTEGER",
        "nom": "VARCHAR",
        "nom_court": "VARCHAR",
        "noms_usuels": "VARCHAR",
        "structure_initiatrice": "VARCHAR",
        "description": "VARCHAR",
        "representants": "VARCHAR",
        "departement": "VARCHAR",
        "nom_departement": "VARCHAR",
        "region": "VARCHAR",
        "commune": "VARCHAR",
        "latitude": "DOUBLE",
        "longitude": "DOUBLE",
        # Peer group of the comparison page (rural | urbain | mixte) and main sector.
        "territoire": "VARCHAR",
        "secteur_principal": "VARCHAR",
        # Membership, the reference file's date_entree / date_sortie (null: from the start / still a
        # member); a pole that left keeps its history. Named apart from the pathways' dates, so a
        # join on pole_id stays unambiguous.
        "date_adhesion": "DATE",
        "date_depart": "DATE",
        # Names it no longer goes by, still recognised in files (" | " between names).
        "anciens_noms": "VARCHAR",
        # The reference file of raw/poles/ that last added or amended it (null: ptce/reference/poles.yaml).
        "fichier_reference": "VARCHAR",
    },
    "indicator_catalog": {
        "code": "VARCHAR",
        "libelle": "VARCHAR",
        "definition": "VARCHAR",
        "unite": "VARCHAR",
        "domaine": "VARCHAR",
        "domaine_libelle": "VARCHAR",
        "domaine_ordre": "INTEGER",
        "ordre": "INTEGER",
        "agregation_poles": "VARCHAR",
        "agregation_trimestres": "VARCHAR",
        "personnes": "BOOLEAN",
        "sens": "VARCHAR",
        "entier": "BOOLEAN",
        "iris": "VARCHAR",
        "derive": "BOOLEAN",
        "numerateur": "VARCHAR",
        "denominateur": "VARCHAR",
        "catalogue_version": "VARCHAR",
    },
    "indicator_values": {
        "pole_id": "VARCHAR",
        "annee": "INTEGER",
        "trimestre": "INTEGER",
        "code": "VARCHAR",
        "valeur": "DOUBLE",
        "commentaire": "VARCHAR",
        "source_file": "VARCHAR",
        "row_number": "INTEGER",
    },
    "targets": {
        "pole_id": "VARCHAR",
        "annee": "INTEGER",
        "code": "VARCHAR",
        "valeur": "DOUBLE",
        "source_file": "VARCHAR",
        "row_number": "INTEGER",
    },
    # One row per pole and version of its answers to the AMI form (seed 003); `current` marks the
    # latest. Text answers are null when unanswered, never "". Structured fields are drawn from the
    # answers (their passages are in application_fields).
    "applications": {
        "pole_id": "VARCHAR",
        "source_file": "VARCHAR",
        "charte": "BOOLEAN",
        "accueil_visite": "BOOLEAN",
        "version": "INTEGER",
        "current": "BOOLEAN",
        "arrived_at": "TIMESTAMP",
        "format": "VARCHAR",
        "nb_questions": "INTEGER",
        "nb_repondues": "INTEGER",
        "completude": "DOUBLE",
        "i1_operationnel": "VARCHAR",
        "i2_objectifs": "VARCHAR",
        "i3_parties_prenantes": "VARCHAR",
        "i4_secteurs_statut": "VARCHAR",
        "i5_gouvernance": "VARCHAR",
        "i6_resultats": "VARCHAR",
        "ii1_problematiques": "VARCHAR",
        "ii2_objectifs_emploi": "VARCHAR",
        "ii3_experiences": "VARCHAR",
        "ii4_projets": "VARCHAR",
        "ii5_attentes": "VARCHAR",
        "ii6_apports": "VARCHAR",
        "experiences_visite": "VARCHAR",
        "echeance_visite": "VARCHAR",
        "operationnel": "BOOLEAN",
        "annee_debut": "INTEGER",
        "nb_parties_prenantes": "INTEGER",
        "nb_salaries": "INTEGER",
        "nb_benevoles": "INTEGER",
        "statut_juridique": "VARCHAR",
        "part_financement_collectivites": "DOUBLE",
        "periode_visite": "VARCHAR",
    },
    # Every answer in long form (one row per pole, version and question).
    "application_answers": {
        "pole_id": "VARCHAR",
        "source_file": "VARCHAR",
        "version": "INTEGER",
        "current": "BOOLEAN",
        "code": "VARCHAR",
        "partie": "VARCHAR",
        "numero": "VARCHAR",
        "libelle": "VARCHAR",
        "type": "VARCHAR",
        "reponse": "VARCHAR",
        "oui_non": "BOOLEAN",
        "repondue": "BOOLEAN",
    },
    # Structured fields drawn from the answers, each with the passage it came from.
    "application_fields": {
        "pole_id": "VARCHAR",
        "source_file": "VARCHAR",
        "current": "BOOLEAN",
        "champ": "VARCHAR",
        "valeur": "VARCHAR",
        "code_question": "VARCHAR",
        "passage": "VARCHAR",
    },
    # Tags of the five working angles (seed 000) and of the tools named, each with the sentence
    # that triggered it. categorie: 'angle' | 'outil'.
    "application_tags": {
        "pole_id": "VARCHAR",
        "source_file": "VARCHAR",
        "current": "BOOLEAN",
        "tag": "VARCHAR",
        "categorie": "VARCHAR",
        "libelle": "VARCHAR",
        "mot_cle": "VARCHAR",
        "code_question": "VARCHAR",
        "phrase": "VARCHAR",
    },
    # One row per person and stay in a member structure (person-level: staff only, never in Parquet).
    # person_key: pseudonym (HMAC-SHA256 of the pole and the pole's identifier, 32 hex characters).
    # categorie_sortie: null while the stay goes on and when it ends in an internal move (the next
    # stay, in another structure of the pole, began within the configured gap); parcours_id / etape:
    # the pathway (stays of one person in one pole without a real exit between them) and the stay's
    # rank in it; fin_parcours: the stay ends its pathway with an exit; motif_regle: label of the
    # exit-mapping entry that matched (never the pole's own text); duree_mois: the stay's duration
    # (entry to exit, null while it goes on); tranche_age: at the date of entry.
    "pathways": {
        "person_key": "VARCHAR",
        "pole_id": "VARCHAR",
        "structure": "VARCHAR",
        "date_entree": "DATE",
        "date_sortie": "DATE",
        "categorie_sortie": "VARCHAR",
        "parcours_id": "VARCHAR",
        "etape": "INTEGER",
        "mobilite_interne": "BOOLEAN",
        "fin_parcours": "BOOLEAN",
        "motif_regle": "VARCHAR",
        "duree_mois": "DOUBLE",
        "sexe": "VARCHAR",
        "tranche_age": "VARCHAR",
        "deld": "BOOLEAN",
        "rsa": "BOOLEAN",
        "qpv": "BOOLEAN",
        "rqth": "BOOLEAN",
        "heures_formation": "DOUBLE",
        "certification": "BOOLEAN",
        "source_file": "VARCHAR",
        "row_number": "INTEGER",
    },
    # Indicators drawn from the pathways per pole and year, beside the value the pole declared
    # (mart_pole_year; null if not declared): ecart = valeur - valeur_declaree, ecart_relatif =
    # ecart / valeur_declaree. Codes of the catalogue, plus `duree_mediane_mois` and `retraits`
    # (labels in PATHWAY_INDICATOR_LABELS).
    "pathway_indicators": {
        "pole_id": "VARCHAR",
        "annee": "INTEGER",
        "code": "VARCHAR",
        "valeur": "DOUBLE",
        "valeur_declaree": "DOUBLE",
        "ecart": "DOUBLE",
        "ecart_relatif": "DOUBLE",
        "origine": "VARCHAR",
    },
    # The adjusted comparison (« valeur ajoutée », pipelines/pathways/adjusted.py): per pole, year of
    # exit and indicator ('taux_sortie_dynamique' | 'taux_emploi_durable'), the observed rate against
    # the rate expected from the profile of the persons who left (network logistic model, no pole
    # effect); ecart = taux_observe - taux_attendu (proportion), ic_bas / ic_haut its 95 % interval;
    # verdict 'au-dessus' | 'conforme' | 'en dessous'. Under 20 exits every figure but `sorties` is
    # null; when the model could not be fitted, `modele` says why (and the expected figures are null).
    "pathway_adjusted": {
        "pole_id": "VARCHAR",
        "annee": "INTEGER",
        "indicateur": "VARCHAR",
        "sorties": "INTEGER",
        "taux_observe": "DOUBLE",
        "taux_attendu": "DOUBLE",
        "ecart": "DOUBLE",
        "ic_bas": "DOUBLE",
        "ic_haut": "DOUBLE",
        "verdict": "VARCHAR",
        "modele": "VARCHAR",
    },
    # One row per community event (learning visit, seminar, national meeting, remote exchange) read
    # from `raw/visites/`. pole_id is the host (null for an event without one: a seminar, a meeting);
    # latitude/longitude are the host's when the row gives no place of its own; nb_participants
    # counts people, never names them; statut: tenue (date passed) or prévue.
    "visits": {
        "visit_id": "VARCHAR",
        "pole_id": "VARCHAR",
        "date_visite": "DATE",
        "date_fin": "DATE",
        "annee": "INTEGER",
        "type": "VARCHAR",
        "titre": "VARCHAR",
        "lieu": "VARCHAR",
        "latitude": "DOUBLE",
        "longitude": "DOUBLE",
        "themes": "VARCHAR",
        "angles": "VARCHAR",
        "nb_poles_presents": "INTEGER",
        "nb_participants": "INTEGER",
        "personnes_ressources": "VARCHAR",
        "nb_documents": "INTEGER",
        "statut": "VARCHAR",
        "source_file": "VARCHAR",
        "row_number": "INTEGER",
    },
    # Which poles took part in an event, and how (role in VISIT_ROLES): the host once, then every
    # pole present.
    "visit_poles": {
        "visit_id": "VARCHAR",
        "pole_id": "VARCHAR",
        "role": "VARCHAR",
    },
    # The working angles (catalogue domain codes) an event's themes map to, one row each.
    "visit_angles": {
        "visit_id": "VARCHAR",
        "angle": "VARCHAR",
    },
    # Documents an event produced: a title and a link or file name (text, never followed).
    "visit_documents": {
        "visit_id": "VARCHAR",
        "titre": "VARCHAR",
        "lien": "VARCHAR",
        "source_file": "VARCHAR",
        "row_number": "INTEGER",
    },
    # Practices and tools the poles shared; visit_id is the event it came from when one is named and
    # found (visite_mentionnee keeps what the file said).
    "practices": {
        "practice_id": "VARCHAR",
        "titre": "VARCHAR",
        "pole_id": "VARCHAR",
        "angle": "VARCHAR",
        "outil": "VARCHAR",
        "description": "VARCHAR",
        "visit_id": "VARCHAR",
        "visite_mentionnee": "VARCHAR",
        "source_file": "VARCHAR",
        "row_number": "INTEGER",
    },
    # One row per pole: what its current application offered for a visit, and what became of it
    # (statut_offre in OFFER_STATUSES).
    "visit_offers": {
        "pole_id": "VARCHAR",
        "accueil_visite": "BOOLEAN",
        "experiences_visite": "VARCHAR",
        "periode_visite": "VARCHAR",
        "visites_accueillies": "INTEGER",
        "premiere_visite": "DATE",
        "derniere_visite": "DATE",
        "statut_offre": "VARCHAR",
    },
    # The community's own life by year (codes of the catalogue's `vie_de_la_communaute` section),
    # computed from the events held; annee null is the whole period.
    "community_indicators": {
        "annee": "INTEGER",
        "code": "VARCHAR",
        "valeur": "DOUBLE",
    },
    # One row per entry of the raw folders, read or not (status in INGEST_STATUSES); sha256 is null
    # only for an entry that was not read.
    "ingest_log": {
        "source_file": "VARCHAR",
        "sha256": "VARCHAR",
        "kind": "VARCHAR",
        "format": "VARCHAR",
        "size_bytes": "BIGINT",
        "rows_read": "INTEGER",
        "rows_loaded": "INTEGER",
        "rows_quarantined": "INTEGER",
        "status": "VARCHAR",
        "message": "VARCHAR",
    },
    "quarantine": {
        "source_file": "VARCHAR",
        "row_number": "INTEGER",
        "field": "VARCHAR",
        "value": "VARCHAR",
        "reason": "VARCHAR",
        "pole_id": "VARCHAR",
        "sheet": "VARCHAR",
        # The row's period and indicator code, when they could be read (null otherwise).
        "annee": "INTEGER",
        "trimestre": "INTEGER",
        "indicateur": "VARCHAR",
    },
    # Yearly value per pole and indicator: typed-in yearly values, else quarters rolled up with the
    # catalogue rule, plus derived indicators. What the dashboards and the report read.
    "mart_pole_year": {
        "pole_id": "VARCHAR",
        "annee": "INTEGER",
        "code": "VARCHAR",
        "valeur": "DOUBLE",
        "origine": "VARCHAR",
        "nb_trimestres": "INTEGER",
        "derive": "BOOLEAN",
    },
    # Network figure per year and indicator (catalogue rule over poles; ratio of sums for derived
    # indicators) with the distribution across the poles that reported it.
    "mart_network_year": {
        "annee": "INTEGER",
        "code": "VARCHAR",
        "valeur": "DOUBLE",
        "mediane": "DOUBLE",
        "minimum": "DOUBLE",
        "maximum": "DOUBLE",
        "nb_poles": "INTEGER",
        "derive": "BOOLEAN",
    },
    # Every indicator value of every file, with its version: the resubmission history.
    "indicator_history": {
        "pole_id": "VARCHAR",
        "annee": "INTEGER",
        "trimestre": "INTEGER",
        "code": "VARCHAR",
        "valeur": "DOUBLE",
        "source_file": "VARCHAR",
        "sha256": "VARCHAR",
        "arrived_at": "TIMESTAMP",
        "version": "INTEGER",
        "current": "BOOLEAN",
    },
    # What changed between two consecutive versions of a pole's figures for one period.
    # type_changement: 'modifiée' | 'ajoutée' | 'retirée'.
    "indicator_changes": {
        "pole_id": "VARCHAR",
        "annee": "INTEGER",
        "trimestre": "INTEGER",
        "code": "VARCHAR",
        "version": "INTEGER",
        "ancienne_valeur": "DOUBLE",
        "nouvelle_valeur": "DOUBLE",
        "ancien_fichier": "VARCHAR",
        "nouveau_fichier": "VARCHAR",
        "arrived_at": "TIMESTAMP",
        "type_changement": "VARCHAR",
    },
    # Arrival order of the raw files, from the arrival register (registre_arrivees.csv).
    "file_arrivals": {
        "source_file": "VARCHAR",
        "sha256": "VARCHAR",
        "kind": "VARCHAR",
        "arrived_at": "TIMESTAMP",
        "arrival_rank": "INTEGER",
    },
    # Expected submissions: pole x year x kind of file (a DHIS2-style reporting rate).
    # statut: 'complet' | 'partiel' | 'manquant' | 'à venir'; en_retard when received after echeance.
    "completeness": {
        "pole_id": "VARCHAR",
        "annee": "INTEGER",
        "kind": "VARCHAR",
        "recu": "BOOLEAN",
        "nb_valeurs": "INTEGER",
        "nb_attendues": "INTEGER",
        "taux": "DOUBLE",
        "premiere_reception": "TIMESTAMP",
        "echeance": "DATE",
        "en_retard": "BOOLEAN",
        "statut": "VARCHAR",
    },
    # Outcome of every data-quality check of the publishing run (one row per rule).
    # severite: 'ERROR' (blocks publication) | 'WARN' (reported). exemples: JSON list.
    "check_results": {
        "run_id": "VARCHAR",
        "asset": "VARCHAR",
        "check_name": "VARCHAR",
        "regle": "VARCHAR",
        "description": "VARCHAR",
        "severite": "VARCHAR",
        "passed": "BOOLEAN",
        "unexpected_count": "INTEGER",
        "exemples": "VARCHAR",
        "moteur": "VARCHAR",
    },
    "publication": {
        "published_at": "TIMESTAMP",
        "run_id": "VARCHAR",
        "donnees_demo": "BOOLEAN",
        "catalogue_version": "VARCHAR",
        "nb_fichiers": "INTEGER",
        "raw_fingerprint": "VARCHAR",
        "data_docs": "VARCHAR",
    },
}


# What a reader sees instead of a table's name (quality rules, checks): codes stay for developers.
TABLE_LABELS: dict[str, str] = {
    "poles": "Pôles",
    "indicator_catalog": "Catalogue des indicateurs",
    "indicator_values": "Valeurs d'indicateurs",
    "targets": "Objectifs",
    "applications": "Candidatures",
    "application_answers": "Réponses aux questions de l'AMI",
    "application_fields": "Champs tirés des réponses",
    "application_tags": "Mots-clés des réponses",
    "pathways": "Parcours",
    "pathway_indicators": "Indicateurs tirés des parcours",
    "pathway_adjusted": "Comparaison ajustée des taux de sortie",
    "visits": "Visites et rencontres",
    "visit_poles": "Pôles par visite",
    "visit_angles": "Angles de travail par visite",
    "visit_documents": "Documents des visites",
    "practices": "Pratiques et outils partagés",
    "visit_offers": "Offres d'accueil de visite",
    "community_indicators": "Vie de la communauté",
    "ingest_log": "Journal des fichiers reçus",
    "quarantine": "Quarantaine",
    "mart_pole_year": "Chiffres annuels par pôle",
    "mart_network_year": "Chiffres annuels du réseau",
    "indicator_history": "Historique des valeurs",
    "indicator_changes": "Corrections",
    "file_arrivals": "Registre des arrivées",
    "completeness": "Complétude des envois",
    "check_results": "Résultats des contrôles",
    "publication": "Publication",
}

# The structured fields drawn from the application answers (`application_fields.champ`), in French.
APPLICATION_FIELD_LABELS: dict[str, str] = {
    "operationnel": "Opérationnel ou en projet",
    "annee_debut": "Année de début",
    "nb_parties_prenantes": "Nombre de parties prenantes",
    "nb_salaries": "Nombre de salariés",
    "nb_benevoles": "Nombre de bénévoles",
    "statut_juridique": "Statut juridique",
    "part_financement_collectivites": "Part des collectivités dans le financement",
    "periode_visite": "Période proposée pour la visite",
}


# Codes of `pathway_indicators`, in display order: the catalogue's, plus two it does not hold.
# Kinds of community events (visits.type), in display order; the French spellings a file may use
# are in reference/visites.yaml.
VISIT_TYPES = (
    "visite apprenante",
    "séminaire de capitalisation",
    "rencontre nationale",
    "échange à distance",
)
VISIT_ROLES = ("hote", "participant")
# visit_offers.statut_offre: the pole offered and hosted (honorée), offered and has not hosted yet
# while the period runs or has run (ouverte), declined in its application (déclinée), hosted without
# having offered (accueil sans offre), did not answer the question and hosted nothing (sans réponse).
OFFER_STATUSES = ("honorée", "ouverte", "déclinée", "accueil sans offre", "sans réponse")

# The pathway counts a pole also declares in its indicator files: what the pipeline checks against
# the figures drawn from its pathways, and what `ptce sample --scale` declares from the pathways it draws.
PATHWAY_DECLARED_CODES = (
    "personnes_accompagnees",
    "entrees_parcours",
    "sorties",
    "sorties_emploi_durable",
    "sorties_emploi_transition",
    "sorties_positives",
    "sorties_autres",
    "heures_formation",
    "certifications",
    "mobilites_internes",
)

PATHWAY_INDICATOR_CODES = (
    "personnes_accompagnees",
    "entrees_parcours",
    "sorties",
    "sorties_emploi_durable",
    "sorties_emploi_transition",
    "sorties_positives",
    "sorties_autres",
    "retraits",
    "taux_sortie_dynamique",
    "duree_mediane_mois",
    "heures_formation",
    "certifications",
    "mobilites_internes",
)
# Days in an average month: a duration in months (`duree_mois`, `duree_mediane_mois`) is a number of
# days divided by this, in the pipeline and in the reads alike.
DAYS_PER_MONTH = 365.25 / 12
# `pathways.categorie_sortie`: the categories of a dynamic exit (numerator of the dynamic-exit rate)
# and the one left out of the exits (denominator: exits other than withdrawals), for the pipeline's
# indicators and adjusted comparison and for the reads alike.
DYNAMIC_EXIT_CATEGORIES = ("emploi_durable", "emploi_transition", "sortie_positive")
WITHDRAWN_EXIT = "retrait"

# Codes of `pathway_indicators` that the catalogue does not hold (poles do not owe them).
PATHWAY_INDICATOR_LABELS: dict[str, str] = {
    "duree_mediane_mois": "Durée médiane des parcours terminés (mois)",
    "retraits": "Sorties retirées du décompte (décès, déménagement, longue maladie…)",
}


def table_label(table: object) -> str:
    """The French name of a warehouse table (or of a frame a rule checks), its code if unknown."""
    return TABLE_LABELS.get(str(table), str(table))


def create_table_sql(table: str, qualified: str | None = None) -> str:
    """`create or replace table` statement for a contract table (empty), optionally elsewhere."""
    cols = ", ".join(f'"{name}" {typ}' for name, typ in TABLES[table].items())
    name = qualified or f'"{table}"'
    return f"create or replace table {name} ({cols})"


# The name the published file is attached under in a reader's own DuckDB instance.
PUBLISHED_ALIAS = "published"


def connect_readonly(path: Path) -> duckdb.DuckDBPyConnection:
    """Open the published warehouse for reading only, in a DuckDB instance of its own.

    `duckdb.connect(path)` goes through a per-process cache keyed by path: while any connection to
    a database is open, another `connect` to the same path joins that database, even after the
    pipeline has swapped a new file in (`os.replace`), and so would read the replaced version. An
    in-memory instance with the file attached read-only shares nothing: it reads the file that is
    at `path` now, whatever else the process holds open. Unqualified table names resolve to it
    (`use`); its spill files go where DuckDB puts those of a file database (`<file>.tmp`).
    """
    con = duckdb.connect(":memory:", config={"temp_directory": f"{path}.tmp"})
    try:
        con.execute(f"attach ? as {PUBLISHED_ALIAS} (read_only)", [str(path)])
        con.execute(f"use {PUBLISHED_ALIAS}")
    except BaseException:
        con.close()
        raise
    return con


def fetch_one(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> tuple | None:
    """First row of a query, with the result fully consumed.

    DuckDB 2.0 keeps a partly fetched result open and refuses the next statement on the
    connection, so `fetchone()` on a multi-row or pending result is a trap; this always drains.
    """
    rows = con.execute(sql, params or []).fetchall()
    return rows[0] if rows else None
