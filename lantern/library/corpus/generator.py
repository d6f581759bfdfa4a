# ruff: noqa: E501 (regular expressions and phrase tables read better unbroken)
"""A fictional overview report with known facts, as blocks (headings, paragraphs, list items) that
`render.py` turns into TXT, HTML, DOCX or PDF.

Sections follow the overview report's standard order (introduction and condolences; timescales;
confidentiality; methodology and terms of reference; family involvement; contributors; panel;
author and independence; parallel reviews; equality and diversity; dissemination; background;
chronology; overview; analysis; conclusions; lessons; recommendations; appendices).

Phrasings: each list of alternatives ends with one used only for evaluation seeds (at or above
`EVALUATION_SEED_BASE`), so the generated evaluation set holds wordings the rules were never
checked against while they were written.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from lantern.library.corpus import words as W

EVALUATION_SEED_BASE = 1_000_000
TARGET_WORDS = 5000

RELATION_WORDS = {
    # category: (word when the perpetrator is male, when female)
    "current_partner": (("husband", "partner", "boyfriend"), ("wife", "partner", "girlfriend")),
    "former_partner": (("ex-partner", "former partner", "estranged husband", "ex-husband"),
                       ("ex-partner", "former partner", "estranged wife", "ex-wife")),
    "son_or_daughter": (("son", "adult son"), ("daughter", "adult daughter")),
    "parent": (("father", "stepfather"), ("mother", "stepmother")),
    "sibling": (("brother",), ("sister",)),
    "grandchild": (("grandson",), ("granddaughter",)),
    "other_relative": (("nephew", "cousin", "brother-in-law"), ("niece", "cousin", "sister-in-law")),
    "household_member": (("lodger", "flatmate"), ("lodger", "flatmate")),
}  # fmt: skip
# How the victim is related to the perpetrator, for "killed his mother" sentences.
INVERSE_WORDS = {
    "son_or_daughter": (("father",), ("mother",)),
    "parent": (("son",), ("daughter",)),
    "sibling": (("brother",), ("sister",)),
    "grandchild": (("grandfather",), ("grandmother",)),
}
FAMILY = {"son_or_daughter", "parent", "sibling", "grandchild", "other_relative"}
FLAG_RATES = {
    "domestic_abuse_history": 0.55, "coercive_control": 0.45, "separation": 0.3,
    "mental_health_victim": 0.35, "mental_health_perpetrator": 0.35, "substance_use_victim": 0.2,
    "substance_use_perpetrator": 0.35, "housing": 0.25, "children": 0.35, "sexual_violence": 0.12,
    "stalking": 0.15, "strangulation": 0.15, "marac": 0.15, "dash": 0.25, "police_contact": 0.55,
    "health_contact": 0.7, "suicide_risk": 0.15, "economic_abuse": 0.15, "honour_based_abuse": 0.04,
    "disability": 0.12, "immigration": 0.08, "covid": 0.0,
}  # fmt: skip


@dataclass
class Block:
    kind: str  # "title", "meta", "h1", "h2", "p", "bullet", "item", "table", "pagebreak"
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Person:
    name: str
    sex: str  # "female" / "male"

    @property
    def she(self) -> str:
        return "she" if self.sex == "female" else "he"

    @property
    def her(self) -> str:  # possessive
        return "her" if self.sex == "female" else "his"

    @property
    def obj(self) -> str:
        return "her" if self.sex == "female" else "him"


class Writer:
    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.evaluation = seed >= EVALUATION_SEED_BASE

    def pick(self, options: tuple[str, ...] | list[str]) -> str:
        """One of the phrasings; the last is kept for evaluation seeds."""
        pool = list(options) if self.evaluation or len(options) < 2 else list(options[:-1])
        return self.rng.choice(pool)

    def any(self, options: tuple[Any, ...] | list[Any]) -> Any:
        return self.rng.choice(list(options))


def _month_year(rng: random.Random, year: int) -> tuple[int, str]:
    month = rng.randint(1, 12)
    return month, f"{W.MONTH_NAMES[month - 1]} {year}"


def sample_facts(w: Writer) -> dict[str, Any]:
    rng = w.rng
    place = (w.any(W.PLACE_PREFIXES) + w.any(W.PLACE_STEMS)).strip()
    csp = w.any(W.CSP_FORMS).format(place=place)
    sex = "female" if rng.random() < 0.78 else "male"
    relationship = rng.choices(
        list(RELATION_WORDS),
        weights=[40, 20, 14, 5, 5, 4, 4, 8],
    )[0]
    death_type = rng.choices(["homicide", "suicide", "other", "unknown"], weights=[70, 22, 4, 4])[0]
    ages = {
        "current_partner": (18, 85), "former_partner": (18, 70), "son_or_daughter": (45, 92),
        "parent": (16, 40), "sibling": (20, 75), "grandchild": (66, 95),
        "other_relative": (20, 80), "household_member": (20, 80),
    }  # fmt: skip
    age = rng.randint(*ages[relationship])
    from lantern.library.extract import age_band

    band = age_band(age)
    state_age = rng.random() < 0.85
    year = rng.randint(2012, 2023)
    report_year = year + rng.randint(1, 3)
    themes = {flag for flag, rate in FLAG_RATES.items() if rng.random() < rate}
    if year in (2020, 2021) and rng.random() < 0.6:
        themes.add("covid")
    if band == "65+":
        themes.add("older_victim")
    if relationship in FAMILY:
        themes.add("adult_family_violence")
    if relationship == "former_partner":
        themes.add("separation")
    if death_type == "suicide":
        themes.add("suicide_risk")
    if relationship not in {"current_partner", "former_partner"}:
        themes.discard("separation")  # the flag is about the couple
    perpetrator_sex = "male" if (sex == "female" or rng.random() < 0.3) else "female"
    if (
        relationship in {"current_partner", "former_partner"}
        and sex == "male"
        and rng.random() < 0.8
    ):
        perpetrator_sex = "female"
    names = W.FEMALE_NAMES if sex == "female" else W.MALE_NAMES
    perp_names = W.FEMALE_NAMES if perpetrator_sex == "female" else W.MALE_NAMES
    style = rng.random()
    if style < 0.8:
        victim = w.any(names)
    elif style < 0.9:
        victim = ("Mrs " if sex == "female" else "Mr ") + w.any("ABCDEFGHJKLMNPRSTW")
    else:
        victim = "Adult " + w.any("ABCDEFGHJK")
    perpetrator = w.any([n for n in perp_names if n != victim])
    return {
        "place": place,
        "csp": csp,
        "year": year,
        "report_year": report_year,
        "pseudonym": victim,
        "perpetrator": perpetrator,
        "perpetrator_sex": perpetrator_sex,
        "victim_sex": sex,
        "age": age,
        "victim_age_band": band if state_age else None,
        "relationship_category": relationship,
        "death_type": death_type,
        "themes": themes,
    }


class ReportBuilder:
    def __init__(self, seed: int) -> None:
        self.w = Writer(seed)
        self.rng = self.w.rng
        self.f = sample_facts(self.w)
        f = self.f
        self.v = Person(f["pseudonym"], f["victim_sex"])
        self.p = Person(f["perpetrator"], f["perpetrator_sex"])
        rel_words = RELATION_WORDS[f["relationship_category"]][0 if self.p.sex == "male" else 1]
        self.rel = self.w.any(rel_words)
        inverse = INVERSE_WORDS.get(f["relationship_category"])
        self.inverse = self.w.any(inverse[0 if self.v.sex == "male" else 1]) if inverse else None
        self.month, self.death_date = _month_year(self.rng, f["year"])
        self.blocks: list[Block] = []
        self.words = 0
        self.section_number = 0
        self.themes: set[str] = f["themes"]
        self.agencies = self._agencies()
        self.recommendations = self._recommendations()

    # --- small helpers -------------------------------------------------------------------------
    def add(self, kind: str, text: str = "", rows: list[list[str]] | None = None) -> None:
        self.blocks.append(Block(kind, text, rows or []))
        self.words += len(text.split()) + sum(len(c.split()) for r in rows or [] for c in r)

    def h1(self, title: str) -> None:
        self.section_number += 1
        if self.rng.random() < 0.25:
            self.add("pagebreak")
        self.add("h1", f"{self.section_number}. {title}")

    def para(self, *sentences: str) -> None:
        self.add("p", " ".join(s for s in sentences if s))

    def date_before(self, months_before: int) -> str:
        year, month = self.f["year"], self.month - months_before
        while month < 1:
            month += 12
            year -= 1
        return f"{W.MONTH_NAMES[month - 1]} {year}"

    def fill(self, section: str, n: int) -> None:
        """Neutral paragraphs about the review's process: they name no theme."""
        for _ in range(n):
            sentences = self.rng.sample(FILLER[section], k=min(4, len(FILLER[section])))
            self.para(*(s.format(**self.names()) for s in sentences))

    def names(self) -> dict[str, str]:
        return {
            "V": self.v.name, "P": self.p.name, "she": self.v.she, "her": self.v.her,
            "obj": self.v.obj, "he": self.p.she, "his": self.p.her, "pobj": self.p.obj,
            "csp": self.f["csp"], "place": self.f["place"], "rel": self.rel,
            "She": self.v.she.capitalize(), "He": self.p.she.capitalize(),
            "Her": self.v.her.capitalize(), "His": self.p.her.capitalize(),
        }  # fmt: skip

    # --- facts that need choices ------------------------------------------------------------------
    def _agencies(self) -> list[tuple[str, str]]:
        place = self.f["place"]
        chosen: list[tuple[str, str]] = []
        for pattern, addressee, flag in W.AGENCIES:
            if flag and flag not in self.themes:
                continue
            if "substance" in pattern and not self.themes & {
                "substance_use_victim",
                "substance_use_perpetrator",
            }:
                continue
            if "Children's" in pattern and "children" not in self.themes:
                continue
            if flag or self.rng.random() < 0.5:
                chosen.append((pattern.format(place=place), addressee))
        self.rng.shuffle(chosen)
        if len(chosen) < 3:
            chosen += [(f"{place} Council Adult Social Care", "social_services"),
                       (f"Probation Service ({place} region)", "probation"),
                       (f"{place} Domestic Abuse Service", "idva_da_service")]  # fmt: skip
            chosen = list(dict.fromkeys(chosen))
        return chosen

    def _recommendations(self) -> list[dict[str, Any]]:
        rng = self.rng
        overarching = rng.randint(2, 10)
        single = rng.choice([0, 0, rng.randint(2, 10), rng.randint(2, 14)])
        recs: list[dict[str, Any]] = []
        for _ in range(overarching):
            choices = ["csp", "csp", "national_government", "police", "health",
                       "social_services", "idva_da_service"]  # fmt: skip
            if "housing" in self.themes:
                choices.append("housing")
            addressee = rng.choice(choices)
            recs.append(self._recommendation(addressee, "overarching"))
        agencies = [a for a in self.agencies if a[1] != "national_government"]
        for i in range(single):
            name, addressee = agencies[i % len(agencies)]
            rec = self._recommendation(addressee, "single", agency=name)
            recs.append(rec)
        self.f["overarching_recommendations"] = overarching
        self.f["single_agency_recommendations"] = single if single else None
        return recs

    def _recommendation(
        self, addressee: str, group: str, agency: str | None = None
    ) -> dict[str, Any]:
        theme = self.rng.choice(list(REC_TEXT))
        who = agency or ADDRESSEE_NAMES[addressee].format(place=self.f["place"], csp=self.f["csp"])
        text = self.w.pick(REC_TEXT[theme]).format(who=who, topic=self.w.any(REC_TOPICS))
        return {
            "text": text,
            "addressee": addressee,
            "theme": theme,
            "group": group,
            "agency": agency,
        }

    # --- the report --------------------------------------------------------------------------------
    def build(self) -> list[Block]:
        n = self.names()
        self.title_page()
        self.h1(
            self.w.pick(
                ("Introduction", "Introduction and condolences", "Preface and introduction")
            )
        )
        self.para(
            self.w.pick(
                (
                    "{csp} offers its sincere condolences to the family and friends of {V}.",
                    "The members of the review panel and {csp} wish to express their deepest sympathy to everyone who knew {V}.",
                    "Those who took part in this review offer their condolences to {V}'s family.",
                    "The panel extends its sympathy to the family of {V}, and thanks them for their help.",
                )
            ).format(**n),
            self.death_sentence(),
        )
        self.para(self.pseudonym_sentence(), self.age_sentence())
        self.fill("introduction", 2)
        self.h1("Timescales")
        self.para(self.commission_sentence())
        self.fill("timescales", 2)
        self.h1("Confidentiality")
        self.fill("confidentiality", 2)
        self.h1(
            self.w.pick(
                (
                    "Methodology and terms of reference",
                    "Terms of reference and methodology",
                    "Methodology",
                )
            )
        )
        self.fill("methodology", 2)
        for line in self.rng.sample(KEY_LINES, k=5):
            self.add("bullet", line.format(**n))
        self.h1(
            self.w.pick(
                (
                    "Involvement of family and friends",
                    "Family, friends and community",
                    "Involvement of family, friends, colleagues and neighbours",
                )
            )
        )
        self.fill("family", 2)
        self.h1(
            self.w.pick(("Contributors to the review", "Contributors", "Agencies that contributed"))
        )
        self.contributors()
        self.h1("The review panel")
        self.panel()
        self.h1(
            self.w.pick(
                (
                    "Author of the overview report",
                    "Chair and author",
                    "Independent chair and author",
                )
            )
        )
        self.fill("author", 1)
        self.h1("Parallel reviews")
        self.parallel()
        self.h1("Equality and diversity")
        self.fill("equality", 2)
        self.h1("Dissemination")
        self.fill("dissemination", 1)
        self.h1(self.w.pick(("Background information", "Background", "The facts")))
        self.background()
        self.h1(self.w.pick(("Chronology", "Chronology of events", "Summary chronology")))
        self.chronology()
        self.h1("Overview")
        self.fill("overview", 2)
        self.h1(
            self.w.pick(
                (
                    "Analysis",
                    "Analysis of agency involvement",
                    "Analysis against the terms of reference",
                )
            )
        )
        self.analysis()
        self.h1("Conclusions")
        self.fill("conclusions", 2)
        self.h1(
            self.w.pick(("Lessons to be learnt", "Lessons learned", "Learning from this review"))
        )
        self.fill("lessons", 2)
        self.h1(
            self.w.pick(
                (
                    "Recommendations",
                    "Recommendations of the review",
                    "Overview report recommendations",
                )
            )
        )
        self.recommendations_section()
        self.appendices()
        while self.words < TARGET_WORDS:
            self.extra_analysis()
        return self.blocks

    def title_page(self) -> None:
        f, n = self.f, self.names()
        self.add("title", f["csp"])
        self.add(
            "title",
            self.w.pick(
                (
                    "Domestic Homicide Review",
                    "Domestic Homicide Review: Overview Report",
                    "Domestic Abuse Related Death Review",
                    "Overview Report of the Domestic Homicide Review",
                )
            ),
        )
        self.add(
            "meta",
            self.w.pick(
                (
                    "Overview report into the death of {V}",
                    "Report into the death of {V}",
                    "The review into the death of {V}",
                    "Concerning {V}",
                )
            ).format(**n),
        )
        author = f"{self.w.any(W.FEMALE_NAMES + W.MALE_NAMES)} {self.w.any(W.SURNAMES)}"
        month = W.MONTH_NAMES[self.rng.randint(0, 11)]
        self.add(
            "meta",
            self.w.pick(
                (
                    f"Report author: {author}",
                    f"Independent Chair and Author: {author}",
                    f"Author: {author}, Independent Chair",
                    f"Prepared by {author}",
                )
            ),
        )
        self.add(
            "meta",
            self.w.pick(
                (
                    f"Final report, {month} {f['report_year']}",
                    f"{month} {f['report_year']}",
                    f"Date of report: {self.rng.randint(1, 28)} {month} {f['report_year']}",
                    f"Version 4 (final) - {month} {f['report_year']}",
                )
            ),
        )

    def death_sentence(self) -> str:
        f, n = self.f, dict(self.names())
        n.update(date=self.death_date, inv=self.inverse or "")
        kind = f["death_type"]
        if kind == "homicide":
            options = [
                "{V} was killed by {her} {rel}, {P}, at {her} home in {date}.",
                "In {date} {V} was murdered by {her} {rel}, {P}.",
                "This review examines the death of {V}, who was killed in {date}. {P}, {her} {rel}, was later convicted of {her} murder.",
                "{V} died in {date} after being attacked by {her} {rel}, {P}, who was convicted of manslaughter.",
            ]
            if self.inverse:
                options.insert(0, "In {date} {P} killed {his} {inv}, {V}, at the home they shared.")
            sentence = self.w.pick(options)
        elif kind == "suicide":
            sentence = self.w.pick(
                (
                    "{V} took {her} own life in {date}. The alleged perpetrator was {her} {rel}, referred to in this report as {P}.",
                    "{V} died by suicide in {date}. The perpetrator was {her} {rel}, {P}.",
                    "The review concerns {V}, who ended {her} life in {date} after a long period of abuse by {her} {rel}, {P}.",
                    "In {date} {V} was found to have taken {her} own life; the person alleged to have abused {obj} was {her} {rel} {P}.",
                )
            )
        elif kind == "other":
            sentence = self.w.pick(
                (
                    "{V} died in {date} from neglect; the perpetrator was {her} {rel}, {P}, who lived with {obj}.",
                    "In {date} {V} died from neglect while living with {her} {rel}, {P}, who was the perpetrator.",
                    "The coroner recorded that {V}, who died in {date}, died from neglect; the perpetrator was {her} {rel}, {P}.",
                )
            )
        else:
            sentence = self.w.pick(
                (
                    "{V} died at {her} home in {date}; the cause of {her} death could not be established. The perpetrator was {her} {rel}, {P}.",
                    "{V} died in {date}. How {she} died is not known, and the review does not speculate. The perpetrator was {her} {rel}, {P}.",
                    "{V} was found dead in {date}; the manner of {her} death remains undetermined. The perpetrator was {her} {rel}, {P}.",
                )
            )
        return sentence.format(**n)

    def pseudonym_sentence(self) -> str:
        n = self.names()
        return self.w.pick(
            (
                "The pseudonym '{V}' has been used for the victim, chosen with {her} family.",
                "{V} (not {her} real name) is the name used for the victim throughout this report.",
                "In this report the victim is referred to as '{V}', a pseudonym agreed with {her} family.",
                "The victim is known in this report as {V}; the perpetrator is referred to as {P}.",
                "{Her} family asked that {she} be called {V} in this report.",
            )
        ).format(**n)

    def age_sentence(self) -> str:
        if not self.f["victim_age_band"]:
            return ""
        n = dict(self.names(), age=self.f["age"])
        return self.w.pick(
            (
                "{V} was {age} years old when {she} died.",
                "At the time of {her} death {V} was aged {age}.",
                "{V}, aged {age}, lived in {place}.",
                "{V} ({age}) had lived in {place} for most of {her} life.",
                "{V} had reached the age of {age}.",
            )
        ).format(**n)

    def commission_sentence(self) -> str:
        f = self.f
        decided = f"{W.MONTH_NAMES[(self.month + 1) % 12]} {f['year'] if self.month < 11 else f['year'] + 1}"
        return self.w.pick(
            (
                f"{f['csp']} decided to hold a review in {decided} and the Home Office was informed.",
                f"The decision to commission this review was taken by {f['csp']} in {decided}.",
                f"Following notification, the chair of {f['csp']} agreed in {decided} that the criteria were met.",
                f"The review was commissioned by {f['csp']} in {decided}.",
            )
        )

    def contributors(self) -> None:
        count = len(self.agencies)
        self.f["agencies_count"] = count
        number = (
            str(count)
            if self.rng.random() < 0.5
            else W.NUMBER_WORDS[count]
            if count <= 20
            else str(count)
        )
        self.para(
            self.w.pick(
                (
                    f"Information was received from {number} agencies that had contact with the people in this review.",
                    f"{number.capitalize()} agencies provided chronologies and Individual Management Reviews (IMRs).",
                    f"The following {number} agencies contributed to the review by providing chronologies and reports:",
                    "The following agencies submitted chronologies and IMRs:",
                    f"In all, {number} organisations shared what they knew.",
                )
            )
        )
        for name, _ in self.agencies:
            self.add("bullet", name)
        self.fill("contributors", 1)

    def panel(self) -> None:
        roles = self.rng.sample(W.PANEL_ROLES, k=self.rng.randint(5, 9))
        self.para(
            f"The panel comprised {len(roles)} members, none of whom had direct involvement with the people in this review."
        )
        for role in roles:
            self.add("bullet", role.format(place=self.f["place"]))

    def parallel(self) -> None:
        if self.f["death_type"] == "homicide":
            self.para(
                "The review was paused while criminal proceedings were concluded, and resumed after sentencing."
            )
        self.fill("parallel", 1)

    def background(self) -> None:
        n = self.names()
        self.para(self.w.pick(BACKGROUND_OPENERS).format(**n))
        sentences = []
        for flag in sorted(self.themes):
            if flag in THEME_SENTENCES:
                sentences.append(
                    self.w.pick(THEME_SENTENCES[flag]).format(**n, year=self.date_before(14))
                )
        self.rng.shuffle(sentences)
        while sentences:
            chunk, sentences = sentences[:3], sentences[3:]
            self.para(*chunk, self.w.any(FILLER["background"]).format(**n))
        self.fill("background", 2)

    def chronology(self) -> None:
        n = self.names()
        entries: list[tuple[int, str]] = []
        for flag in sorted(self.themes):
            for template in CHRONOLOGY_ENTRIES.get(flag, ()):
                if self.rng.random() < 0.7:
                    entries.append((self.rng.randint(2, 30), template))
        for _ in range(self.rng.randint(8, 14)):
            entries.append((self.rng.randint(1, 36), self.w.any(NEUTRAL_ENTRIES)))
        entries.sort(key=lambda e: -e[0])
        for months_before, template in entries:
            self.para(f"{self.date_before(months_before)}: " + template.format(**n))

    def analysis(self) -> None:
        n = self.names()
        for question in self.rng.sample(ANALYSIS_TOPICS, k=4):
            self.add("h2", question)
            self.fill("analysis", 2)
        for flag in sorted(self.themes):
            if flag in ANALYSIS_SENTENCES:
                self.para(
                    self.w.pick(ANALYSIS_SENTENCES[flag]).format(**n),
                    self.w.any(FILLER["analysis"]).format(**n),
                )

    def extra_analysis(self) -> None:
        # Padding to about 5,000 words goes before the recommendations.
        index = next(
            i
            for i, b in enumerate(self.blocks)
            if b.kind == "h1" and b.text.split(". ", 1)[1] == "Conclusions"
        )
        block = Block(
            "p",
            " ".join(s.format(**self.names()) for s in self.rng.sample(FILLER["analysis"], k=4)),
        )
        self.blocks.insert(index, block)
        self.words += len(block.text.split())

    def recommendations_section(self) -> None:
        f = self.f
        overarching = [r for r in self.recommendations if r["group"] == "overarching"]
        single = [r for r in self.recommendations if r["group"] == "single"]
        o = len(overarching)
        says = self.rng.random()
        if says < 0.6:
            o_word = W.NUMBER_WORDS[o] if self.rng.random() < 0.5 else str(o)
            statement = self.w.pick(
                (
                    f"The review makes {o_word} recommendations.",
                    f"The panel made {o_word} overarching recommendations.",
                    f"This review has made {o_word} recommendations, set out below.",
                    f"There are {o_word} recommendations for the partnership and its agencies.",
                )
            )
            if single and self.rng.random() < 0.5:
                statement += f" In addition, agencies made {len(single)} single agency recommendations in their IMRs."
            self.para(statement)
        if single:
            self.add(
                "h2",
                self.w.pick(
                    (
                        "Overarching recommendations",
                        "Panel recommendations",
                        "Multi-agency recommendations",
                    )
                ),
            )
        number = 0
        for rec in overarching:
            number += 1
            self.add("item", f"{number}. {rec['text']}")
        if single:
            self.add(
                "h2",
                self.w.pick(
                    (
                        "Single agency recommendations",
                        "Single-agency recommendations",
                        "Individual agency recommendations",
                    )
                ),
            )
            current = None
            for rec in single:
                if rec["agency"] != current:
                    current = rec["agency"]
                    self.add("h2", current)
                number += 1
                self.add("item", f"{number}. {rec['text']}")
        f["recommendations"] = [
            {"text": r["text"], "addressee": r["addressee"], "theme": r["theme"]}
            for r in self.recommendations
        ]

    def appendices(self) -> None:
        self.add("pagebreak")
        self.add("h1", "Appendix A: Action plan")
        rows = [["Recommendation", "Scope", "Lead agency", "Target date", "Status"]]
        for index, rec in enumerate(self.recommendations, 1):
            scope = "Single agency" if rec["group"] == "single" else "Local"
            lead = rec["agency"] or ADDRESSEE_NAMES[rec["addressee"]].format(
                place=self.f["place"], csp=self.f["csp"]
            )
            rows.append([f"{index}", scope, lead, f"March {self.f['report_year'] + 1}", "Open"])
        self.add("table", rows=rows)
        self.add("h1", "Appendix B: Terms of reference")
        self.fill("methodology", 1)


ADDRESSEE_NAMES = {
    "csp": "{csp}", "national_government": "The Home Office", "police": "{place} Police",
    "health": "{place} Integrated Care Board", "social_services": "{place} Council Adult Social Care",
    "idva_da_service": "The {place} Domestic Abuse Service", "housing": "{place} Council Housing Options",
    "probation": "The Probation Service", "education": "{place} College",
}  # fmt: skip
REC_TOPICS = (
    "people who are isolated from family",
    "people cared for by a relative",
    "victims who do not attend appointments",
    "people with several agencies involved",
    "families who speak of concerns but do not make a formal report",
    "adults who decline support",
)
REC_TEXT = {
    "training": (
        "{who} should deliver training to frontline staff on recognising the signs of abuse among {topic}.",
        "{who} should make sure its practitioners complete training on responding to {topic}.",
        "{who} is asked to include the learning from this review in its training programme, with a focus on {topic}.",
        "{who} should refresh the skills of its staff through workshops on working with {topic}.",
    ),
    "identification_of_risk": (
        "{who} should make sure that staff ask directly about abuse and assess risk when working with {topic}.",
        "{who} should introduce routine enquiry so that risk is identified early for {topic}.",
        "{who} should review how it identifies and assesses risk for {topic}.",
        "{who} should ensure warning signs are recognised and acted upon for {topic}.",
    ),
    "policy": (
        "{who} should review its policy and procedures for {topic}.",
        "{who} should update its guidance so that the procedure for {topic} is clear.",
        "{who} should write a protocol setting out the pathway for {topic}.",
        "{who} should revise its operating standard for {topic}.",
    ),
    "multi_agency_working": (
        "{who} should lead multi-agency work so that information about {topic} is shared between agencies.",
        "{who} should agree an information sharing arrangement with partners for {topic}.",
        "{who} should strengthen partnership working between agencies supporting {topic}.",
        "{who} should set up regular liaison with partner agencies about {topic}.",
    ),
    "record_keeping": (
        "{who} should make sure that records of contact with {topic} are complete and accurate.",
        "{who} should audit case notes to check that decisions about {topic} are recorded.",
        "{who} should remind staff that record keeping for {topic} must include the reasons for decisions.",
        "{who} should check that documentation about {topic} is kept up to date.",
    ),
    "awareness_raising": (
        "{who} should run a campaign to raise awareness in the community of the help available to {topic}.",
        "{who} should publish leaflets so that family and friends know how to seek help for {topic}.",
        "{who} should raise public awareness of abuse affecting {topic}.",
        "{who} should work with local groups to improve awareness among residents of support for {topic}.",
    ),
    "technology_systems": (
        "{who} should change its electronic records system so that an alert is raised for {topic}.",
        "{who} should make sure its IT systems allow staff to see previous contact with {topic}.",
        "{who} should review its case management system so that information about {topic} can be found.",
        "{who} should add a digital flag on the database for {topic}.",
    ),
}
BACKGROUND_OPENERS = (
    "{V} grew up in {place} and was described by {her} family as warm, loyal and funny.",
    "Friends remembered {V} as someone who was always ready to help others.",
    "{V}'s family described {obj} as sociable and kind, with a love of music and walking.",
    "{V} had worked in a local shop for many years and was well known in {her} neighbourhood.",
    "Those who knew {V} spoke of {her} generosity and sense of humour.",
)
THEME_SENTENCES = {
    "domestic_abuse_history": (
        "{P} had a history of domestic abuse towards a previous partner.",
        "Friends said that {V} had been hit by {P} several times during the relationship.",
        "There had been previous incidents of abuse in the relationship which {V} described to a friend.",
        "{V} had disclosed domestic abuse to a colleague a year before {her} death.",
    ),
    "coercive_control": (
        "{P} was controlling and decided who {V} could see.",
        "Friends described {P} as jealous and possessive.",
        "{P} controlled where {V} went and checked {her} phone.",
        "The review found a pattern of coercive behaviour by {P}.",
    ),
    "separation": (
        "{V} had ended the relationship with {P} a few weeks before {her} death.",
        "{V} and {P} separated in {year}.",
        "{V} had asked {P} to leave the home shortly before {her} death.",
        "The couple had split up in {year}.",
    ),
    "mental_health_victim": (
        "{V} had experienced depression for several years.",
        "{V} lived with anxiety and low mood.",
        "{V} had been diagnosed with post-traumatic stress disorder.",
        "{V} struggled with depression after a bereavement.",
    ),
    "mental_health_perpetrator": (
        "{P} had a long history of mental illness.",
        "{P} had been diagnosed with schizophrenia some years earlier.",
        "{P} experienced episodes of psychosis.",
        "{P} had been detained under the Mental Health Act in the past.",
    ),
    "substance_use_victim": (
        "{V}'s alcohol use had increased in the year before {her} death.",
        "{V} was dependent on alcohol.",
        "{V} used cannabis most days.",
        "{V} had struggled with alcohol dependency.",
    ),
    "substance_use_perpetrator": (
        "{P} drank alcohol heavily and was often drunk.",
        "{P} had used cocaine and cannabis for many years.",
        "{P} had a long-standing alcohol problem.",
        "{P} misused drugs, including heroin.",
    ),
    "housing": (
        "{V} had applied to the council as homeless and was placed in temporary accommodation.",
        "{V} had rent arrears and faced eviction.",
        "{V} had asked the housing association for a transfer.",
        "{V} had been sofa surfing with friends before finding a tenancy.",
    ),
    "children": (
        "{V} had two children, who lived with {obj}.",
        "{V} was pregnant at the time of {her} death.",
        "{V} had a young daughter from an earlier relationship.",
        "{V}'s children were at school when the events took place.",
    ),
    "sexual_violence": (
        "{V} told a friend that {P} had sexually assaulted {obj}.",
        "{V} disclosed that {P} had raped {obj}.",
        "There was evidence that {P} had sexually abused {V}.",
        "{V} described sexual violence by {P} to a counsellor.",
    ),
    "stalking": (
        "{P} stalked {V}, waiting outside {her} workplace.",
        "{V} experienced harassment from {P}, including hundreds of messages.",
        "{P} repeatedly harassed {V} by phone.",
        "{P} followed {V} and turned up at {her} home; this was stalking.",
    ),
    "strangulation": (
        "{V} told a friend that {P} had strangled {obj} during an argument.",
        "{P} had put {his} hands around {V}'s neck and choked {obj}.",
        "{V} described a non-fatal strangulation by {P} to a friend.",
        "{V} said {P} had tried to suffocate {obj} with a pillow.",
    ),
    "marac": (
        "{V}'s case was heard at MARAC.",
        "{V} was referred to MARAC as a high-risk victim.",
        "The case was discussed at a Multi-Agency Risk Assessment Conference.",
        "A MARAC meeting considered {V}'s safety.",
    ),
    "dash": (
        "A DASH risk assessment was completed with {V}.",
        "The DASH checklist was used and scored {V} as medium risk.",
        "An officer completed a DASH assessment.",
        "A DASH risk identification checklist was completed.",
    ),
    "police_contact": (
        "{V} called the police after an argument with {P}.",
        "Police attended the address after a neighbour raised concerns.",
        "{V} reported to the police that {P} had damaged {her} car.",
        "{P} was known to the police for shoplifting.",
    ),
    "health_contact": (
        "{V} saw {her} GP about poor sleep.",
        "{V} attended the Emergency Department with a hand injury.",
        "{V} was seen at the hospital after a fall.",
        "{V} visited {her} GP practice several times in the year before {her} death.",
    ),
    "suicide_risk": (
        "{V} had spoken of suicidal thoughts.",
        "{V} had self-harmed in the past.",
        "{V} had attempted suicide once before.",
        "{V} had taken an overdose the year before.",
    ),
    "older_victim": (
        "As an older person living with {P}, {V} relied on {pobj} for much of {her} daily life.",
        "{V} was an older person who rarely left the house.",
        "{V} was elderly and lived quietly.",
        "{V} was an older adult who had lived in the same house for forty years.",
    ),
    "economic_abuse": (
        "{P} took {V}'s bank card and controlled {her} money.",
        "{P} was financially abusive, taking {V}'s wages.",
        "There was evidence of economic abuse: {P} ran up debts in {V}'s name.",
        "{P} controlled the money and gave {V} an allowance; this was economic abuse.",
    ),
    "honour_based_abuse": (
        "There were concerns about honour-based abuse within the wider family.",
        "{V} had been threatened with a forced marriage.",
        "The family's response suggested so-called honour was a factor.",
        "Friends raised honour-based abuse as a concern.",
    ),
    "disability": (
        "{V} used a wheelchair after an accident.",
        "{V} had a learning disability.",
        "{V} had physical disabilities and care needs.",
        "{V} was living with dementia.",
    ),
    "immigration": (
        "{V} had come to the UK on a spousal visa.",
        "{V}'s immigration status was insecure.",
        "{P} threatened to have {V} deported.",
        "{V} was an asylum seeker.",
    ),
    "covid": (
        "The events took place during the COVID-19 pandemic.",
        "During the first national lockdown {V} saw few people.",
        "Services moved to telephone contact during the pandemic.",
        "Lockdown restrictions limited face-to-face contact.",
    ),
}
CHRONOLOGY_ENTRIES = {
    "police_contact": (
        "{V} called the police to report a disturbance; officers attended.",
        "Police attended after a neighbour called about shouting.",
    ),
    "health_contact": (
        "{V} saw {her} GP about headaches.",
        "{V} attended the Emergency Department and was discharged the same day.",
    ),
    "housing": ("{V} contacted the housing options team about moving.",),
    "marac": ("The case was heard at MARAC and a safety plan agreed.",),
    "dash": ("A DASH assessment was completed.",),
}
NEUTRAL_ENTRIES = (
    "{V} started a new job at a local café.",
    "{V} and {P} went on holiday together.",
    "{V} attended a family wedding.",
    "{V} registered with a local volunteering group.",
    "{V} renewed {her} membership of the library.",
    "{P} began a new job in a warehouse.",
    "{V} moved furniture into a new flat with help from friends.",
    "{V} celebrated a birthday with friends.",
    "{V} enrolled on an evening course in photography.",
    "{P} bought a second-hand car.",
    "{V} spent a weekend away with {her} sister.",
    "{V} took part in a charity walk.",
)
KEY_LINES = (
    "What did agencies know about {V} and {P}, and how did they respond?",
    "Were there opportunities for agencies to intervene earlier?",
    "How well did agencies share information with each other?",
    "Was the response of each agency in line with its policies and procedures?",
    "Did agencies consider the wishes and feelings of {V}?",
    "Were there barriers that made it harder for {V} to seek help?",
    "What can agencies learn about working together in future?",
    "How did managers oversee the work of their staff?",
)
ANALYSIS_TOPICS = (
    "Knowledge held by agencies",
    "Opportunities to intervene",
    "Information sharing",
    "Management oversight",
    "The wishes of the victim",
    "Barriers to seeking help",
    "Agency policies and procedures",
    "Working together",
)
ANALYSIS_SENTENCES = {
    "coercive_control": (
        "The panel considered that the behaviour of {P} was coercive and controlling.",
    ),
    "domestic_abuse_history": (
        "The history of abuse by {P} towards previous partners was not known to every agency.",
    ),
    "stalking": ("Agencies did not always recognise the stalking for what it was.",),
    "economic_abuse": ("The economic abuse of {V} was hidden from agencies.",),
    "separation": ("The separation was a time of heightened danger for {V}.",),
    "substance_use_perpetrator": ("{P}'s alcohol use was known to several agencies.",),
    "mental_health_perpetrator": ("Agencies knew of {P}'s mental illness but not of the abuse.",),
}
FILLER = {
    "introduction": (
        "The review was carried out in an open and constructive manner with all the agencies involved.",
        "Its purpose is to learn lessons, not to apportion blame.",
        "The panel is grateful to everyone who gave their time to the review.",
        "The review has sought to understand what life was like for {V}.",
        "It considers the contact that agencies had with {V} and {P} over the years before {her} death.",
        "The panel hopes that the lessons identified will help to protect others in future.",
        "The report was written so that it can be read by the family and by the public.",
        "This report is the work of the panel as a whole.",
    ),
    "timescales": (
        "The panel met six times over the course of the review.",
        "The review took longer than the six months set out in guidance.",
        "The family were given time to consider the draft report.",
        "Meetings were arranged so that panel members could attend.",
        "The chair kept the Home Office informed of progress.",
        "The final draft was agreed by the panel before it was presented to the partnership board.",
    ),
    "confidentiality": (
        "The findings of the review are confidential until the report is published.",
        "Information was shared only with panel members and the family.",
        "Pseudonyms are used throughout to protect the identity of the family.",
        "Practitioners are referred to by their role rather than by name.",
        "Agencies are named, but their staff are not.",
        "Dates are given as a month and year only.",
    ),
    "methodology": (
        "The review followed the statutory guidance issued by the Home Office.",
        "Agencies were asked to secure their records and to provide a chronology of their contact.",
        "Each agency report was written by a manager with no involvement in the case.",
        "The panel read each report and asked the authors questions.",
        "The chair and panel agreed the key lines of enquiry at the first meeting.",
        "The review covered the period of three years before the death.",
    ),
    "family": (
        "The chair wrote to the family at the start of the review and offered to meet them.",
        "The family were offered support from a specialist advocacy service.",
        "Friends and a colleague of {V} also spoke to the chair.",
        "Their accounts helped the panel to understand {V} as a person.",
        "The family read the draft report and their comments were included.",
        "The panel thanks the family for their courage and honesty.",
    ),
    "contributors": (
        "Each agency report was signed off by a senior manager.",
        "The authors of the agency reports attended a panel meeting to discuss their findings.",
        "Some agencies had only brief contact and provided a short summary.",
    ),
    "author": (
        "The chair and author has no connection with any of the agencies involved.",
        "The chair has experience of leading reviews of this kind.",
        "The chair was supported by the community safety team.",
        "A statement of independence is held by the partnership.",
    ),
    "parallel": (
        "The coroner was informed of the review.",
        "The chair kept in contact with the coroner's officer.",
        "No other statutory reviews were held.",
    ),
    "equality": (
        "The panel considered whether any of the protected characteristics under the Equality Act 2010 were relevant.",
        "The panel considered whether {V}'s age, sex or background made it harder to get help.",
        "The review found no evidence that agencies treated {V} differently because of who {she} was.",
        "The panel reflected on how gender shaped the experiences described in this report.",
    ),
    "dissemination": (
        "The report will be shared with the Home Office and the Domestic Abuse Commissioner.",
        "Each agency on the panel will receive a copy of the report.",
        "The partnership will publish the report on its website.",
        "A short briefing will be prepared for frontline staff.",
    ),
    "background": (
        "{V} was close to {her} family and spoke to them most days.",
        "{V} enjoyed gardening and spending time with friends.",
        "{V} had lived in the same area for most of {her} adult life.",
        "Colleagues described {V} as reliable and hard-working.",
        "{P} had worked in a number of jobs over the years.",
        "The family described the early years of the relationship as happy.",
    ),
    "overview": (
        "This section draws together what agencies knew.",
        "Most contact with agencies was routine.",
        "No single agency held the full picture.",
        "The panel looked at each contact in turn.",
        "Some agencies had no contact in the period of the review.",
        "What was known was spread across several agencies.",
    ),
    "analysis": (
        "The panel found that staff acted in line with their procedures in most respects.",
        "There were times when professional curiosity might have led to more questions.",
        "Agencies worked hard to engage with {V}.",
        "Information held by one agency was not always known to others.",
        "Managers were not always aware of the decisions being made.",
        "The panel recognised the pressures on services during this period.",
        "The agency report acknowledged that its records could have been clearer.",
        "Staff turnover meant that relationships with {V} were not sustained.",
        "Good practice was seen in the persistence of some practitioners.",
        "The panel accepted the findings of the agency reports.",
        "The opportunities identified were small, but together they matter.",
        "It is not possible to say whether a different response would have changed the outcome.",
    ),
    "conclusions": (
        "The panel concluded that the death could not have been predicted.",
        "There were missed opportunities to ask questions.",
        "Agencies have already made changes in response to this review.",
        "The learning from this review applies beyond the agencies involved.",
        "The panel hopes the family find some comfort in the changes made.",
    ),
    "lessons": (
        "Professional curiosity is essential when working with families.",
        "Agencies need to look beyond the immediate reason for contact.",
        "Information held by different agencies should be brought together.",
        "Families and friends often know more than agencies.",
        "Good record keeping supports good decisions.",
    ),
}
