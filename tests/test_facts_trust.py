"""The error classes of issue 12, each on short sentences: what must be read, and what must yield nothing.

Names are invented. Pure-text gates run without a model; the rest go through the real pipeline
(marked ``model``).
"""
from __future__ import annotations

from dataclasses import replace

import pytest

from kg import ingest
from kg.extract.ratings import licensed, level_pattern


# --- ratings gates: pure text, no model --------------------------------------------------------

def _gate(sentence: str) -> list[bool]:
    return [licensed(sentence, m.start(), m.end(), 0) for m in level_pattern().finditer(sentence)]


@pytest.mark.parametrize("sentence", [
    "Inspectors have removed the council's 'inadequate' rating.",
    "The chief executive said the service was still not good enough.",
    "33 per cent of services were rated good.",
    "A third of wards were rated good.",
    "The rest were rated requires improvement.",
    "Two of the trust's five homes were rated inadequate.",
    "The school is aiming for outstanding next time.",
    "Leaders hope to be rated good within two years.",
    "Maternity care is no longer inadequate.",
    "The council moved out of inadequate last year.",
    "Ofsted judges services on a four-point scale: outstanding, good, requires improvement and inadequate.",
])
def test_levels_that_are_not_judgements_given(sentence: str) -> None:
    assert not any(_gate(sentence)), sentence


@pytest.mark.parametrize("sentence", [
    "Ofsted rated the council inadequate in July 2019.",
    "The trust remains requires improvement overall.",
    "Inspectors judged the home good.",
])
def test_levels_that_are_judgements(sentence: str) -> None:
    assert all(_gate(sentence)), sentence


def test_good_or_outstanding_after_a_quantity_is_neither() -> None:
    assert not any(_gate("Just four of the trust's 21 schools are rated good or outstanding."))


# --- page furniture and article dates: ingest, no model ------------------------------------------

@pytest.mark.parametrize("line, date", [
    ("By Newsdesk | Friday 21 December 2018", "2018-12-21"),
    ("PUBLISHED: 08:58 24 October 2018", "2018-10-24"),
    ("Posted on 23 November 2022 in Probation, Inspections", "2022-11-23"),
    ("Date: 13 December 2018", "2018-12-13"),
    ("date 2022-06-30", "2022-06-30"),
])
def test_byline_and_date_lines_give_the_article_date(line: str, date: str) -> None:
    art = ingest.from_text(f"Headline\n\n{line}\n\nThe council met on Tuesday.", "t")
    assert art.published == date
    assert line not in art.text


def test_section_label_is_furniture() -> None:
    art = ingest.from_text("Headline\n\nTelford | Health\n\nThe trust said it would improve.", "t")
    assert "Telford | Health" not in art.text


@pytest.mark.parametrize("line", [
    "By Joe Bloggs, local democracy reporter",
    "Image copyright PA",
    "image copyrightPA",
    "Image source, Getty Images",
    "Support our journalism: donate today",
    "Become a supporter and help fund local news",
    "Thank you for reading",
    "Photo: submitted",
])
def test_page_furniture_is_dropped(line: str) -> None:
    art = ingest.from_text(f"Headline\n\n{line}\n\nThe trust said it would improve.", "t")
    assert line not in art.text and "The trust said it would improve." in art.text


def test_no_article_date_from_years_in_the_text() -> None:
    art = ingest.from_text("Headline\n\nThe school was inspected under the Education Act 2005.", "t")
    assert art.published == ""


def test_lead_in_line_is_not_joined_to_its_list() -> None:
    art = ingest.from_text("Headline\n\nThe report rated:\n- the impact of leaders: good\n- overall effectiveness: good", "t")
    assert "rated:\n\nthe impact of leaders: good" in art.text


# --- through the model ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pipeline():
    from kg import nlp

    return nlp.create()


def run(pipeline, text: str, published: str = ""):
    from kg.extract import extract

    art = ingest.from_text(text, "t")
    if published:
        art = replace(art, published=published)
    return extract(pipeline(art.text), art)


def orgs(facts) -> set[str]:
    return {m.name for m in facts.mentions if m.kind == "ORG"}


@pytest.mark.model
class TestEntities:
    def test_post_title_yields_no_body(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nThe Director of Finance, Ann Blake, issued the notice. "
                          "The Director for Finance and Resources agreed.")
        assert "Finance" not in orgs(f) and not any("Director" in o for o in orgs(f))

    def test_capitalised_common_words_are_no_bodies(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nGood. Notice was given to the Force on Monday by the PCC.")
        assert not {"Good", "Notice", "Force", "PCC"} & orgs(f)

    def test_a_name_with_and_stays_whole(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nInspectors visited Redfield and Marston Hospital NHS Trust in May.")
        assert "Redfield and Marston Hospital NHS Trust" in orgs(f)

    def test_hyphenated_place_in_a_council_name(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nStoke-on-Trent City Council was criticised by Ofsted.")
        assert "Stoke-on-Trent City Council" in orgs(f)

    def test_care_home_and_probation_unit_are_bodies_not_people(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nInspectors rated Larkfield Care Home inadequate. "
                          "Greenvale PDU was also inspected.")
        people = {m.name for m in f.mentions if m.kind == "PERSON"}
        assert not people & {"Larkfield Care Home", "Greenvale PDU"}
        assert {"Larkfield Care Home", "Greenvale PDU"} <= orgs(f)

    def test_names_after_locatives_are_places(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nGreg Rowe, the CQC's deputy director of operations in the Midlands, praised "
                          "the trust's leaders. The trust runs a centre near Milton Keynes.")
        places = {m.name for m in f.mentions if m.kind == "PLACE"}
        assert {"Midlands", "Milton Keynes"} <= places

    def test_a_lone_word_the_parser_took_for_a_person_is_a_place_where_used_as_one(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nSome patients could be sent to a Norwich hospital 40 miles away. "
                          "In Smith's view it was fine, Smith said.")
        kinds = {(m.name, m.kind) for m in f.mentions}
        assert ("Norwich", "PLACE") in kinds and ("Norwich", "PERSON") not in kinds
        assert not any(m.name == "Smith" and m.kind == "PLACE" for m in f.mentions)

    def test_a_review_panel_is_a_body_and_its_chair_holds_a_post_there(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nThe Child Safeguarding Practice Review Panel published its report. "
                          "The panel's chair, Annie Hudson, said the children had suffered.")
        assert "Child Safeguarding Practice Review Panel" in orgs(f)
        assert [(p.person, p.title, p.organisation) for p in f.posts] == [
            ("Annie Hudson", "chair", "Child Safeguarding Practice Review Panel")]

    def test_places_the_text_marks_as_places(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nOver 28 years in policing he has also served in Lancashire, on Merseyside and "
                          "with the Metropolitan Police. John Biggs, the "
                          "former executive mayor of Tower Hamlets, spoke. Inspectors visited the prison in the Winson "
                          "Green area of the city. Elizabeth Truss, the MP for South West Norfolk, said so.")
        places = {m.name for m in f.mentions if m.kind == "PLACE"}
        assert {"Merseyside", "Tower Hamlets", "Winson Green", "South West Norfolk"} <= places

    def test_a_body_after_at_with_a_describing_apposition_is_no_place(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nHe had been an improvement director at Monitor, the regulator of foundation "
                          "trusts. He was in Good spirits.")
        assert not {m.name for m in f.mentions if m.kind == "PLACE"} & {"Monitor", "Good"}

    def test_hm_inspector_of_is_a_post_and_nhs_improvement_a_body(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nZoe Smith, HM Inspector of Constabulary, said the force had failed. NHS "
                          "Improvement placed the trust in special measures.")
        assert "HM Inspector of Constabulary" not in orgs(f) and "NHS Improvement" in orgs(f)

    def test_a_body_name_with_a_possessive_inside(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nInspectors visited Westbury City Hospital and the Queen's Medical Centre (QMC). "
                          "The QMC was praised.")
        assert {"Queen's Medical Centre", "Westbury City Hospital"} <= orgs(f)
        assert all(m.name == "Queen's Medical Centre" for m in f.mentions if m.evidence.text == "QMC")

    def test_a_saints_town_and_a_forest_borough_are_places_not_people(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nTwo councils, Waltham Forest in London and St Helens in Lancashire, were "
                          "judged this week.")
        assert not [m.name for m in f.mentions if m.kind == "PERSON"]
        assert {"Waltham Forest", "St Helens"} <= {m.name for m in f.mentions if m.kind == "PLACE"}

    def test_unfamiliar_towns_in_a_list_of_places_are_places(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nThe seven councils are Birmingham; Buckinghamshire; Coventry; Knowsley; "
                          "Manchester; Rotherham and Slough.")
        assert not [m.name for m in f.mentions if m.kind == "PERSON"]

    def test_law_is_no_body(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nThe regulator used powers under the Health and Social Care Act 2008.")
        assert not any("Act" in o for o in orgs(f))

    def test_shared_surnames_resolve_to_the_one_named_last_and_by_title(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nThe finance director, Sean Hart, was suspended.\n\n"
                          "On Monday the secretary, Greg Hart, announced an intervention.\n\n"
                          "\"The position is serious,\" Mr Hart said.\n\n"
                          "Mayor Joanne Hart, who succeeded Mr Hart in May, spoke too.\n\n"
                          "\"We are ready to work with them,\" Ms Hart said.")
        assert [q.speaker for q in f.quotes] == ["Greg Hart", "Joanne Hart"]

    def test_honorific_surname_is_a_person(self, pipeline) -> None:
        f = run(pipeline, 'Headline\n\nEducation Secretary Tom Harbury acted. "We must move fast," Mr Harbury said.')
        assert [q.speaker for q in f.quotes] == ["Tom Harbury"]


@pytest.mark.model
class TestRatings:
    def test_removed_rating_is_no_rating(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nInspectors have removed Westbury Council's 'inadequate' rating.")
        assert f.ratings == []

    def test_a_name_that_modifies_a_body_is_not_the_rated_body(self, pipeline) -> None:
        f = run(pipeline, "Westbury Health rated inadequate\n\nWestbury Health NHS Trust runs two hospitals. "
                          "England's largest NHS trust has been rated inadequate by the Care Quality Commission. "
                          "Westbury Health NHS Trust named a new chief executive.", published="2015-05-22")
        assert {(r.subject, r.date) for r in f.ratings if r.date} == {("Westbury Health NHS Trust", "2015-05-22")}
        assert all(r.subject != "NHS" for r in f.ratings)

    def test_both_hospitals_are_the_two_named_before_not_their_trust(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nThe CQC inspected Westbury City Hospital and Eastleigh General Hospital, both run "
                          "by Westbury University Hospitals NHS Trust. Maternity services at both hospitals were rated "
                          "inadequate in December 2020.")
        assert {(r.subject, r.date) for r in f.ratings} == {("Westbury City Hospital", "2020-12"),
                                                             ("Eastleigh General Hospital", "2020-12")}

    def test_a_timeline_line_without_a_full_stop_is_judged_alone(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nWestbury Council was judged good.\n\nNovember 2012: Ofsted finds child protection "
                          "services inadequate across all the areas it inspects\n\nNovember 2014: services are judged to "
                          "require improvement\n\nNovember 2018: their report rates the service good", published="2019-01-07")
        assert ("inadequate", "2012-11") in {(r.level, r.date) for r in f.ratings}

    def test_a_judgement_told_after_its_report_takes_the_reports_date(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nWestbury Hospitals NHS Trust runs two hospitals. The Care Quality Commission "
                          "published its report on the trust on 13 September. It rated the trust inadequate overall and "
                          "found services had deteriorated since the previous inspection in 2015. Westbury Hospitals NHS "
                          "Trust apologised.", published="2018-12-13")
        assert [(r.level, r.date) for r in f.ratings] == [("inadequate", "2018-09-13")]

    def test_quantified_grades_are_not_the_bodys(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nAt Westbury Hospital NHS Trust, 33 per cent of services were rated good "
                          "and the rest were rated requires improvement.")
        assert f.ratings == []

    def test_the_council_the_story_opens_with_is_the_subject(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nChildren's services on the Isle of Westmoor have been rated good by Ofsted.\n\n"
                          "Since 2013 Northshire County Council has run them with Isle of Westmoor Council. Northshire "
                          "County Council's director said Northshire County Council was proud.\n\n"
                          "In 2014 the services were judged to require improvement.", published="2019-01-07")
        assert {r.subject for r in f.ratings} == {"Isle of Westmoor Council"}

    def test_rating_verb_far_from_the_level(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nReports published today rate Westbury and Marston Probation Delivery Unit "
                          "(PDU) inadequate, the lowest grade.")
        assert [(r.subject, r.level) for r in f.ratings] == [("Westbury and Marston Probation Delivery Unit", "inadequate")]

    def test_judgement_list_with_overall_and_areas(self, pipeline) -> None:
        text = ("Headline\n\nOfsted inspected Westbury Council in March 2024. The report, published on 2 May 2024, "
                "rated:\n- the impact of leaders: requires improvement to be good\n- overall effectiveness: good")
        f = run(pipeline, text)
        got = sorted((r.level, r.area, r.date, r.rule) for r in f.ratings)
        assert ("good", "", "2024-05-02", "rating.list-item") in got
        assert ("requires improvement", "impact of leaders", "2024-05-02", "rating.list-item") in got


@pytest.mark.model
class TestRatingDates:
    def test_a_judgement_after_inspections_in_two_years_is_given_each_year(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nNottingham University Hospitals NHS Trust was again rated inadequate by the CQC "
                          "for maternity care after inspections in 2021 and 2022.")
        assert sorted(r.date for r in f.ratings) == ["2021", "2022"]


class TestDates:
    def test_relative_date_without_article_date_stays_empty(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nThe Education Act 2005 applies. Jane Cole resigned last month.")
        assert [(e.type, e.date) for e in f.events if e.type == "resignation"] == [("resignation", "")]

    def test_event_date_is_the_events_own(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nAfter inspectors raised concerns in October 2024, the appointment of "
                          "Dana Hume was made in 2023.", published="2025-05-16")
        assert [(e.date, e.participants[0].name) for e in f.events if e.type == "appointment"] == [("2023", "Dana Hume")]

    def test_the_same_day_takes_the_date_before(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nThe board met on 4 March 2016. The same day, the director, Ralph Hale, stood down.")
        assert [(e.type, e.date) for e in f.events if e.type == "resignation"] == [("resignation", "2016-03-04")]

    def test_immediate_effect_is_done_not_planned(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nJo Ames is to be replaced with immediate effect by Mel Cass.", published="2020-02-03")
        assert [(e.modality, e.date) for e in f.events if e.type == "appointment"] == [("asserted", "2020-02-03")]

    def test_appointee_is_never_in_a_clause_about_someone_else(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nThe trust's chief executive, who took up the role in March after former boss "
                          "Michael Scott revealed his retirement, thanked staff.")
        assert all(p.name != "Michael Scott" for e in f.events if e.type == "appointment" for p in e.participants)

    def test_coordinated_verbs_share_the_date(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nIn May 2016 the Department for Education issued a direction to Westbury Council "
                          "and appointed Tom Hale as commissioner.")
        assert [(e.date, e.participants[0].name) for e in f.events if e.type == "appointment"] == [("2016-05", "Tom Hale")]

    @pytest.mark.parametrize("sentence,date", [
        ("Tom Hale joined the trust in 2017, taking over from Ann Bell.", "2017"),       # participle of a dated verb
        ("Tom Hale had been in post since May 2017, when he succeeded Ann Bell.", "2017-05"),  # "when" after a date
    ])
    def test_a_clause_without_a_date_takes_its_hosts(self, pipeline, sentence: str, date: str) -> None:
        f = run(pipeline, "Headline\n\n" + sentence, published="2019-02-01")
        assert [(e.date, e.participants[0].name) for e in f.events if e.type == "appointment"] == [(date, "Tom Hale")]

    def test_the_month_may_is_not_the_modal_verb(self) -> None:
        from kg.extract.dating import modality

        assert modality("In May 2016 the department issued a direction and ") == "asserted"
        assert modality("Tom Hale has led the council only since May, when he ") == "asserted"
        assert modality("The council may be ") == "proposed"

    @pytest.mark.parametrize("sentence,date", [
        ("Ann Bell will take up the post of chief executive on 14 January.", "2019-01-14"),
        ("Ann Bell will replace Tom Hale as chief executive on 1 June.", "2018-06-01"),
    ])
    def test_a_scheduled_event_is_dated_forward(self, pipeline, sentence: str, date: str) -> None:
        f = run(pipeline, "Headline\n\n" + sentence, published="2018-03-12")
        assert [(e.modality, e.date) for e in f.events if e.type == "appointment"] == [("planned", date)]

    @pytest.mark.parametrize("text,date", [
        ("Ofsted published its report on 3 March 2018. Ann Bell stepped down as chair within weeks of the report.", "2018"),
        ("The department issued a direction to Westbury Council on 2 September 2022. The council leader, Tom Hale, "
         "resigned on the day the intervention was announced.", "2022-09-02"),
        ("Ofsted inspected Westbury Council in April 2024. The director, Ann Bell, resigned while the inspection was "
         "under way.", "2024-04"),
        # a report in November: "weeks after" it may be the next January, so no date
        ("Ofsted published its report on 3 November 2018. Ann Bell stepped down as chair within weeks of the report.", ""),
    ])
    def test_an_event_told_relative_to_another_takes_its_date(self, pipeline, text: str, date: str) -> None:
        f = run(pipeline, "Headline\n\n" + text)
        assert [e.date for e in f.events if e.type == "resignation"] == [date]

    def test_a_reported_decision_is_planned_and_dated(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nThe chief executive, Peter Morris, announced earlier this year that he would step "
                          "down this summer.", published="2015-05-22")
        assert [(e.type, e.modality, e.date) for e in f.events] == [("resignation", "planned", "2015")]

    def test_a_scheduled_day_after_the_article_is_next_year_only_when_past(self) -> None:
        from kg.domain.dates import resolve

        assert resolve("14 January", "2018-12-10", past=False) == "2019-01-14"
        assert resolve("14 December", "2018-12-10", past=False) == "2018-12-14"
        assert resolve("14 January", "2018-12-10") == "2018-01-14"

    def test_a_weekday_before_a_day_is_one_date_and_a_clause_on_the_subject_is_not_the_events(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nHis predecessor, Mike Veale, who had joined from Wiltshire Police in 2018, "
                          "resigned with immediate effect on Friday 18 January after allegations.", published="2019-09-27")
        assert [e.date for e in f.events if e.type == "resignation"] == ["2019-01-18"]

    def test_a_day_and_month_that_year_takes_the_year_given_before(self) -> None:
        from kg.extract.dating import date_phrases

        text = "It was rated inadequate in December 2020, after visits on 14 and 15 October that year."
        assert [p.iso for p in date_phrases(text, 0, "2023-05-01")][:2] == ["2020-12", "2020-10-14"]

    def test_who_died_is_the_named_subject_of_died(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nThe parents, whose daughter Harriet Hawkins died in 2016, campaigned. "
                          "Tom Hale said concerns were raised before she died.")
        assert [(e.date, [p.name for p in e.participants]) for e in f.events if e.type == "death"] == [
            ("2016", ["Harriet Hawkins"])]

    @pytest.mark.parametrize("text, date", [
        ("Julian Wooster was the director. Julian Wooster stepped in on an interim basis from January to September "
         "2023, before Stuart Collins took over for just over a year.", "2023"),
        ("Jane Smith worked there in 2015, before Ann Lee took over.", ""),  # no span ended: no date
    ])
    def test_taking_over_before_a_span_ends_is_dated_by_its_end(self, pipeline, text, date) -> None:
        f = run(pipeline, "Headline\n\n" + text)
        assert [e.date for e in f.events if e.trigger == "took over"] == [date]

    def test_roughly_n_years_ago_is_no_date(self) -> None:
        from kg.extract.dating import date_phrases
        got = [(p.text, p.iso) for p in date_phrases("Just over two years ago it failed. Two years ago it was rated.", 0,
                                                     "2018-01-19")]
        assert got == [("Two years ago", "2016")]

    def test_an_undated_grade_in_a_paragraph_about_an_earlier_report_keeps_no_date(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nDoncaster Council was rated good by Ofsted today.\n\nIn a report published on "
                          "27 November 2015, Doncaster Council was judged inadequate for help and protection. Because of "
                          "that grade the service as a whole was judged inadequate.", published="2018-01-19")
        assert ("inadequate", "2018-01-19") not in {(r.level, r.date) for r in f.ratings}

    def test_a_laws_year_is_no_date(self) -> None:
        from kg.extract.dating import date_phrases

        text = "It used powers in the Criminal Justice Act 1991 in March 2018."
        assert [p.iso for p in date_phrases(text, 0, "2018-08-01")] == ["2018-03"]

    def test_the_killer_and_the_convicted_are_read_from_the_verbs(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nArthur was murdered in Solihull in June 2020 by his father's partner, Emma Tustin; "
                          "his father, Thomas Hughes, was convicted of manslaughter.")
        assert {(e.type, p.name) for e in f.events for p in e.participants} == {
            ("death", "Arthur"), ("conviction", "Thomas Hughes")}

    def test_range_start_takes_the_ranges_year(self) -> None:
        from kg.extract.dating import date_phrases

        text = "He stepped in from January to September 2023."
        assert [p.iso for p in date_phrases(text, 0, "2025-05-01")][:1] == ["2023-01"]

    def test_timeline_line_dates_its_events(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\n- 12 March 2019: Paul Ode resigns as leader")
        assert [(e.type, e.date) for e in f.events if e.type == "resignation"] == [("resignation", "2019-03-12")]


@pytest.mark.model
class TestSpeakers:
    def test_interviewer_is_not_the_speaker(self, pipeline) -> None:
        f = run(pipeline, 'Headline\n\nChief constable Mark Ridley told Radio Westshire\'s Dan Oakes about the plan. '
                          '"We will rebuild trust with the public," he said.')
        assert [q.speaker for q in f.quotes] == ["Mark Ridley"]

    def test_unnamed_speaker_is_not_the_regulator(self, pipeline) -> None:
        f = run(pipeline, 'Headline\n\nThe Care Quality Commission inspected the ward. One nurse told inspectors: '
                          '"We are exhausted and there are never enough of us."')
        assert all(q.speaker != "Care Quality Commission" for q in f.quotes)

    def test_quoted_subheading_is_not_a_quote(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nThe council spoke about its budget.\n\n\"Must be accountable\"\n\n"
                          "The leader, Rita Moss, said cuts would follow.")
        assert f.quotes == []

    def test_quote_after_a_one_sentence_introduction(self, pipeline) -> None:
        f = run(pipeline, 'Headline\n\nMayor Alan Brook welcomed the decision.\n\n'
                          '"This is the first step on a long road to recovery for our town."')
        assert [(q.speaker, q.rule) for q in f.quotes] == [("Alan Brook", "quote.after-introduction")]

    def test_quote_whose_attribution_ends_a_later_sentence(self, pipeline) -> None:
        f = run(pipeline, 'Headline\n\nEducation Secretary Tom Harbury spoke today.\n\n'
                          '"I have read the report. I have decided to act now," Tom Harbury said.')
        assert [q.speaker for q in f.quotes] == ["Tom Harbury"]


@pytest.mark.model
class TestSuccession:
    @pytest.mark.parametrize("sentence, pair", [
        ("Jo Ames retired as director of children's services in 2020 and was replaced by Mel Cass.", ("Mel Cass", "Jo Ames")),
        ("Ann Lowe, who succeeded Bob Hart as mayor in May, spoke.", ("Ann Lowe", "Bob Hart")),
        ("Lee Gray took over from Jane Smith as chief constable last year.", ("Lee Gray", "Jane Smith")),
        ("The council appointed Peter Lane as Tom Dale's permanent replacement.", ("Peter Lane", "Tom Dale")),
        ("Jane Fox was appointed interim chief executive after Tom Hill left the trust in May.", ("Jane Fox", "Tom Hill")),
        ("Lee Gray became acting chief constable following the retirement of Sara Lane.", ("Lee Gray", "Sara Lane")),
        ("Mark Dean, successor to Ruth Ames, started in June.", ("Mark Dean", "Ruth Ames")),
        ("Fiona Greenway issued a notice. Ms Greenway, the council's section 151 officer, had replaced Becky Hellard "
         "in that role.", ("Fiona Greenway", "Becky Hellard")),  # the title in apposition parsed as the subject
    ])
    def test_forms(self, pipeline, sentence: str, pair: tuple[str, str]) -> None:
        f = run(pipeline, "Headline\n\n" + sentence)
        assert [(s.successor, s.predecessor) for s in f.successions] == [pair]

    def test_acting_post_is_the_successions(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nLee Gray took over as acting head after Sara Lane's departure.")
        assert [(s.successor, s.predecessor, s.post) for s in f.successions] == [("Lee Gray", "Sara Lane", "acting head")]

    def test_successor_is_appointed(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nJo Ames retired in 2020 and was replaced by Mel Cass in January 2021.")
        assert [(e.participants[0].name, e.date) for e in f.events if e.type == "appointment"] == [("Mel Cass", "2021-01")]

    def test_a_run_of_holders_in_one_paragraph(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nJo Olsson retired as director of children's services in December 2020 and was "
                          "replaced by Melissa Caslake. Julian Wooster then stepped in on an interim basis in January 2023, "
                          "before Stuart Collins took over in October 2023.")
        pairs = [(s.successor, s.predecessor) for s in f.successions]
        assert pairs[:1] == [("Melissa Caslake", "Jo Olsson")]
        assert set(pairs) <= {("Melissa Caslake", "Jo Olsson"), ("Julian Wooster", "Melissa Caslake"),
                              ("Stuart Collins", "Julian Wooster")}

    def test_no_chain_into_another_post(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nJo Olsson retired as chief executive in 2020 and was replaced by Mel Cass. "
                          "Later, the council appointed Tom Hale as its monitoring officer.")
        assert [(s.successor, s.predecessor) for s in f.successions] == [("Mel Cass", "Jo Olsson")]

    def test_a_title_between_two_names_is_the_first_persons(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nIn December 2021, Ms Haque, then the interim director of children's services, "
                          "Helen Hirst, chief officer of Bradford District and Craven Clinical Commissioning Group, and "
                          "Chief Superintendent Sarah Jones, the District Commander of West Yorkshire Police, wrote a "
                          "letter. Marium Haque is the director.")
        got = {(p.person, p.title, p.organisation) for p in f.posts}
        assert ("Helen Hirst", "chief officer", "Bradford District and Craven Clinical Commissioning Group") in got
        assert not any(p == "Helen Hirst" and "children" in t for p, t, _ in got)
        assert not any("children's services" in t and o == "West Yorkshire Police" for _, t, o in got)

    @pytest.mark.parametrize("text, expected", [
        ("Graham Badman, who retired two weeks ago as Kent County Council's director of children's services, has been "
         "named the new chairman of Haringey's Local Safeguarding Children Board (LSCB).",
         {("Graham Badman", "director of children's services", "Kent County Council"),
          ("Graham Badman", "chairman", "Haringey's Local Safeguarding Children Board")}),
        ("The Isle of Wight Council was rated good. Hampshire County Council helped. Hampshire County Council was "
         "praised. The island council's then cabinet member for children, Cllr Richard Priest, spoke.",
         {("Richard Priest", "cabinet member for children", "Isle of Wight Council")}),
        ("Croydon Council issued a notice three weeks after Cllr Hamida Ali was elected leader of the Labour-run council.",
         {("Hamida Ali", "leader", "Croydon Council")}),
    ])
    def test_posts_from_relative_clauses_naming_verbs_and_described_bodies(self, pipeline, text, expected) -> None:
        f = run(pipeline, "Headline\n\n" + text)
        assert {(p.person, p.title, p.organisation) for p in f.posts} == expected

    def test_two_posts_at_two_bodies_in_one_apposition(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nThe team will be led by Mike Cunningham QPM, a former chief constable of "
                          "Staffordshire Police and chief executive of the College of Policing from 2018 to 2020.")
        assert {(p.title, p.organisation) for p in f.posts} == {
            ("chief constable", "Staffordshire Police"), ("chief executive", "College of Policing")}

    def test_the_predecessor_held_the_post_at_the_body_the_article_is_about(self, pipeline) -> None:
        f = run(pipeline, "Cleveland Police rated inadequate\n\nCleveland Police has been rated inadequate. "
                          "Cleveland Police must improve. Lee Freeman, chief constable of Humberside Police, then took "
                          "over from Mike Veale on an interim basis.")
        got = {(p.person, p.title, p.organisation) for p in f.posts}
        assert ("Mike Veale", "chief constable", "Cleveland Police") in got
        assert ("Lee Freeman", "chief constable", "Cleveland Police") in got
        assert ("Lee Freeman", "chief constable", "Humberside Police") in got

    def test_a_deputy_elsewhere_does_not_give_the_predecessor_a_deputy_post(self, pipeline) -> None:
        f = run(pipeline, "Hospital names chief\n\nThe Queen Elizabeth Hospital NHS Trust is in special measures. "
                          "Jane Roe, deputy chief executive of Nottingham University Hospitals NHS Trust, will replace "
                          "John Doe at the Queen Elizabeth Hospital NHS Trust.")
        assert not any(p.person == "John Doe" and "deputy" in p.title for p in f.posts)
        assert not any("deputy" in s.post for s in f.successions)

    def test_a_former_post_elsewhere_is_not_inherited(self, pipeline) -> None:
        f = run(pipeline, "Trust appoints director\n\nBradford Children's Trust was set up in 2023. Ann Bell was "
                          "replaced in 2019 by Mark Reed, who had been director of social care at Doncaster Children's "
                          "Services Trust.")
        assert not any(p.person == "Ann Bell" for p in f.posts)

    def test_coordinated_titles_share_the_body_named_after_them(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nJane Roe, currently deputy chief executive and chief operating officer at "
                          "Nottingham University Hospitals NHS Trust, will join the Queen Elizabeth Hospital NHS Trust on 14 January.")
        got = {(p.title, p.organisation) for p in f.posts if p.person == "Jane Roe"}
        assert ("deputy chief executive", "Nottingham University Hospitals NHS Trust") in got
        assert not any(o.startswith("Queen") for _, o in got)

    def test_appointed_as_someones_replacement_through_a_directed_body(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nHaringey Council sacked Sharon Shoesmith. The minister said he had directed the "
                          "council to appoint Peter Lewis, then director of children's services at neighbouring Enfield "
                          "Council, as Ms Shoesmith's permanent replacement.")
        got = {(s.successor, s.predecessor, s.post) for s in f.successions}
        assert ("Peter Lewis", "Sharon Shoesmith", "director of children's services") in got
        assert ("Peter Lewis", "director of children's services", "Enfield Council") in {
            (p.person, p.title, p.organisation) for p in f.posts}

    def test_returning_to_the_post_succeeds_the_holder_before(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nJo Olsson retired as director of children's services in December 2020 and was "
                          "replaced by Melissa Caslake. Julian Wooster then stepped in on an interim basis, before Stuart "
                          "Collins took over. Mr Wooster returned to the post in December last year.")
        got = {(s.successor, s.predecessor, s.post) for s in f.successions}
        assert ("Julian Wooster", "Stuart Collins", "director of children's services") in got
        assert ("Melissa Caslake", "Jo Olsson", "director of children's services") in got  # the possessive stays

    def test_she_is_the_last_subject_of_coordinated_main_clauses(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nMichael Jameson left the council after the inspection, and Gladys Rhodes White "
                          "stepped in as interim director of children's services. She was replaced in 2019 by Mark "
                          "Douglas, who had been director of social care at Doncaster Children's Services Trust.")
        got = {(s.successor, s.predecessor) for s in f.successions}
        assert ("Mark Douglas", "Gladys Rhodes White") in got and ("Mark Douglas", "Michael Jameson") not in got
        assert not any(s.post == "director of social care" for s in f.successions)  # his former post elsewhere

    def test_left_the_post_of_names_the_post_the_successor_takes(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nDevon and Cornwall Police was inspected. Shaun Sawyer left the post of chief "
                          "constable in August 2022. Will Kerr, previously deputy chief constable of Police Scotland, "
                          "took over from him.")
        assert [(s.successor, s.predecessor, s.post) for s in f.successions] == [("Will Kerr", "Shaun Sawyer", "chief constable")]
        got = {(p.person, p.title, p.organisation) for p in f.posts}
        assert {("Shaun Sawyer", "chief constable", "Devon and Cornwall Police"),
                ("Will Kerr", "deputy chief constable", "Police Scotland")} <= got

    def test_a_bare_take_over_right_after_a_departure_succeeds_the_leaver(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nWithin weeks the chairman, Edward Libbey, stepped down with immediate effect. "
                          "The vice chairman, David Thomason, took over until a permanent appointment was made.")
        assert [(s.successor, s.predecessor, s.post) for s in f.successions] == [("David Thomason", "Edward Libbey", "chairman")]

    @pytest.mark.parametrize("text", [
        "Jane Smith resigned in May.\n\nJohn Brown took over in June.",  # another paragraph
        "Jane Smith resigned in May and was replaced by Ann Lee. John Brown took over in June.",  # successor told
        "Jane Smith resigned in May. John Brown took over from Ann Lee in June.",  # the parse says from whom
    ])
    def test_no_next_sentence_succession_where_the_text_says_otherwise(self, pipeline, text) -> None:
        f = run(pipeline, "Headline\n\n" + text)
        assert ("John Brown", "Jane Smith") not in {(s.successor, s.predecessor) for s in f.successions}

    def test_holding_a_post_since_someone_left_succeeds_them(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nMark Douglas was director. Marium Haque has led the department as interim "
                          "director since Mr Douglas left.")
        assert [(s.successor, s.predecessor, s.post) for s in f.successions] == [("Marium Haque", "Mark Douglas", "interim director")]

    def test_had_himself_followed_is_a_succession_told_backwards(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nMike Veale was chief constable of Cleveland Police. Mr Veale had himself "
                          "followed Ian Spittal, who first led the force temporarily and was confirmed in the job in July 2017.")
        got = {(s.successor, s.predecessor) for s in f.successions}
        assert ("Mike Veale", "Ian Spittal") in got and ("Ian Spittal", "Mike Veale") not in got

    def test_followed_is_no_succession_between_things(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nThe inspection of Leeds City Council followed a report by Ofsted.")
        assert not f.successions

    def test_no_succession_without_both_sides(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nThe old system was replaced by a new one in 2020.")
        assert f.successions == []


@pytest.mark.model
class TestDepartures:
    @pytest.mark.parametrize("text, who", [
        ("Michael Jameson left the council shortly after the inspection.", "Michael Jameson"),
        ("Dorothy Hosein was chief executive. Karen Croker acted as chief executive between Mrs Hosein's "
         "departure at the end of March and his arrival.", "Dorothy Hosein"),
        ("The council sacked Jane Smith in May 2019.", "Jane Smith"),
    ])
    def test_who_leaves(self, pipeline, text, who) -> None:
        f = run(pipeline, "Headline\n\n" + text)
        assert [[p.name for p in e.participants] for e in f.events if e.type == "resignation"] == [[who]]

    def test_sent_in_a_commissioner_appoints_the_commissioner(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nThe Department for Education (DfE) sent in a commissioner, Eleanor Brazil.")
        assert [(e.type, [p.name for p in e.participants]) for e in f.events] == [
            ("appointment", ["Eleanor Brazil", "Department for Education"])]

    def test_announced_that_he_was_stepping_down_is_dated_by_the_announcement(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nMark Douglas was the director. Mr Douglas announced in October 2021 that he was "
                          "stepping down after two years in the job.")
        assert [(e.type, e.date, e.modality) for e in f.events] == [("resignation", "2021-10", "asserted")]

    def test_would_be_stepping_down_is_no_departure_yet(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nJane Smith said she would be stepping down next year.")
        assert all(e.modality != "asserted" for e in f.events)

    def test_who_appoints_a_body_is_not_appointed(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nThe secretary, Greg Clark, spoke. He appointed neighbouring Essex County Council "
                          "as commissioner.")
        assert not [e for e in f.events if e.type == "appointment" and any(p.name == "Greg Clark" and p.role != "agent"
                                                                             for p in e.participants)]

    def test_who_joins_a_body_is_appointed(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nCaroline Shaw, deputy chief executive of Nottingham University Hospitals NHS "
                          "Trust, will join the Queen Elizabeth Hospital King's Lynn NHS Foundation Trust on 14 January.")
        assert [[p.name for p in e.participants if p.kind == "PERSON"] for e in f.events] == [["Caroline Shaw"]]

    def test_who_launches_a_restructure_leads_it(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nThe Isle of Wight Council was rated good. John Coughlan, the director of "
                          "children's services, launched a sweeping restructure of the department.")
        ev = [e for e in f.events if e.type == "reorganisation"]
        assert ev and ("John Coughlan", "agent") in {(p.name, p.role) for p in ev[0].participants}

    def test_a_departure_needs_a_person(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nThe council left the children at risk. Flight departure times changed.")
        assert not [e for e in f.events if e.type == "resignation"]


class TestInterventions:
    def test_special_measures(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nThe Care Quality Commission placed Larkfield Care Home in special measures "
                          "in June 2023.")
        ev = [e for e in f.events if e.type == "intervention"]
        assert len(ev) == 1 and ev[0].date == "2023-06"
        roles = {(p.name, p.role) for p in ev[0].participants}
        assert ("Care Quality Commission", "agent") in roles and ("Larkfield Care Home", "affected") in roles

    @pytest.mark.parametrize("sentence,dates", [
        ("Westbury Council was already in special measures.", []),                 # a state
        ("Westbury Council, which is in special measures, named a new chief.", []),
        ("Westbury Council was placed back into special measures in June 2018.", ["2018-06"]),  # put there
        ("Westbury Council has been in special measures since June 2016.", ["2016-06"]),  # the state's start
    ])
    def test_being_in_measures_is_no_event_but_being_put_there_is(self, pipeline, sentence: str, dates) -> None:
        f = run(pipeline, "Headline\n\n" + sentence, published="2019-01-10")
        assert [e.date for e in f.events if e.type == "intervention"] == dates

    def test_months_after_dates_back_from_the_news_and_the_actor_is_the_verbs_subject(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nTom Hale has been confirmed as the next head of Westbury Police, three months "
                          "after the force was put under enhanced monitoring.", published="2021-03-26")
        ev = [e for e in f.events if e.type == "intervention"]
        assert [e.date for e in ev] == ["2020-12"]
        assert all(p.name != "Tom Hale" for e in ev for p in e.participants)

    def test_a_section_heading_names_a_topic_not_an_event(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nWestbury Council was judged inadequate.\n\nSpecial measures\n\nThe urgent "
                          "notification\n\nOfficials met on Monday.")
        assert [e for e in f.events if e.type == "intervention"] == []

    def test_leaving_measures_is_not_an_intervention(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nWestbury Council came out of special measures in 2022.")
        assert [e for e in f.events if e.type == "intervention"] == []

    def test_generic_statement_is_not_asserted(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nCouncils rated inadequate are usually placed under government intervention.")
        assert all(e.modality != "asserted" for e in f.events if e.type == "intervention")


@pytest.mark.model
@pytest.mark.parametrize("sentence", [
    "Ofsted has inspected 47 children's services under its new framework.",
    "The inspection framework was introduced in 2013.",
    "Prison inspections have become tougher.",
    # a tally or a kind stays no event even when the sentence gives a date
    "Ofsted has inspected 47 children's services under its single inspection framework since November 2013.",
    "The watchdog has completed inspections of almost a third of all local authorities since 2013.",
    "Care in more than three-quarters of local authorities inspected by Ofsted in 2014 was rated inadequate.",
    "With almost a third of authorities having undergone the tougher Ofsted inspection, the ADCS analysed results.",
    "Of the 41 councils whose judgments have been published by Ofsted since 2013, ten have been rated good.",
    "Most departments have been rated in the bottom two grades, with nearly half inspected so far seeing a fall.",
])
def test_inspections_spoken_of_in_general_are_no_events(pipeline, sentence: str) -> None:
    assert [e for e in run(pipeline, "Headline\n\n" + sentence).events if e.type in ("inspection", "report")] == []


@pytest.mark.model
def test_takeover_of_a_service_names_both_bodies(pipeline) -> None:
    f = run(pipeline, "Headline\n\nIsle of Westmoor Council's children's services were rated inadequate by Ofsted. "
                      "Isle of Westmoor Council apologised.\n\n"
                      "- June 2013: Northshire County Council takes over the running of the island's children's services")
    ev = [e for e in f.events if e.type == "takeover"]
    assert ev and ev[0].date == "2013-06"
    assert {(p.name, p.role) for p in ev[0].participants} == {("Northshire County Council", "agent"),
                                                             ("Isle of Westmoor Council", "affected")}


@pytest.mark.model
class TestRepeatedMeasures:
    def test_a_second_notice_that_was_later_lifted_was_issued(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nAn earlier improvement notice was issued to Torbay Council on 31 January 2011. "
                          "A second notice followed on 19 April 2012 and was lifted on 4 February 2014.")
        assert [(e.type, e.date) for e in f.events] == [("intervention", "2011-01-31"), ("intervention", "2012-04-19")]

    def test_the_direction_it_issued_happened_though_later_revoked(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nStoke-on-Trent City Council was rated inadequate. The DfE said the "
                          "direction it issued in 2019 was revoked on 10 February 2025.")
        assert [(e.type, e.date) for e in f.events if e.type == "intervention"] == [("intervention", "2019")]

    def test_a_second_notice_after_a_section_114_notice_is_another_spending_control(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nBirmingham City Council is in trouble. On 5 September the council's interim "
                          "director of finance, Fiona Greenway, issued a section 114 notice. A second notice followed "
                          "later in the month.")
        assert [e.type for e in f.events] == ["spending_control", "spending_control"]

    def test_stopped_spending_is_the_articles_council_spending_control(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nBirmingham City Council is in trouble. Non-essential spending had already "
                          "been stopped in July, when the leader said he would act.")
        assert [(e.type, [p.name for p in e.participants]) for e in f.events] == [
            ("spending_control", ["Birmingham City Council"])]

    def test_a_clause_on_a_plural_noun_speaks_of_a_kind(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nBirmingham City Council agreed. \"It is hard compared with other councils "
                          "where we have intervened,\" the minister said.")
        assert not f.events

    def test_a_lifted_notice_is_no_intervention(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nTorbay Council was inspected. The improvement notice was lifted in 2014.")
        assert not [e for e in f.events if e.type == "intervention"]


class TestKindNamedSubjects:
    def test_a_body_named_by_its_kind_is_the_articles_body_of_that_kind(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nHeycroft Primary School has joined an academy trust, Southend Council said. "
                          "An Eastwood primary school that was rated inadequate by Ofsted last year has become part of "
                          "an academy trust.")
        assert [(r.subject, r.level) for r in f.ratings] == [("Heycroft Primary School", "inadequate")]

    def test_published_figures_are_no_report(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nHeycroft Primary School is here. Published figures showed that in 2021-22 the "
                          "school spent £2.16m. Ofsted published its report on the school in March 2023.")
        assert [(e.type, e.date) for e in f.events] == [("report", "2023-03")]

    def test_a_relative_clause_has_its_own_modality(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nQueen Elizabeth Hospital NHS Trust chairman Edward Libbey said he was sad to be "
                          "leaving the trust, which was placed back into special measures last month.")
        assert [(e.type, e.modality) for e in f.events if e.type == "intervention"] == [("intervention", "asserted")]

    @pytest.mark.parametrize("text", [
        "Queen Elizabeth Hospital NHS Trust is set to be removed from the recovery support scheme, formerly special measures.",
        "Mr Libbey said in a statement published by the trust today that he was leaving.",
        "Alan Wood said: \"Our members value the robust and effective inspection of our services.\"",
    ])
    def test_names_statements_and_valued_practices_are_no_events(self, pipeline, text) -> None:
        f = run(pipeline, "Headline\n\n" + text)
        assert not [e for e in f.events if e.type in ("intervention", "report", "inspection")]

    def test_a_question_asserts_no_event(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nAcland Burghley School was rated good. Was the school inspected in between?")
        assert not [e for e in f.events if e.type == "inspection"]


class TestFigures:
    @pytest.mark.parametrize("text", [
        "The report was published on 06 May.",
        "The budget for 2023/24 was set.",
        "Section 114 of the act applies.",
        "He had left three years ago.",
        "BBC Radio 5 Live reported it.",
    ])
    def test_not_figures(self, pipeline, text: str) -> None:
        assert run(pipeline, "Headline\n\n" + text).figures == []

    def test_a_salary_measures_pay_not_the_year(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nShe was paid £133,000 a year.")
        assert [(x.value, x.measure) for x in f.figures] == [("£133,000", "annual pay")]

    def test_a_participle_on_the_counted_noun_belongs_to_the_measure(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nBy September, two thirds of the nine PDUs inspected since unification had been "
                          "rated inadequate. Some 96% of pregnant women seen within 15 minutes were happy. Ofsted has "
                          "been critical in the last two years.")
        got = {(x.value, x.measure) for x in f.figures}
        assert {("nine", "PDUs inspected since unification"),
                ("two thirds", "PDUs inspected since unification rated inadequate"),
                ("some 96%", "pregnant women seen within 15 minutes happy")} <= {(v.lower(), m) for v, m in got}
        assert not any(v == "two years" for v, _ in got)  # a time frame

    @pytest.mark.parametrize("text, expected", [
        ("Two of the homes are now rated inadequate.", ("Two", "homes rated inadequate")),
        ("More than two-thirds of domestic abuse cases were not being prosecuted.",
         ("more than two-thirds", "domestic abuse cases not prosecuted")),
        ("Thirty-two officers had been brought in.", ("Thirty-two", "officers brought in")),
        ("69% of prisoners surveyed said they had felt unsafe.", ("69%", "prisoners surveyed felt unsafe")),
        ("Seven residents were moved out.", ("Seven", "residents moved out")),
    ])
    def test_the_measure_says_what_the_clause_says_of_the_counted_things(self, pipeline, text, expected) -> None:
        assert expected in {(x.value, x.measure) for x in run(pipeline, "Headline\n\n" + text).figures}

    @pytest.mark.parametrize("text, value, measure", [
        ("A panel of three councillors rejects her appeal.", "three", "panel of councillors"),  # the panel rejects
        ("Two of them were burnt.", None, None),  # a pronoun counts nothing
        ("The other three are rated good.", None, None),  # refers back
        ("Two things held back improvement.", None, None),  # a vague noun stays vague with a verb
        ("Four commissioners want to improve the council.", "Four", "commissioners"),  # infinitive: not what is counted
    ])
    def test_no_predicate_where_the_counted_things_are_not_the_subject(self, pipeline, text, value, measure) -> None:
        got = {(x.value, x.measure) for x in run(pipeline, "Headline\n\n" + text).figures}
        assert got == ({(value, measure)} if value else set())

    @pytest.mark.parametrize("text, expected", [
        ("One person waited 42 minutes after calling for help.", ("42 minutes", "minutes waited after calling for help")),
        ("It was not unusual to go three weeks between baths or showers.", ("three weeks", "weeks between baths or showers")),
        ("The paper spent three years looking into the deals.", ("three years", "years spent looking into the deals")),
        ("She held the role for 18 months.", ("18 months", "months held the role")),
        ("It was the first inspection for 12 years.", ("12 years", "years")),  # on a noun: the unit alone
    ])
    def test_a_bare_duration_measures_the_time_of_its_verb(self, pipeline, text, expected) -> None:
        assert {(x.value, x.measure) for x in run(pipeline, "Headline\n\n" + text).figures} == {expected}

    def test_a_duration_before_after_is_a_date_unless_it_is_waited(self, pipeline) -> None:
        assert run(pipeline, "Headline\n\nTwo years after the inspection, it closed.").figures == []

    @pytest.mark.parametrize("text, expected", [
        ("The council put £5.5m into more than 130 new social care posts.", ("£5.5m", "money put into new social care posts")),
        ("That figure includes £36m of income due from the company.", ("£36m", "income due from the company")),
        ("An £84 million programme was agreed.", ("£84 million", "programme")),
        ("Seven children who died through abuse or neglect were named.", ("Seven", "children who died through abuse or neglect named")),
        ("There are 18 units in the capital, which between them supervise many people.", ("18", "units in the capital")),
    ])
    def test_money_objects_of_and_relative_clauses(self, pipeline, text, expected) -> None:
        assert expected in {(x.value, x.measure) for x in run(pipeline, "Headline\n\n" + text).figures}

    def test_half_a_predicate_is_left_out(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nAn £84 million programme would improve living conditions, healthcare and security.")
        assert [(x.value, x.measure) for x in f.figures] == [("£84 million", "programme")]

    @pytest.mark.parametrize("text, expected", [
        ("The commissioners will be paid £1,100 a day.", ("£1,100", "daily pay of commissioners")),
        ("The trust expects to end the year £34.2m over budget.", ("£34.2m", "amount over budget")),
        ("The home looks after children aged between eight and 13.", ("between eight and 13", "age range of children")),
        ("It has space for people aged 16 to 18.", ("16 to 18", "age range of people")),
        ("The brothers, aged 11 and 12, were held.", ("11 and 12", "ages")),
        ("The hospital is 40 miles away.", ("40 miles", "distance")),
        ("She won 59.2% of the vote against an independent candidate.", ("59.2%", "vote")),
    ])
    def test_rates_ranges_distances(self, pipeline, text, expected) -> None:
        assert {(x.value, x.measure) for x in run(pipeline, "Headline\n\n" + text).figures} == {expected}

    @pytest.mark.parametrize("text, expected", [
        ("The home provides personal care for up to 26 people.", {("up to 26", "capacity (people)")}),
        ("The prison, which can hold up to 1,450 men, was taken over.", {("up to 1,450", "capacity (men)")}),
        ("Social workers carried caseloads of more than 25 children on average.",
         {("more than 25", "caseloads of children on average")}),
        ("It had to set aside a further £130m to cover interest.", {("£130m", "money set aside to cover interest")}),
        ("Over several years Thurrock borrowed heavily, around £1bn in total.", {("around £1bn", "borrowing")}),
        ("Help for 16- and 17-year-olds was poor.", {("16- and 17-year-olds", "age")}),
        # the 15 minutes qualifies the 96%: one figure, not two
        ("Inspectors found that 96% of pregnant women were seen within 15 minutes.",
         {("96%", "pregnant women seen within 15 minutes")}),
        ("Peter Connelly died at the age of 17 months. Peter Connelly was 17 months old.", {("17 months", "age of Peter Connelly")}),
    ])
    def test_capacities_owners_purposes_and_no_repeats(self, pipeline, text, expected) -> None:
        assert {(x.value, x.measure) for x in run(pipeline, "Headline\n\n" + text).figures} == expected

    @pytest.mark.parametrize("text, expected", [
        ("The £182m turnover trust was first placed into special measures in October 2013.", ("£182m", "turnover")),
        ("The council approved a £5m budget cut.", ("£5m", "budget cut")),
    ])
    def test_a_sum_modifying_a_body_measures_the_money_noun_between(self, pipeline, text, expected) -> None:
        assert [(x.value, x.measure) for x in run(pipeline, "Headline\n\n" + text).figures] == [expected]

    @pytest.mark.parametrize("text, expected", [
        ("Ministers stepped in following the deaths of seven children from abuse or neglect.", [("seven", "deaths of children")]),
        ("The failings were repeated at the other two sites.", []),
    ])
    def test_the_noun_a_count_belongs_to_and_counts_that_refer_back(self, pipeline, text, expected) -> None:
        assert [(x.value, x.measure) for x in run(pipeline, "Headline\n\n" + text).figures] == expected

    def test_a_score_of_n_out_of_a_maximum_is_one_figure_of_the_score(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nThe report rates the home requires improvement, with a score of 46 out of 100.")
        assert [(x.value, x.measure) for x in f.figures] == [("46 out of 100", "score")]

    def test_a_score_out_of_a_maximum_is_one_figure(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nThe unit scored zero out of a possible 27 inspection points.")
        assert [(x.value, x.measure) for x in f.figures] == [("zero out of a possible 27", "inspection points")]

    def test_spelled_out_count_and_rate(self, pipeline) -> None:
        f = run(pipeline, "Headline\n\nFive more members of staff were suspended. "
                          "One in five children in care had no dentist.")
        got = {(x.value, x.measure) for x in f.figures}
        assert ("Five", "members of staff suspended") in got and ("One in five", "children in care") in got


@pytest.mark.model
def test_syndicated_quote_and_figure_are_one_node_with_two_evidence(tmp_path) -> None:
    from kg.build import build
    from kg.views.query import run as query

    text = ('Headline {n}\n\nPublished 3 March 2024\n\nChief constable Mark Ridley spoke about the force. '
            '"We will rebuild trust with the public," Mr Ridley said. More than 300 officers left last year.')
    for n in (1, 2):
        (tmp_path / f"a{n}.txt").write_text(text.format(n=n), encoding="utf-8")
    build([tmp_path / "a1.txt", tmp_path / "a2.txt"], tmp_path / "out", html=False)
    for cls in ("Quote", "Figure"):
        rows = query(tmp_path / "out", f"""PREFIX kg: <https://w3id.org/newskg/ns#>
            SELECT ?x (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?x a kg:{cls} ; kg:evidence ?e }} GROUP BY ?x""").rows
        assert [int(r[1]) for r in rows] == [2], (cls, rows)


@pytest.mark.model
def test_every_fact_names_its_rule(pipeline) -> None:
    f = run(pipeline, 'Headline\n\nChief executive Jane Doe of Westbury Council said: "We will improve." '
                      "Ofsted rated Westbury Council inadequate in July 2019. More than 35 children waited.")
    facts = f.posts + f.events + f.ratings + f.quotes + f.successions + f.figures
    assert facts and all(x.rule for x in facts)


@pytest.mark.model
def test_evaluate_by_rule_cli(run_cli, seed_build) -> None:
    code, out, _ = run_cli("evaluate", "tests/data/seeds-gold.json", "--store", seed_build, "--by-rule")
    assert code == 0 and out.splitlines()[0].split()[:3] == ["rule", "question", "answers"]
    assert "quote.reporting-verb" in out and "rating.cue" in out
    code, out, _ = run_cli("evaluate", "tests/data/seeds-gold.json", "--store", seed_build, "--by-rule", "--format", "json")
    import json
    rows = json.loads(out)
    assert rows and all({"rule", "question", "answers", "matched", "undated", "precision"} <= set(r) for r in rows)
    assert all(r["matched"] <= r["answers"] for r in rows)


@pytest.mark.model
def test_every_fact_in_the_store_names_its_rule(seed_build) -> None:
    from kg.views.query import run as query

    rows = query(seed_build, """PREFIX kg: <https://w3id.org/newskg/ns#>
        SELECT ?f WHERE { VALUES ?c { kg:Post kg:Event kg:Rating kg:Quote kg:Succession kg:Figure }
                          ?f a ?c . FILTER NOT EXISTS { ?f kg:extractionRule ?r } }""").rows
    assert rows == []
