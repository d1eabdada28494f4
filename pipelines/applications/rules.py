"""Quality rules of the applications domain: the Great Expectations suites of its tables."""

from __future__ import annotations

from pipelines.shared.gx_suites import Rule, RuleContext, Suite, rule


def _applications(ctx: RuleContext) -> list[Rule]:
    return [
        rule(
            "pole_connu",
            "Le pôle fait partie du référentiel des pôles (intégrité référentielle).",
            lambda g: g.ExpectColumnValuesToBeInSet(column="pole_id", value_set=list(ctx.pole_ids)),
        ),
        rule(
            "version_unique",
            "Une seule ligne par pôle et version.",
            lambda g: g.ExpectCompoundColumnsToBeUnique(column_list=["pole_id", "version"]),
        ),
        rule(
            "completude_entre_0_et_1",
            "Complétude (questions répondues / posées) entre 0 et 1.",
            lambda g: g.ExpectColumnValuesToBeBetween(column="completude", min_value=0, max_value=1),
        ),
        rule(
            "format_connu",
            "Document Word ou export de formulaire.",
            lambda g: g.ExpectColumnValuesToBeInSet(column="format", value_set=["docx", "csv", "xlsx"]),
        ),
    ]


def _application_answers(ctx: RuleContext) -> list[Rule]:
    return [
        rule(
            "pas_de_reponse_vide",
            "Une question sans réponse est nulle, jamais une chaîne vide.",
            lambda g: g.ExpectColumnValueLengthsToBeBetween(column="reponse", min_value=1),
        ),
        rule(
            "cle_unique",
            "Une réponse par pôle, version et question.",
            lambda g: g.ExpectCompoundColumnsToBeUnique(column_list=["pole_id", "version", "code"]),
        ),
    ]


TABLE_SUITES: tuple[Suite, ...] = (
    Suite(
        "applications",
        "gx_applications",
        "Candidatures : pôles connus, versions, complétude.",
        "ERROR",
        "applications",
        ("pole_id", "version", "source_file"),
        _applications,
    ),
    Suite(
        "application_answers",
        "gx_application_answers",
        "Réponses : nulles si absentes, uniques.",
        "ERROR",
        "application_answers",
        ("pole_id", "version", "code"),
        _application_answers,
    ),
)
