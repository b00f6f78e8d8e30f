"""Every claim the five compacts make about their texts is traced to the text's words.

A claim is a dispute procedure, each of its stages, moves and conditions, each notice rule,
and each rule's severity. It either quotes the words that state it (``states``), found
verbatim in the seed text, or is marked a reading with its reason (``reading``); a reading
that quotes words quotes them verbatim too. Nothing is unsourced.

Also here: the periodic duties of each text, found by grepping the seed for the periodic
words, are each a rule or are listed below as not a rule, with why.
"""

from __future__ import annotations

import re

import pytest

from compact_tui.content.model import SEVERITY_QUALIFIERS, Standing

from .seeds import read_seed

FIVE = ("southend", "essex", "southampton", "havering", "high_peak")


def normalise(text: str) -> str:
    """The seed's words with its extraction marks dropped (Markdown bold and italic, list dashes
    and dots, the running page header "The Essex Compact"), curly quotes made straight, and
    whitespace squashed: what a quote is compared against."""
    text = re.sub(r"\n[ \t]*The Essex Compact[ \t]*\n", "\n", text)
    text = text.replace("**", "").replace("*", " ").replace("·", " ").replace("’", "'")
    text = re.sub(r"(?m)^[ \t]*- ", "", text)
    return " ".join(text.split())


@pytest.fixture(scope="module")
def seeds() -> dict[str, str]:
    return {cid: normalise(read_seed(f"{cid}.txt")) for cid in FIVE}


def claims(compact) -> list[tuple[str, Standing]]:
    """Every claim of ``compact`` with where it is, e.g. ``move a -> b condition c``."""
    out = []
    for rule in compact.rules:
        out.append((f"rule {rule.id}", rule.standing))
        out.append((f"rule {rule.id} severity", rule.severity_standing))
    proc = compact.procedure
    if proc is not None:
        out.append(("procedure", proc.standing))
        out += [(f"stage {s.id}", s.standing) for s in proc.stages]
        for move in proc.moves:
            where = f"move {move.from_stage} -> {move.to_stage}"
            out.append((where, move.standing))
            out += [(f"{where} condition {c.id}", c.standing) for c in move.conditions]
    return out


@pytest.mark.parametrize("compact_id", FIVE)
def test_every_claim_is_stated_in_the_seed_or_a_reading_with_its_reason(registry, seeds, compact_id):
    compact = registry.get(compact_id)
    seed = seeds[compact_id]
    found = claims(compact)
    assert found, compact_id
    for where, standing in found:
        assert standing.label in ("stated", "reading"), f"{compact_id} {where} is unsourced"
        if standing.states:
            assert normalise(standing.states) in seed, f"{compact_id} {where}: {standing.states!r} not in the seed"
        if standing.is_reading:
            assert len(standing.reading.split()) >= 5, f"{compact_id} {where}: a reading needs its reason"


@pytest.mark.parametrize("compact_id", FIVE)
def test_a_rule_whose_words_are_qualified_is_a_warning(registry, compact_id):
    for rule in registry.get(compact_id).rules:
        words = " ".join(rule.states.lower().split())
        qualified = [q for q in SEVERITY_QUALIFIERS if q in words]
        if qualified or not rule.severity_standing.is_reading:  # a reading says why, in its own words
            assert rule.severity == ("warning" if qualified else "breach"), (compact_id, rule.id, qualified)
        if not rule.severity_standing.is_reading:
            assert normalise(rule.severity_states).lower() in normalise(rule.states).lower(), (compact_id, rule.id)


def quotes_with_refs(compact):
    """Every quote that names the clause it comes from: (where, ref, words)."""
    out = [(f"rule {r.id}", r.ref, r.states) for r in compact.rules if not r.reading]
    out += [(f"rule {r.id} severity", r.ref, r.severity_states) for r in compact.rules if r.severity_states]
    proc = compact.procedure
    if proc is not None:
        out += [(f"stage {s.id}", s.ref, s.states) for s in proc.stages if s.ref and s.states]
        out += [(f"condition {c.id}", c.ref, c.states) for m in proc.moves for c in m.conditions
                if c.ref and c.states]
    return out


@pytest.mark.parametrize("compact_id", FIVE)
def test_every_quote_is_in_the_clause_it_names(registry, compact_id):
    """A quote carries its own clause's reference, not a neighbour's: its words are in that clause
    (or, for a clause with lettered parts, in the clause and its parts)."""
    compact = registry.get(compact_id)
    for where, ref, words in quotes_with_refs(compact):
        parts = [c for c in compact.clauses if c.ref == ref or c.ref.startswith(ref + "(")]
        assert parts, (compact_id, where, ref)
        assert bare(words) in bare(" ".join(c.text for c in parts)), (compact_id, where, ref, words)


def bare(text: str) -> str:
    """Words to compare, without the list letters a quote may run through: "a) ", "(b) "."""
    return re.sub(r"(?:^|(?<=\s))\(?[a-h]\)\s*", "", normalise(text).lower())


def test_the_parent_links_say_which_text_and_clause_they_quote(registry):
    southend = registry.get("southend").info.parent
    # Southend's own text never names the Essex Compact: the words are Essex's, 2.p5, and name no borough
    assert (southend.area, southend.quoted_from, southend.ref) == ("Essex", "Essex", "2.p5")
    assert southend.standing.label == "reading"
    assert southend.states == ("provide a countywide framework which will complement the existing District and "
                               "Borough wide Compacts")
    essex = registry.get("essex").info.parent
    assert (essex.area, essex.quoted_from, essex.ref) == ("England", "", "2.p7")
    assert essex.standing.label == "stated"
    assert essex.states == ("We recommend that district compacts refer to the Essex Compact just as this compact "
                            "refers to the national one")


def test_the_readings_the_audit_named_are_shown_as_readings(registry):
    """The places the source is ambiguous: each is a reading, with the source's words beside it."""
    essex = registry.get("essex").procedure
    restart = next(m for m in essex.moves if (m.from_stage, m.to_stage) == ("steering-group-compliance",
                                                                          "chair-assesses"))
    assert restart.standing.label == "reading" and restart.states == "If necessary it may recommence the process at stage 2."
    team = next(m for m in essex.moves if (m.from_stage, m.to_stage) == ("single-mediator", "team-of-three"))
    assert team.standing.label == "reading" and "resolved formally at this level" in team.states
    assert "informally" in team.reading

    southampton = registry.get("southampton").procedure
    skip = next(m for m in southampton.moves if (m.from_stage, m.to_stage) == ("negotiation", "referred-mechanism"))
    assert skip.standing.label == "reading" and "may be able to help" in skip.reading

    southend = registry.get("southend").procedure
    stuck = next(m for m in southend.moves if (m.from_stage, m.to_stage) == ("between-parties", "no-agreement"))
    assert stuck.standing.label == "reading" and "cannot agree a mediator" in stuck.reading

    southampton_24 = next(r for r in registry.get("southampton").rules if r.ref == "2.4")
    assert southampton_24.severity == "warning"


def test_procedures_report_what_the_texts_give(registry):
    assert registry.get("havering").procedure.elsewhere  # "outlined separately"
    assert registry.get("high_peak").procedure.pending  # "Information pending"
    for cid in ("southend", "essex", "southampton"):
        assert registry.get(cid).procedure.walkable, cid


# --- periodic duties -------------------------------------------------------------------------

#: The words that make a duty periodic.
PERIODIC = re.compile(r"\b(annual|annually|yearly|quarterly|monthly|weekly|regular|regularly|"
                      r"every (?:twelve|12|six|three) months|each year|every year|twice a year|once a year)\b",
                      re.IGNORECASE)


def not_a_rule(why: str) -> str:
    return "NOT A RULE: " + why


#: Per compact: every passage of the seed with a periodic word, by a phrase of it, and the rule
#: that carries it, or why there is none. Written by hand from the seeds.
DUTIES = {
    "southend": {
        "To review the operation of the Compact annually in conjunction with the sector.": "annual-review",
        "To review the operation of the Compact annually in conjunction with the statutory agencies.":
            "annual-review",
        "monitored for consideration at the annual review meeting": "annual-review",
        "there will be an annual meeting between the statutory agencies": "annual-review",
    },
    "essex": {
        "undertake regular mapping exercises with the VCS":
            not_a_rule("'regular' with no period: there is nothing to measure a gap against"),
        "the operation and implementation of the Essex Compact annually and publish a report": "annual-review",
        "this position shall be elected annually": "panel-chair-elected-annually",
        "The Chair of the Mediation Panel shall report regularly to the Steering Group":
            not_a_rule("'regularly' with no period: there is nothing to measure a gap against"),
        "will report at least annually to the Essex Compact Forum": "mediation-report-to-forum",
    },
    "southampton": {},
    "havering": {
        "To attend or be represented at quarterly meetings of the Compact steering group.": "champions-quarterly",
        "will organise an annual conference every twelve months": "annual-conference",
        "annual monitoring report on the implementation of the Compact": "annual-review",
    },
    "high_peak": {
        "An Annual Report has been produced and an Annual Review taken place": "annual-review",
        "Jointly co-ordinate an annual review of the Compact process": "annual-review",
        "Monitor and evaluate progress on a yearly basis": "annual-review",
        "an annual report with recommendations, and": "annual-review",
        "an annual meeting to discuss progress and the next year's actions": "annual-review",
        "Produce an annual report, with recommendations": "annual-review",
        "Hold an annual meeting to discuss the report and related issues": "annual-review",
        "contributes over £3.6 million annually to the economy":
            not_a_rule("a figure about the sector's contribution, not a duty"),
    },
}


def periodic_passages(raw: str) -> list[str]:
    """Each line of the seed with a periodic word, normalised."""
    return [normalise(line) for line in raw.splitlines() if PERIODIC.search(line)]


@pytest.mark.parametrize("compact_id", FIVE)
def test_every_periodic_duty_in_the_text_is_a_rule_or_said_not_to_be(registry, compact_id):
    compact = registry.get(compact_id)
    passages = periodic_passages(read_seed(f"{compact_id}.txt"))
    duties = DUTIES[compact_id]
    # every passage the grep finds is listed ...
    for passage in passages:
        assert any(normalise(phrase) in passage for phrase in duties), f"{compact_id}: not listed: {passage!r}"
    # ... and every listed phrase is in a passage the grep found
    for phrase in duties:
        assert any(normalise(phrase) in p for p in passages), f"{compact_id}: {phrase!r} is not a periodic passage"
    rules = {r.id: r for r in compact.rules}
    carried = set()
    for phrase, answer in duties.items():
        if answer.startswith("NOT A RULE: "):
            assert len(answer.split()) > 6, phrase  # says why
            continue
        assert answer in rules, f"{compact_id}: {phrase!r} should be carried by rule {answer}"
        rule = rules[answer]
        assert rule.type == "recurring" and rule.period is not None
        # the rule's own words, or its note, name the passage (the note quotes what it folds in)
        words = normalise(rule.states + " " + rule.note).replace("’", "'")
        assert normalise(phrase) in words, (compact_id, phrase, answer)
        carried.add(answer)
    # and the rules that recur are exactly the ones the periodic words carry
    assert carried == {r.id for r in compact.rules if r.type == "recurring"}, compact_id


def shown_quotes(compact):
    """Every quote the app and ``show`` print for a compact: (where, words, the clause named)."""
    from compact_tui.content.quotes import quote_source

    out = [(f"rule {r.id}", r.states, quote_source(compact, r.states, r.ref)) for r in compact.rules if r.states]
    proc = compact.procedure
    if proc is not None and not proc.pending:  # a pending one is shown as the text's 'information pending'
        out.append(("procedure", proc.states, quote_source(compact, proc.states, proc.ref)))
        out += [(f"stage {s.id}", s.states, quote_source(compact, s.states, s.ref)) for s in proc.stages]
        out += [(f"move {m.from_stage} -> {m.to_stage}", m.states, quote_source(compact, m.states))
                for m in proc.moves]
        out += [(f"condition {c.id}", c.states, quote_source(compact, c.states, c.ref))
                for m in proc.moves for c in m.conditions]
    return [(where, words, source) for where, words, source in out if words]


@pytest.mark.parametrize("compact_id", FIVE)
def test_every_quote_shown_names_the_clause_its_words_are_in(registry, compact_id):
    """A quote always shows which clause it comes from: the clause a claim names, or, for a move
    (which names none), the clause of the compact's own text that holds its words; a procedure
    running through a whole section names the section. The words are in what is named."""
    compact = registry.get(compact_id)
    for where, words, source in shown_quotes(compact):
        assert source, (compact_id, where)
        if source.startswith("section "):
            held = " ".join(c.text for c in compact.in_section(source.removeprefix("section ")))
        else:
            held = " ".join(c.text for c in compact.clauses if c.ref == source or c.ref.startswith(source + "("))
        assert bare(words) in bare(held), (compact_id, where, source, words)


def test_the_clauses_named_for_quotes_that_name_none_are_those_of_the_text(registry):
    """Written out by hand from the seeds: Southampton 6 ('The national organisation, Compact Voice,
    may be able to help ...' is its second sentence, 6.s2); Essex MS.chair.2 (b) and (c); the
    procedures that run through a whole section (Southampton 6, Southend 9); Havering's one
    sentence on disputes, the third of its section 6."""
    by_where = {(cid, where): source for cid in FIVE for where, _, source in shown_quotes(registry.get(cid))}
    assert by_where[("southampton", "move negotiation -> compact-voice")] == "6.s2"
    assert by_where[("southampton", "move compact-voice -> referred-ombudsman")] == "6.s3"
    assert by_where[("essex", "move chair-assesses -> referred-other-compact")] == "MS.chair.2(b)"
    assert by_where[("essex", "move chair-assesses -> not-compact-matter")] == "MS.chair.2(c)"
    assert by_where[("southampton", "procedure")] == "section 6"
    assert by_where[("southend", "procedure")] == "section 9"
    assert by_where[("havering", "procedure")] == "6.s3"


# -- summaries and names claim no more than the texts (issue 19: readings marked wherever shown) --

#: Each compact's summary, written out by hand from its seed: the text's own words in quotes,
#: with the clause or part they come from; the rest says only what the text's headings and
#: clauses say. Southampton's no longer speaks of 'themes' (its text numbers five headings and
#: never calls them that) nor says who its 'Southampton Connect partners' are; Southend's no
#: longer calls it the 'Southend-on-Sea Local Compact', a name its text never uses; High Peak's
#: names its three headings instead of calling them themes.
SUMMARIES = {
    "southampton": "A Compact Code of Good Practice that 'aims to build on existing good practice in Southampton and "
                   "continue to improve relationships between Statutory, Community and Voluntary organisations' (its "
                   "introduction): undertakings for Public Bodies and Agencies and for the VCS under five numbered "
                   "headings (1 to 5), and a short paragraph on Dispute Resolution (6).",
    "southend": "A Compact for Southend-on-Sea, 'a framework for partnership working between statutory organisations "
                "and the voluntary and community sector' (1.p1): key and shared principles, undertakings by each side, "
                "resolution of disagreements between the parties and then through a mutually agreed mediator, and an "
                "annual review meeting.",
    "havering": "A draft (December 2009) compact between Havering's local public bodies and its Voluntary and "
                "Community Sector, put out for consultation ('All responses must be received by Sunday 7th March "
                "2010'): shared principles, commitments by all partners and by each side, Codes of Good Practice, "
                "Compact Champions who attend or are represented at quarterly meetings of the Compact steering group, "
                "and an annual conference every twelve months. For disputes it recommends 'a three-step process' (1) "
                "and points to 'the dispute resolution process outlined separately' (6); neither is set out in this "
                "text, and it does not say the two are the same.",
}


def quoted_phrases(text: str) -> list[str]:
    """The phrases a summary quotes: between a ' after a space or '(' and a ' before punctuation,
    a space or the end (an apostrophe inside a word, as in Havering's, is not a quote mark)."""
    return re.findall(r"(?:(?<=\s)|(?<=\())'(.+?)'(?=[\s,.:;)]|$)", text)


def test_the_summaries_say_only_what_the_texts_say(registry):
    for compact_id, expected in SUMMARIES.items():
        assert registry.get(compact_id).info.summary == expected, compact_id
    assert "themes" not in registry.get("high_peak").info.summary
    assert ("under three headings ('Funding and Capacity Building', 'Communication and Consultation', "
            "'Supporting Volunteering')") in registry.get("high_peak").info.summary


@pytest.mark.parametrize("compact_id", FIVE)
def test_every_phrase_a_summary_quotes_is_in_its_text(registry, compact_id):
    summary = registry.get(compact_id).info.summary
    seed = normalise(read_seed(f"{compact_id}.txt")).lower()
    for phrase in quoted_phrases(summary):
        assert normalise(phrase).lower() in seed, (compact_id, phrase)


def test_the_names_are_the_texts_own(registry):
    """Each name is the one its text gives itself (its first words), never one it does not use:
    not 'High Peak Local Compact', not 'The Southend-on-Sea Local Compact'; the National Compact
    is named as Essex's text names it, without '(England)'."""
    firsts = {cid: normalise(read_seed(f"{cid}.txt"))[:200] for cid in FIVE}
    names = {cid: registry.get(cid).info.name for cid in FIVE}
    assert names == {"southend": "A Compact for Southend-on-Sea", "essex": "Essex Compact",
                     "southampton": "Southampton Compact", "havering": "Compact for Havering",
                     "high_peak": "High Peak Compact"}
    for cid, name in names.items():
        assert name.lower() in firsts[cid].lower() or name in normalise(read_seed(f"{cid}.txt")), cid
    assert registry.get("essex").info.parent.name == "the National Compact"
    assert "the National Compact" in normalise(read_seed("essex.txt"))
