"""The overview report and the executive summary: skeletons in the standard section order
(DOMAIN.md section 4), pre-filled with what Lantern knows, with grey prompts where the author
writes. The parts both documents share (the panel, contributors, terms of reference, the
chronology in summary, the recommendations) are built once here.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lantern.documents.builders.briefing import flag_counts, how_they_died, who_they_were
from lantern.documents.builders.common import Options, frame, or_dash, prompt
from lantern.documents.content.model import Block, Bullets, Document, Facts, Section, Table, Text
from lantern.documents.facts import (
    CHRONOLOGY_APPENDIX_LIMIT,
    Member,
    ReviewFacts,
    decision_holds,
)
from lantern.recommendations.plan_import.shape import COLUMNS
from lantern.recommendations.plan_import.writer import plan_rows

# --- shared parts --------------------------------------------------------------------------------


def timescale_facts(facts: ReviewFacts) -> Facts:
    rows = [
        (_("Notified to the partnership"), or_dash(facts.notified_on)),
        (_("Decision due"), or_dash(facts.decision_due)),
        (
            _("Decision"),
            f"{facts.decision}, {facts.decided_on}" if facts.decision else _("Not yet made"),
        ),
        (_("Home Office told of the decision"), or_dash(facts.home_office_informed_on)),
        (_("Family told of the decision"), or_dash(facts.family_informed_on)),
    ]
    if facts.completion_base_due:
        rows.append((_("Completion due (six months from the decision)"), facts.completion_base_due))
    if facts.completion_due and facts.completion_due != facts.completion_base_due:
        rows.append((_("Completion due, after pauses and extensions"), facts.completion_due))
    if facts.paused_days:
        rows.append((_("Days the clock was paused"), str(facts.paused_days)))
    rows.append((_("Stage now"), facts.stage_label))
    return Facts(tuple(rows))


def pauses_table(facts: ReviewFacts) -> Table:
    return Table(
        (_("Pause for"), _("From"), _("To"), _("Agreed by"), _("Home Office told")),
        tuple(tuple(or_dash(v) for v in row) for row in facts.pauses),
        widths=(3, 2, 2, 3, 2),
        empty=_("Author: no pause of the review has been recorded."),
    )


def panel_table(facts: ReviewFacts) -> Table:
    return Table(
        (_("Role"), _("Job title"), _("Organisation")),
        tuple((m.role, or_dash(m.job_title), or_dash(m.organisation)) for m in facts.panel),
        widths=(2, 3, 3),
        empty=_("Author: the panel's members are not yet recorded in Lantern."),
    )


def contributors_table(facts: ReviewFacts) -> Table:
    return Table(
        (_("Agency"), _("Contact with the family"), _("Chronology"), _("Entries"), _("Report")),
        tuple(
            (c.agency, or_dash(c.answer), or_dash(c.chronology), str(c.entries), or_dash(c.imr))
            for c in facts.contributors
        ),
        widths=(4, 2.2, 2.2, 1.3, 3),
        empty=_("Author: no agency has yet been asked about its contact."),
    )


def terms_blocks(facts: ReviewFacts) -> list[Block]:
    period = (
        _("%(start)s to %(end)s") % {"start": facts.period_start, "end": facts.period_end}
        if facts.period_start and facts.period_end
        else ""
    )
    blocks: list[Block] = [
        Facts(
            (
                (_("Review period"), or_dash(period)),
                (_("Terms of reference agreed"), or_dash(facts.terms_agreed_on)),
                (_("Agencies in scope"), or_dash(len(facts.agencies_in_scope) or "")),
            )
        )
    ]
    if facts.lines_of_enquiry:
        blocks.append(Text(_("The key lines of enquiry:")))
        blocks.append(Bullets(tuple(facts.lines_of_enquiry), numbered=True))
    else:
        blocks.append(prompt(_("the key lines of enquiry are not yet recorded.")))
    if facts.agencies_out_of_scope:
        blocks.append(Text(_("Agencies named but not in scope, and why:")))
        blocks.append(
            Bullets(
                tuple(
                    f"{name}: {reason}" if reason else name
                    for name, reason in facts.agencies_out_of_scope
                )
            )
        )
    return blocks


def recommendation_blocks(facts: ReviewFacts, *, with_single_agency: bool = True) -> list[Block]:
    if not facts.recommendations:
        return [prompt(_("the recommendations are not yet recorded in Lantern."))]
    blocks: list[Block] = []
    if facts.overarching:
        blocks.append(Text(_("Overarching recommendations of the review panel:")))
        blocks.append(
            Table(
                (_("No."), _("Recommendation"), _("Scope"), _("To")),
                tuple(
                    (r.number, r.text, r.scope, or_dash(r.addressed_to)) for r in facts.overarching
                ),
                widths=(1, 7, 2, 2),
            )
        )
    if facts.single_agency and with_single_agency:
        blocks.append(Text(_("Single-agency recommendations:")))
        blocks.append(
            Table(
                (_("No."), _("Recommendation"), _("Source")),
                tuple((r.number, r.text, r.source) for r in facts.single_agency),
                widths=(1, 8, 3),
            )
        )
    elif facts.single_agency:
        blocks.append(
            Text(
                ngettext(
                    "The agencies also made %(n)s single-agency recommendation, listed in the "
                    "overview report's action plan.",
                    "The agencies also made %(n)s single-agency recommendations, listed in the "
                    "overview report's action plan.",
                    len(facts.single_agency),
                )
                % {"n": len(facts.single_agency)}
            )
        )
    return blocks


def chronology_summary(facts: ReviewFacts) -> list[Block]:
    if not facts.entries:
        return [prompt(_("no agency chronology has been imported into Lantern yet."))]
    text = _(
        "The combined chronology holds %(entries)s entries from %(agencies)s agencies, from "
        "%(first)s to %(last)s."
    ) % {
        "entries": facts.entries,
        "agencies": facts.entry_agencies,
        "first": facts.first_contact,
        "last": facts.last_contact,
    }
    blocks: list[Block] = [Text(text)]
    if facts.chronology_partial:
        blocks.append(
            Text(
                _(
                    "This copy holds only the agencies' material its reader may see; the full "
                    "combined chronology is with the chair and the author."
                ),
                "note",
            )
        )
    if facts.months_without_contact is not None and facts.months_without_contact >= 2:
        blocks.append(
            Text(
                ngettext(
                    "The last contact any agency recorded was in %(last)s, %(n)s month before "
                    "the death.",
                    "The last contact any agency recorded was in %(last)s, %(n)s months before "
                    "the death.",
                    facts.months_without_contact,
                )
                % {"last": facts.last_contact, "n": facts.months_without_contact}
            )
        )
    return blocks


def themes_table(facts: ReviewFacts) -> Table:
    return Table(
        (_("Theme"), _("Entries"), _("Agencies")),
        tuple((t.label, str(t.entries), str(t.agencies)) for t in facts.themes),
        widths=(5, 1.3, 1.3),
        caption=_("Themes of the agencies' records (from the entries' theme tags)"),
        empty=_("Author: the entries have no themes yet."),
    )


def flagged_table(facts: ReviewFacts) -> Table:
    return Table(
        (_("When"), _("Agency"), _("Marked as"), _("What happened"), _("Analyst's comment")),
        tuple((f.when, f.agency, f.flag, f.what, f.comment) for f in facts.flagged),
        widths=(2.2, 3, 2.6, 6, 5),
        caption=_("Missed opportunities and good practice marked in the combined chronology"),
        empty=_("Author: no entry of the combined chronology is marked yet."),
        small=True,
    )


def action_plan_tables(facts: ReviewFacts) -> list[Block]:
    """The action plan's main columns (as `plan_import.writer` lays them out), one table for
    each kind of recommendation."""
    if facts.plan is None or not facts.plan.recommendations:
        return [prompt(_("there is no action plan in Lantern yet."))]
    columns = [c for c in COLUMNS if c.main]
    blocks: list[Block] = []
    caption = ""
    rows: list[tuple[str, ...]] = []

    def flush() -> None:
        if rows:
            blocks.append(
                Table(
                    tuple(c.heading for c in columns),
                    tuple(rows),
                    widths=tuple(c.width for c in columns),
                    caption=caption,
                    small=True,
                )
            )

    for kind, content in plan_rows(facts.plan, dates_as_text=True):
        if kind == "section":
            flush()
            caption, rows = str(content), []
        else:
            assert isinstance(content, dict)
            rows.append(tuple(str(content.get(c.key) or "") for c in columns))
    flush()
    return blocks


def chronology_table(facts: ReviewFacts) -> list[Block]:
    from lantern.chronology.exports import column_keys, headings

    if not facts.chronology_rows:
        return [prompt(_("no agency chronology has been imported into Lantern yet."))]
    keys = [k for k in column_keys() if k != "source_record"]
    titles = dict(zip(column_keys(), headings(), strict=True))
    widths = {
        "date": 2,
        "time": 1,
        "agency": 3,
        "subject": 2,
        "what_happened": 7,
        "action_taken": 5,
        "risk_assessment": 3,
        "analyst_comment": 4,
        "themes": 3,
    }
    rows = tuple(
        tuple(
            row.date_text
            if key == "date"
            else (row.time.strftime("%H:%M") if row.time else "")
            if key == "time"
            else str(row.value(key) or "")
            for key in keys
        )
        for row in facts.chronology_rows
    )
    blocks: list[Block] = []
    if facts.entries > len(rows):
        blocks.append(
            Text(
                _(
                    "The first %(shown)s of %(entries)s entries. The whole combined chronology "
                    "is exported with “lantern chronology export”."
                )
                % {"shown": CHRONOLOGY_APPENDIX_LIMIT, "entries": facts.entries},
                "note",
            )
        )
    blocks.append(
        Table(
            tuple(titles[k] for k in keys),
            rows,
            widths=tuple(widths.get(k, 2) for k in keys),
            small=True,
        )
    )
    return blocks


def people_table(facts: ReviewFacts) -> Table:
    return Table(
        (_("Pseudonym"), _("Role in the review"), _("Relationship"), _("Ethnicity")),
        tuple(
            (p.name, p.role, or_dash(p.relationship), or_dash(p.ethnicity)) for p in facts.people
        ),
        widths=(2, 2, 3, 2),
        empty=_("Author: the people register is empty."),
    )


def independence(member_label: str, member: Member | None) -> list[Block]:
    if member is None:
        return [
            prompt(_("the %(who)s is not yet recorded in Lantern.") % {"who": member_label.lower()})
        ]
    blocks: list[Block] = [
        Facts(
            (
                (member_label, member.name),
                (_("Job title"), or_dash(member.job_title)),
            )
        )
    ]
    if member.statement:
        blocks.append(Text(member.statement))
        if member.declared_on:
            blocks.append(
                Text(
                    _("Statement of independence made on %(date)s.") % {"date": member.declared_on},
                    "note",
                )
            )
    else:
        blocks.append(prompt(_("add the statement of independence.")))
    return blocks


def terms_appendix(facts: ReviewFacts) -> Section:
    appendix = Section(_("Terms of reference")).add(*terms_blocks(facts))
    if facts.family_involvement:
        appendix.subsections.append(
            Section(_("Family involvement")).add(Text(facts.family_involvement))
        )
    if facts.parallel_processes:
        appendix.subsections.append(
            Section(_("Parallel processes")).add(Text(facts.parallel_processes))
        )
    return appendix


# --- the overview report --------------------------------------------------------------------------


def build_overview_report(facts: ReviewFacts, options: Options) -> Document:
    doc = frame(facts, options, kind="overview_report", title=_("Overview report"))
    name = facts.pseudonym
    s = Section

    intro = s(_("Introduction and condolences")).add(
        Text(
            _(
                "This report of a %(type)s examines how agencies responded to, and supported, "
                "%(name)s, who lived in the area of %(csp)s, before %(possessive)s death in "
                "%(month)s."
            )
            % {
                "type": facts.review_type,
                "name": name,
                "csp": facts.partnership,
                "possessive": facts.words.possessive,
                "month": facts.death_month or _("(date of death not recorded)"),
            },
            "lead",
        ),
        prompt(
            _(
                "offer the panel's condolences to %(name)s's family and friends, and say how "
                "the family wish %(name)s to be remembered."
            )
            % {"name": name}
        ),
    )
    if decision_holds(facts) and facts.decided_on:
        intro.add(
            Text(
                _("%(csp)s decided on %(date)s to hold this review.")
                % {"csp": facts.partnership, "date": facts.decided_on}
            )
        )

    timescales = s(_("Timescales")).add(
        timescale_facts(facts),
        pauses_table(facts),
    )
    if facts.meetings:
        timescales.add(
            Text(
                ngettext(
                    "The panel met once: %(dates)s.",
                    "The panel met %(n)s times: %(dates)s.",
                    len(facts.meetings),
                )
                % {"n": len(facts.meetings), "dates": "; ".join(d for d, _t in facts.meetings)}
            )
        )
    timescales.add(prompt(_("explain any delay beyond six months and who agreed it.")))

    confidentiality = s(_("Confidentiality")).add(
        Text(
            _(
                "The findings of this review are confidential until it is published. Only "
                "pseudonyms are used, to protect the identity of %(name)s and %(possessive)s "
                "family. Agencies are named; practitioners are not."
            )
            % {"name": name, "possessive": facts.words.possessive}
        ),
        people_table(facts),
    )
    if facts.pseudonym_agreed:
        confidentiality.add(Text(_("The family agreed the pseudonyms used.")))
    else:
        confidentiality.add(prompt(_("record whether the family chose or agreed the pseudonyms.")))

    methodology = s(_("Methodology and terms of reference")).add(
        prompt(
            _(
                "describe how the review was carried out: chronologies, IMRs, interviews, panel "
                "meetings."
            )
        ),
        *terms_blocks(facts),
        Text(_("The full terms of reference are in the appendix."), "note"),
    )

    family = s(_("Involvement of family, friends, colleagues, neighbours and community"))
    if facts.family_involvement:
        family.add(Text(facts.family_involvement))
    family.add(
        Table(
            (_("When"), _("How"), _("With"), _("Notes")),
            tuple(facts.family_contacts),
            widths=(2, 2, 3, 5),
            caption=_("Contact with the family"),
            empty=_("Author: no contact with the family is recorded yet."),
        )
    )
    if facts.advocacy:
        family.add(
            Text(
                _("Specialist advocacy was offered through %(who)s.")
                % {"who": ", ".join(facts.advocacy)}
            )
        )
    family.add(prompt(_("describe what the family, friends and others contributed.")))

    contributors = s(_("Contributors")).add(
        Text(
            ngettext(
                "%(n)s agency had contact with %(name)s or %(possessive)s family.",
                "%(n)s agencies had contact with %(name)s or %(possessive)s family.",
                facts.agencies_in_contact,
            )
            % {
                "n": facts.agencies_in_contact,
                "name": name,
                "possessive": facts.words.possessive,
            }
        ),
        contributors_table(facts),
    )

    panel = s(_("Panel membership")).add(
        panel_table(facts),
        prompt(
            _(
                "confirm that no panel member had direct involvement in the case, and explain "
                "any agency not represented."
            )
        ),
    )

    author = s(_("Author and statement of independence")).add(
        *independence(_("Independent chair"), facts.chair),
        *(independence(_("Report author"), facts.author) if facts.author else []),
    )

    parallel = s(_("Parallel reviews"))
    if facts.parallel_processes:
        parallel.add(Text(facts.parallel_processes))
    if facts.joint_with:
        parallel.add(Text(_("This is a joint review with: %(with)s.") % {"with": facts.joint_with}))
    if facts.pauses:
        parallel.add(
            Text(
                _("The review paused for: %(causes)s.")
                % {"causes": "; ".join(sorted({p[0] for p in facts.pauses}))}
            )
        )
    if facts.liaison:
        parallel.add(
            Text(
                _("Liaison recorded with: %(with)s.")
                % {"with": ", ".join(sorted({w for _d, w in facts.liaison}))}
            )
        )
    parallel.add(prompt(_("say how the review worked alongside each parallel process.")))

    equality = s(_("Equality and diversity")).add(
        Text(
            _(
                "The panel considered the protected characteristics of the Equality Act 2010: "
                "age, disability, gender reassignment, marriage and civil partnership, pregnancy "
                "and maternity, race, religion or belief, sex and sexual orientation."
            )
        ),
        Facts(
            (
                (_("Sex"), or_dash(facts.victim.sex.capitalize() if facts.victim else "")),
                (_("Ethnicity"), or_dash(facts.victim.ethnicity if facts.victim else "")),
                (_("Age"), or_dash(facts.age_text)),
            )
        ),
        prompt(_("say how each characteristic bore on the agencies' responses.")),
    )

    dissemination = s(_("Dissemination")).add(
        Text(_("The report will be shared with:")),
        Bullets(
            (
                _("the family of %(name)s") % {"name": name},
                _("the members of the review panel and the agencies that contributed"),
                _("the %(csp)s board") % {"csp": facts.partnership},
                _("the Home Office Quality Assurance panel"),
                _("the Domestic Abuse Commissioner"),
            )
        ),
    )

    background = s(_("Background")).add(
        Text(" ".join(x for x in (who_they_were(facts), how_they_died(facts)) if x)),
    )
    if facts.circumstances:
        background.add(
            Text(_("What was known when the death was notified:"), "note"),
            Text(facts.circumstances),
        )
    background.add(prompt(_("write a pen portrait, with the family if they wish.")))

    chronology = s(_("Chronology")).add(
        *chronology_summary(facts),
        Text(_("The combined chronology is in the appendix."), "note"),
        prompt(_("summarise the key events in the review period.")),
    )

    overview = s(_("Overview")).add(
        themes_table(facts),
        prompt(_("give an overview of what each agency knew and did.")),
    )

    analysis = s(_("Analysis")).add(flagged_table(facts))
    for line in facts.lines_of_enquiry:
        analysis.subsections.append(
            s(line).add(prompt(_("analyse the agencies' responses against this line of enquiry.")))
        )
    if not facts.lines_of_enquiry:
        analysis.add(prompt(_("analyse the agencies' responses against the terms of reference.")))

    conclusions = s(_("Conclusions")).add(prompt(_("set out the panel's conclusions.")))
    lessons = s(_("Lessons to be learnt")).add(
        prompt(_("set out the lessons, for each agency and for agencies together.")),
    )
    if facts.missed_opportunities or facts.good_practice:
        lessons.add(Text(_("The analysis marks %(counts)s.") % {"counts": flag_counts(facts)}))
    recommendations = s(_("Recommendations")).add(*recommendation_blocks(facts))

    doc.sections = [
        intro,
        timescales,
        confidentiality,
        methodology,
        family,
        contributors,
        panel,
        author,
        parallel,
        equality,
        dissemination,
        background,
        chronology,
        overview,
        analysis,
        conclusions,
        lessons,
        recommendations,
    ]
    doc.appendices = [
        s(_("Action plan"), landscape=True).add(*action_plan_tables(facts)),
        terms_appendix(facts),
        s(_("Combined chronology"), landscape=True).add(*chronology_table(facts)),
    ]
    return doc.number_sections()


# --- the executive summary ------------------------------------------------------------------------


def build_executive_summary(facts: ReviewFacts, options: Options) -> Document:
    doc = frame(facts, options, kind="executive_summary", title=_("Executive summary"))
    name = facts.pseudonym
    s = Section
    process = s(_("The review process")).add(
        Text(
            _(
                "This summary outlines the process and findings of the %(type)s into the death "
                "of %(name)s, commissioned by %(csp)s."
            )
            % {"type": facts.review_type, "name": name, "csp": facts.partnership},
            "lead",
        ),
        timescale_facts(facts),
        prompt(_("describe the process in a few sentences, and any delay.")),
    )
    chair = s(_("Chair and author"))
    for label, member in (
        (_("Independent chair"), facts.chair),
        (_("Report author"), facts.author),
    ):
        if member is not None:
            chair.add(
                Text(
                    _("%(label)s: %(name)s, %(title)s")
                    % {"label": label, "name": member.name, "title": or_dash(member.job_title)}
                )
            )
    if facts.chair is None:
        chair.add(prompt(_("the independent chair is not yet recorded in Lantern.")))
    chair.add(prompt(_("summarise the statement of independence.")))
    doc.sections = [
        process,
        s(_("Contributors")).add(contributors_table(facts)),
        s(_("Panel")).add(panel_table(facts)),
        chair,
        s(_("Terms of reference")).add(*terms_blocks(facts)),
        s(_("Summary chronology")).add(
            *chronology_summary(facts),
            prompt(_("summarise the key events.")),
        ),
        s(_("Key issues")).add(
            themes_table(facts),
            prompt(_("set out the key issues the review found.")),
        ),
        s(_("Conclusions")).add(prompt(_("summarise the panel's conclusions."))),
        s(_("Lessons")).add(prompt(_("summarise the lessons to be learnt."))),
        s(_("Recommendations")).add(*recommendation_blocks(facts, with_single_agency=False)),
    ]
    return doc.number_sections()
