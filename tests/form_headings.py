"""Corpora for telling a heading from a question in an application form (issue #8, item 7).

`HEADINGS` are section titles and custom headings a pole may add to the Word form: many share words
with the questions (« II. VOTRE PTCE ET L'EMPLOI » with « Quelles sont les objectifs de votre PTCE
concernant l'emploi… »), some carry the form's own key phrases (« L'ancrage territorial du pôle »).
None of them may be taken for a question. `question_variants()` gives every question of
`questions_ami.yaml` as poles retype it — renumbered, unnumbered, in capitals, without accents, with
typos, reworded — and every variant must still be taken for its question.
"""

from __future__ import annotations

from pipelines.applications.form_parser import load_questions
from ptce.text import strip_accents

HEADINGS: tuple[str, ...] = (
    # The case that opened the item, and the titles the issue lists.
    "II. VOTRE PTCE ET L'EMPLOI",
    "Partie 2 – Nos actions",
    "Présentation générale",
    "ANNEXES",
    "Le territoire et ses enjeux",
    "Emploi et parcours",
    "Coopération et gouvernance",
    # Part titles in the pole's own words.
    "I. PRÉSENTATION DE NOTRE INITIATIVE",
    "Partie 1 : notre pôle territorial de coopération économique",
    "PARTIE II : MOTIVATION POUR REJOINDRE LA COMMUNAUTÉ",
    "III. NOS ATTENTES VIS-À-VIS DE LA COMMUNAUTÉ APPRENANTE",
    "IV – PIÈCES JOINTES",
    "Chapitre 3 - L'emploi sur notre territoire",
    "A. Diagnostic du territoire",
    "B) Nos actions pour l'emploi et la sécurisation des parcours",
    "1. Présentation du PTCE",
    "Annexe 1 : statuts de la SCIC",
    # Short topic titles sharing words (and sometimes key phrases) with one question.
    "L'ancrage territorial du pôle",
    "La gouvernance du pôle",
    "Gouvernance et partenariats",
    "Financements et partenaires",
    "Nos partenaires et nos financeurs",
    "Les parties prenantes",
    "Les acteurs et réseaux de l'ESS",
    "Secteurs d'activités et statut",
    "Résultats et impacts",
    "Historique de l'initiative",
    "Objectifs du pôle",
    "Le PTCE et l'emploi",
    "Sécurisation des parcours professionnels",
    "Développement économique du territoire",
    "Nos expériences en matière d'emploi",
    "Nos projets à court terme",
    "Nos apports et nos attentes",
    "Participation à la communauté apprenante",
    "La charte des PTCE",
    "Visites apprenantes",
    "Notre projet de visite",
    "Notre motivation",
    "Contexte territorial",
    "Éléments financiers",
    "Synthèse",
    "Sommaire",
    "Conclusion",
    # Written after the matcher was tuned on the titles above, as a held-out check (before: 11 of these
    # 25 taken for questions; first run of the new matcher: 1, « Nature de la coopération », through a
    # key phrase of question I.2 — key phrases no longer count on short titles).
    "Partie I – Notre PTCE",
    "2. Nos objectifs",
    "Les objectifs de la coopération",
    "Nature de la coopération",
    "Identité des parties prenantes",
    "Statut et salariés",
    "Nos financements",
    "La place des collectivités",
    "Impacts attendus",
    "II – Motivation",
    "Nos attentes",
    "Nos apports à la communauté",
    "Accueillir une visite",
    "Expériences concrètes",
    "Calendrier",
    "Problématiques du territoire",
    "L'emploi et la sécurisation des parcours sur le territoire",
    "Projets à court terme",
    "NOTRE COOPÉRATION ÉCONOMIQUE TERRITORIALE",
    "3.2 Les réseaux de l'économie sociale et solidaire",
    "Un PTCE opérationnel depuis 2012",
    "Chiffres clés",
    "Gouvernance, partenaires et financements",
    "Le développement économique et l'emploi",
    "Nos expériences fortes",
)

# Rewordings seen when poles retype the form (code -> texts).
REWORDED: dict[str, tuple[str, ...]] = {
    "i1_operationnel": ("Le PTCE est-il opérationnel (depuis combien d'années) ou en projet ?",),
    "i2_objectifs": (
        "Objectifs et nature de la coopération économique territoriale",
        "Précisez les objectifs et la nature de la coopération économique territoriale.",
    ),
    "i3_parties_prenantes": (
        "Nombre et identité des parties prenantes, personnes ou organisations à l'origine de l'initiative, "
        "rôle des acteurs et réseaux de l'ESS",
    ),
    "i4_secteurs_statut": (
        "Secteurs d'activités, statut, nombre de salariés et de bénévoles, ancrage territorial du PTCE",
    ),
    "i5_gouvernance": (
        "Décrivez la gouvernance, les partenaires et les financements (place des collectivités territoriales)",
    ),
    "i6_resultats": ("Résultats et impacts attendus voire déjà mesurables de l'initiative",),
    "charte": ("Souhaitez-vous signer la charte de la démarche collective PTCE ?",),
    "ii1_problematiques": (
        "Quelles problématiques qualitatives et quantitatives (développement économique, emploi, "
        "sécurisation des parcours) rencontrez-vous dans votre territoire ?",
    ),
    "ii2_objectifs_emploi": ("Quels sont les objectifs de votre PTCE pour l'emploi et les parcours ?",),
    "ii3_experiences": (
        "Décrivez quelques expériences fortes déjà engagées par votre PTCE sur l'emploi et la sécurisation "
        "des parcours, et leurs résultats",
    ),
    "ii4_projets": ("Avez-vous des projets précis à initier à court terme (d'ici un an) ?",),
    "ii5_attentes": ("Vos attentes concernant votre participation à cette communauté apprenante ?",),
    "ii6_apports": ("Quels apports pouvez-vous faire aux travaux de la communauté ?",),
    "accueil_visite": ("Seriez-vous disposés à accueillir une visite de la communauté ?",),
    "experiences_visite": ("Autour de quelles expériences concrètes ?",),
    "echeance_visite": ("A quelle echeance approximative ?", "Échéance approximative ?"),
}


def _typo(text: str) -> str:
    """The text with a letter dropped from its two longest words, as a hurried retyping does."""
    words = text.split()
    longest = sorted(range(len(words)), key=lambda i: (-len(words[i]), i))[:2]
    for i in longest:
        word = words[i]
        middle = len(word) // 2
        words[i] = word[:middle] + word[middle + 1 :]
    return " ".join(words)


def question_variants() -> list[tuple[str, str]]:
    """(code, text) for every question as written, renumbered, capitalised, unaccented, mistyped, reworded."""
    variants: list[tuple[str, str]] = []
    for q in load_questions().questions:
        n = q.numero or "7"
        texts = [
            q.texte,
            f"{n}) {q.texte}",
            f"{n}. {q.texte}",
            f"Question {n} – {q.texte}",
            f"Q{n} : {q.texte}",
            f"{q.partie}.{n} {q.texte}",
            q.texte.upper(),
            strip_accents(q.texte),
            q.texte.rstrip(" ?."),
            _typo(q.texte),
            f"{n}- {_typo(strip_accents(q.texte))}",
            *REWORDED.get(q.code, ()),
        ]
        variants.extend((q.code, text) for text in texts)
    return variants
