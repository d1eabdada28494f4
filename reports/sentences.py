"""The report's generated French sentences: pure templates on figures, no language model.

Each function takes figures (numbers, or None when the figure is missing or masked by small cells)
and returns one plain-text French sentence, or None when the sentence would have to speak of a
figure it does not have: a masked count never reaches a sentence, nor through a difference or a
percentage change. Numbers are written by `ptce.fmt` (thousands separated by a narrow no-break
space, decimal comma), plurals from 2 (`fmt_count`), participles agree with their noun, the first
of the month is « 1er », « de » and « que » elide before a vowel.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

from ptce.fmt import fmt_count, fmt_number, fmt_percent

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
# A relative change under half a percent (rounded to 0 %) is called stable; a rate's change under
# 0,05 point too (rounded to 0,0 point).
VOWELS = "aeiouyàâäéèêëîïôöùûüœh"
# Words beginning with an aspirated h take no elision (« de hausse »); the catalogue's labels that
# begin with h are « heures », which elides (« d'heures »).
ASPIRATED = ("hausse", "haut", "hors")


def known(value: float | int | None) -> bool:
    """Whether a figure can be spoken of: present, a number, not NaN (a masked figure is None)."""
    if value is None or isinstance(value, bool | str):
        return False
    try:
        return not math.isnan(float(value))
    except (TypeError, ValueError):
        return False


def de(word: str) -> str:
    """« de » before `word`, elided before a vowel or a mute h: « d'emplois », « de personnes »."""
    lower = word.lower()
    if lower[:1] in VOWELS and not lower.startswith(ASPIRATED):
        return f"d'{word}"
    return f"de {word}"


def que(word: str) -> str:
    """« que » before `word`, elided before a vowel: « qu'en 2015 », « que l'an dernier »."""
    return f"qu'{word}" if word[:1].lower() in VOWELS else f"que {word}"


def long_date(day: date) -> str:
    """`date(2016, 12, 1)` -> « 1er décembre 2016 »; `date(2016, 11, 24)` -> « 24 novembre 2016 »."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS[day.month - 1]} {day.year}"


def capitalize(text: str) -> str:
    """The first letter in capitals, the rest as it is (« 1 234 … » stays a digit)."""
    return text[:1].upper() + text[1:]


def relative_change(value: float | None, previous: float | None) -> float | None:
    """(value − previous) / previous, or None when either is unknown or previous is not positive."""
    if not known(value) or not known(previous) or float(previous) <= 0:  # type: ignore[arg-type]
        return None
    return (float(value) - float(previous)) / float(previous)  # type: ignore[arg-type]


def _rounded_percent(ratio: float) -> str:
    """A change as a whole percentage, sign left out: 0.0812 -> « 8 % »."""
    return fmt_percent(abs(ratio), decimals=0)


def _is_stable_percent(ratio: float) -> bool:
    return round(abs(ratio) * 100) == 0


def change_clause(value: float | None, previous: float | None, previous_year: int) -> str | None:
    """« soit 8 % de plus qu'en 2015 », « soit 3 % de moins qu'en 2015 », « autant qu'en 2015 »
    (within half a percent), or None when either figure is unknown."""
    ratio = relative_change(value, previous)
    if ratio is None:
        return None
    when = que(f"en {previous_year}")
    if _is_stable_percent(ratio):
        return f"à peu près autant {when}"
    more = "de plus" if ratio > 0 else "de moins"
    return f"soit {_rounded_percent(ratio)} {more} {when}"


def points(difference: float) -> str:
    """A difference of two rates in points, one decimal: 0.012 -> « 1,2 point », 0.025 -> « 2,5 points »."""
    value = round(abs(difference) * 100, 1)
    return fmt_count(value, "point", "points", decimals=1)


def figure_change(
    value: float | None, previous: float | None, previous_year: int | None, *, rate: bool = False
) -> str:
    """A key figure's change in a few words, for `KeyFigure.change`: « +8 % par rapport à 2015 »,
    « −3 % par rapport à 2015 », « stable par rapport à 2015 »; for a rate, in points
    (« +1,2 point par rapport à 2015 »). Empty when either figure is missing or masked. Without
    `previous_year`, the change alone (« +8 % », « stable »), for a table whose header names the year."""
    since = f" par rapport à {previous_year}" if previous_year is not None else ""
    if rate:
        if not known(value) or not known(previous):
            return ""
        difference = float(value) - float(previous)  # type: ignore[arg-type]
        if round(abs(difference) * 100, 1) == 0:
            return f"stable{since}"
        return f"{'+' if difference > 0 else '−'}{points(difference)}{since}"
    ratio = relative_change(value, previous)
    if ratio is None:
        return ""
    if _is_stable_percent(ratio):
        return f"stable{since}"
    return f"{'+' if ratio > 0 else '−'}{_rounded_percent(ratio)}{since}"


def _poles_subject(reporting: int, total: int) -> tuple[str, bool]:
    """The subject « Les 12 pôles » (every pole) or « 10 pôles sur 12 », and whether it is plural."""
    if reporting == total and total >= 2:
        return f"Les {fmt_number(total)} pôles", True
    if reporting == total:
        return "Le pôle", False
    return f"{fmt_count(reporting, 'pôle', 'pôles')} sur {fmt_number(total)}", reporting >= 2


def persons_sentence(
    persons: float | None,
    previous: float | None,
    year: int,
    reporting_poles: int | None,
    total_poles: int,
) -> str | None:
    """« Les 12 pôles ont accompagné 1 234 personnes en 2016, soit 8 % de plus qu'en 2015. »

    None when the number of persons is missing or masked; the comparison is left out when last
    year's is. `reporting_poles` is how many poles gave the figure (« 10 pôles sur 12 »).
    """
    if not known(persons) or not reporting_poles:
        return None
    subject, plural = _poles_subject(reporting_poles, total_poles)
    verb = "ont accompagné" if plural else "a accompagné"
    sentence = f"{subject} {verb} {fmt_count(persons, 'personne', 'personnes')} en {year}"  # type: ignore[arg-type]
    clause = change_clause(persons, previous, year - 1)
    return f"{sentence}, {clause}." if clause else f"{sentence}."


def _passive(count: float, singular: str, plural: str, participle: str, feminine: bool) -> str:
    """« 3 visites apprenantes ont été organisées », « 1 emploi a été créé », « aucun emploi n'a été
    créé » — the participle agrees with the noun in gender and number."""
    ending = "e" if feminine else ""
    if count == 0:
        return f"{'aucune' if feminine else 'aucun'} {singular} n'a été {participle}{ending}"
    if count >= 2:
        return f"{fmt_count(count, singular, plural)} ont été {participle}{ending}s"
    return f"{fmt_count(count, singular, plural)} a été {participle}{ending}"


def jobs_sentence(created: float | None, consolidated: float | None, year: int) -> str | None:
    """« En 2016, 214 emplois ont été créés dans les pôles et 148 emplois consolidés. »

    Either part is left out when its figure is missing; None when both are.
    """
    parts = []
    if known(created):
        parts.append(_passive(float(created), "emploi", "emplois", "créé", feminine=False))  # type: ignore[arg-type]
    if known(consolidated):
        value = float(consolidated)  # type: ignore[arg-type]
        if parts:
            # The second part shares the auxiliary: « et 148 emplois consolidés ».
            word = "emploi consolidé" if value < 2 else "emplois consolidés"
            parts.append(f"{fmt_number(value)} {word}" if value else "aucun emploi consolidé")
        else:
            parts.append(_passive(value, "emploi", "emplois", "consolidé", feminine=False))
    if not parts:
        return None
    return f"En {year}, {' et '.join(parts)} dans les pôles du réseau."


def exits_sentence(
    rate: float | None, previous_rate: float | None, durable: float | None, year: int
) -> str | None:
    """« En 2016, 62,3 % des sorties de parcours ont été dynamiques (emploi durable, emploi de
    transition ou sortie positive), 0,1 point de moins qu'en 2015 ; 260 personnes sont sorties
    vers l'emploi durable. »

    The rate is left out when missing or masked, the comparison when last year's rate is, the
    durable exits when their count is; None when neither the rate nor the count is known.
    """
    parts = []
    if known(rate):
        text = (
            f"{fmt_percent(rate)} des sorties de parcours ont été dynamiques (emploi durable, "
            "emploi de transition ou sortie positive)"
        )
        if known(previous_rate):
            difference = float(rate) - float(previous_rate)  # type: ignore[arg-type]
            when = que(f"en {year - 1}")
            if round(abs(difference) * 100, 1) == 0:
                text += f", un taux stable par rapport à {year - 1}"
            else:
                text += f", {points(difference)} {'de plus' if difference > 0 else 'de moins'} {when}"
        parts.append(text)
    if known(durable):
        value = float(durable)  # type: ignore[arg-type]
        if value == 0:
            parts.append("aucune personne n'est sortie vers l'emploi durable")
        else:
            verb = "sont sorties" if value >= 2 else "est sortie"
            parts.append(f"{fmt_count(value, 'personne', 'personnes')} {verb} vers l'emploi durable")
    if not parts:
        return None
    return f"En {year}, {' ; '.join(parts)}."


def visits_sentence(
    visits: float | None, seminars: float | None, practices: float | None, year: int
) -> str | None:
    """« En 2016, 5 visites apprenantes ont été organisées, 1 séminaire de capitalisation a été
    tenu et 17 pratiques ont été partagées. » Parts with a missing figure are left out."""
    parts = []
    if known(visits):
        parts.append(_passive(float(visits), "visite apprenante", "visites apprenantes", "organisé", True))  # type: ignore[arg-type]
    if known(seminars) and float(seminars) > 0:  # type: ignore[arg-type]
        parts.append(
            _passive(
                float(seminars), "séminaire de capitalisation", "séminaires de capitalisation", "tenu", False
            )  # type: ignore[arg-type]
        )
    if known(practices):
        parts.append(_passive(float(practices), "pratique", "pratiques", "partagé", True))  # type: ignore[arg-type]
    if not parts:
        return None
    listed = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} et {parts[-1]}"
    return f"En {year}, {listed}."


def last_event_sentence(day: date | None, host: str | None, kind: str) -> str | None:
    """« La dernière visite apprenante de l'année s'est tenue le 1er décembre 2016 chez ESCI. »"""
    if day is None:
        return None
    where = f" chez {host}" if host else ""
    return f"La dernière {kind} de l'année s'est tenue le {long_date(day)}{where}."


def reporting_sentence(
    received: int, expected: int, late: int, year: int, kind: str = "indicateurs"
) -> str | None:
    """« 12 pôles sur 12 ont transmis leurs indicateurs 2016, dont 3 après l'échéance. »"""
    if expected <= 0:
        return None
    subject = f"{fmt_count(received, 'pôle', 'pôles')} sur {fmt_number(expected)}"
    if received == 0:
        return f"Aucun pôle n'a transmis ses {kind} {year} (sur {fmt_number(expected)} attendus)."
    verb = "ont transmis leurs" if received >= 2 else "a transmis ses"
    sentence = f"{subject} {verb} {kind} {year}"
    if late == 0:
        return f"{sentence}, tous dans les délais." if received >= 2 else f"{sentence}, dans les délais."
    return f"{sentence}, dont {fmt_number(late)} après l'échéance."


def corrections_sentence(changes: int, poles: Sequence[str], year: int, others: int = 0) -> str:
    """« 2 valeurs de 2016 ont été corrigées par un nouvel envoi (PHARES). » or none; `others` more
    poles, not named, are counted (« (PHARES, ESCI et 40 autres pôles) »)."""
    if changes == 0:
        return f"Aucune valeur de {year} n'a été corrigée par un nouvel envoi."
    names = ", ".join(poles)
    if others:
        rest = fmt_count(others, "autre pôle", "autres pôles")
        names = f"{names} et {rest}" if names else rest
    verb = "ont été corrigées" if changes >= 2 else "a été corrigée"
    return f"{fmt_count(changes, 'valeur', 'valeurs')} de {year} {verb} par un nouvel envoi ({names})."


def median_position(value: float | None, median: float | None) -> str | None:
    """« au-dessus de la médiane du réseau », « en dessous… », « égal à la médiane… », or None."""
    if not known(value) or not known(median):
        return None
    if math.isclose(float(value), float(median), rel_tol=1e-9, abs_tol=1e-9):  # type: ignore[arg-type]
        return "égal à la médiane du réseau"
    return "au-dessus de la médiane du réseau" if value > median else "en dessous de la médiane du réseau"  # type: ignore[operator]


def pole_median_sentence(name: str, above: int, compared: int, year: int) -> str | None:
    """« En 2016, PHARES est au-dessus de la médiane du réseau pour 4 indicateurs clés sur 7. »"""
    if compared <= 0:
        return None
    count = fmt_count(above, "indicateur clé", "indicateurs clés")
    return f"En {year}, {name} est au-dessus de la médiane du réseau pour {count} sur {fmt_number(compared)}."


def targets_sentence(
    name: str, reached: int, assessed: int, missed_labels: Sequence[str], year: int
) -> str | None:
    """« PHARES a atteint 3 de ses 4 objectifs 2016 ; l'objectif d'emplois créés dans l'année n'est
    pas atteint. » None without a target whose result is known."""
    if assessed <= 0:
        return None
    if reached == assessed:
        if assessed == 1:
            return f"{name} a atteint son objectif {year}."
        return f"{name} a atteint ses {fmt_number(assessed)} objectifs {year}."
    head = f"{name} a atteint {fmt_number(reached)} de ses {fmt_number(assessed)} objectifs {year}"
    if reached == 0:
        head = f"{name} n'a atteint aucun de ses {fmt_number(assessed)} objectifs {year}"
    if assessed == 1:
        head = f"{name} n'a pas atteint son objectif {year}"
    if not missed_labels:
        return f"{head}."
    labels = [f"{de(label[:1].lower() + label[1:])}" for label in missed_labels]
    if len(labels) == 1:
        return f"{head} ; l'objectif {labels[0]} n'est pas atteint."
    return f"{head} ; les objectifs {', '.join(labels[:-1])} et {labels[-1]} ne sont pas atteints."


def adjusted_sentence(above: int, conform: int, below: int) -> str | None:
    """« Sur 12 pôles comparés à leur taux attendu, 1 fait mieux, 11 sont conformes et aucun ne fait
    moins bien. » None when no pole could be compared."""
    compared = above + conform + below
    if compared == 0:
        return None
    better = (
        f"{fmt_number(above)} {'font' if above >= 2 else 'fait'} mieux" if above else "aucun ne fait mieux"
    )
    same = (
        f"{fmt_number(conform)} {'sont conformes' if conform >= 2 else 'est conforme'}"
        if conform
        else "aucun n'est conforme"
    )
    worse = (
        f"{fmt_number(below)} {'font' if below >= 2 else 'fait'} moins bien"
        if below
        else "aucun ne fait moins bien"
    )
    head = f"Sur {fmt_count(compared, 'pôle comparé', 'pôles comparés')} à son taux attendu"
    if compared >= 2:
        head = f"Sur {fmt_count(compared, 'pôle comparé', 'pôles comparés')} à leur taux attendu"
    return f"{head} compte tenu du profil des personnes sorties, {better}, {same} et {worse}."
