"""Cleaning: boilerplate, wraps, repeats, titles and dates (no NLP model needed)."""
from kg import ingest
from kg.domain import dates


def test_boilerplate_lines_are_dropped():
    art = ingest.clean("Title here\nHide Ad\nSign up to our daily newsletter\nBody sentence one.\n"
                       "External links:\nCopyright (c) PA Media Ltd. 2019, All Rights Reserved.", "a")
    assert "Hide Ad" not in art.text and "newsletter" not in art.text and "Copyright" not in art.text
    assert "Body sentence one." in art.text
    assert art.published == "2019" and art.title == "Title here"


def test_dateline_and_byline():
    art = ingest.clean("Head\n\nBy The Newsroom\nWednesday, 27th April 2016, 9:43 am\nText follows.", "a")
    assert art.published == "2016-04-27"
    assert "Newsroom" not in art.text and "9:43" not in art.text


def test_broken_wraps_are_joined_and_repeats_removed():
    art = ingest.clean("T\n\nInspectors found it was “much that\n\nneeds further work”.\n"
                       "Ofsted will be inspecting the county for three weeks.Ofsted will be inspecting the county for three weeks.", "a")
    assert "much that needs further work" in art.text
    assert art.text.count("Ofsted will be inspecting") == 1


def test_related_article_list_is_not_a_date():
    art = ingest.clean("T\n- Published\nBody.\n- Published9 October 2018\n- Published4 August 2018", "a")
    assert art.published == "" and "Published" not in art.text


def test_bad_files_are_skipped_with_reason(tmp_path):
    (tmp_path / "empty.txt").write_text("  \n")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "ok.txt").write_text("Title\nA sentence.")
    arts, skipped = ingest.load([tmp_path])
    assert [a.id for a in arts] == ["ok"]
    assert {p.split("/")[-1]: r for p, r in skipped} == {"bin.txt": "binary data, not text", "empty.txt": "empty file"}


def test_relative_dates_resolve_against_anchor():
    assert dates.resolve("last month", "2019-11") == "2019-10"
    assert dates.resolve("April last year", "2019-11-05") == "2018-04"
    assert dates.resolve("last October", "2019-11-05") == "2019-10"
    assert dates.resolve("20 and 22 October", "2020-11") == "2020-10-20"
    assert dates.resolve("in July 2019") == "2019-07"
    assert dates.resolve("last month", "") == ""  # unanchored: no guess


def test_a_past_day_later_in_the_anchors_month_is_last_year():
    assert dates.resolve("19 January", "2024-01-03") == "2023-01-19"  # a past event, not a fortnight ahead
    assert dates.resolve("3 January", "2024-01-03") == "2024-01-03"
    assert dates.resolve("19 January", "2024-01") == "2024-01-19"  # the anchor's day unknown: its month counts
    assert dates.resolve("12 December", "2024-01-03") == "2023-12-12"


def test_iso_dates_keep_precision_and_reject_impossible_days():
    assert dates.parse_absolute("2019-07") == "2019-07"
    assert dates.parse_absolute("2019-07-15T10:00Z") == "2019-07-15"
    assert dates.parse_absolute("2019-02-30") != "2019-02-30"
    assert not dates.parse_absolute("2019-13-45").startswith("2019-13")


def test_counted_ago_phrases_resolve_at_their_precision():
    assert dates.resolve("two weeks ago", "2008-12-03") == "2008-11"
    assert dates.resolve("ten days ago", "2008-12-03") == "2008-11-23"
    assert dates.resolve("three months ago", "2008-02-10") == "2007-11"
    assert dates.resolve("two years ago", "2008-12-03") == "2006"
    assert dates.resolve("three months ago", "2008") == ""  # no month to count back from


def test_markdown_markup_is_dropped():
    a = ingest.from_text("# Council warned\n\n- **19 January 2023** – The *council* served a notice. 5 * 3 = 15.\n", "t")
    assert a.title == "Council warned"
    assert "19 January 2023 – The council served a notice. 5 * 3 = 15." in a.text


def test_html_title_drops_section_and_site_names():
    text = ingest.html_to_text("<title>Council loses control of services | News | Local News</title><p>Body text.</p>")
    assert "Council loses control of services" in text and "Local News" not in text


def test_that_year_takes_the_year_given_before_it_in_the_paragraph():
    from kg.extract.dating import date_phrases

    t = "She left after the 2018 inspection, and he stepped in in November that year. The following year it improved."
    assert [p.iso for p in date_phrases(t, 0, "2022-01-25")] == ["2018", "2018-11", "2019"]
    assert [p.iso for p in date_phrases("It happened that year.", 0, "2022-01-25")] == []  # nothing before it
