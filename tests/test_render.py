"""graph.html and timeline.html: structure, cap, focus, escaping (no browser; see test_browser.py)."""
from __future__ import annotations

import io
import random
import re
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph, Literal, URIRef

from kg import errors
from kg.formats.network import details, safe_url, to_networkx
from kg.views.render import DEFAULT_MAX_NODES, _asset, find_node, render_html, select
from kg.views.timeline import UNGROUPED, groups, items, render_timeline
from kg.domain.vocab import ID, KG, ORG, RDF, RDFS, SDO, SKOS, XSD

PAYLOADS = ["<script>window.__xss=1</script>", "<img src=x onerror=\"window.__xss=2\">",
            "<svg onload=\"window.__xss=3\">", "</script><script>window.__xss=4</script>",
            "\"><b onmouseover=window.__xss=5>x</b>"]
KINDS = [("person", KG.Person), ("org", KG.Organisation), ("place", KG.Place)]


def synthetic_graph(n_entities: int = 60, n_articles: int = 20, seed: int = 1, facts: bool = True) -> Graph:
    """A graph shaped like a build's (entities, articles, mentions with sentences, facts), no NLP.

    Entity ``i`` is mentioned by a number of articles that falls with ``i``, so the
    most-mentioned entities are the first ones; ``kg:mentionCount`` is set accordingly.
    """
    rnd = random.Random(seed)
    g = Graph()
    ents = []
    for i in range(n_entities):
        prefix, cls = KINDS[i % 3]
        node = ID[f"{prefix}/e{i:05d}"]
        ents.append(node)
        g.add((node, RDF.type, cls))
        g.add((node, RDFS.label, Literal(f"{prefix.title()} {i:05d}")))
        if cls == KG.Organisation:
            g.add((node, RDF.type, KG.Regulator if i % 2 else KG.LocalAuthority))
            g.add((node, SKOS.altLabel, Literal(f"ORG{i}")))
    arts = []
    for a in range(n_articles):
        art = ID[f"article/a{a:05d}"]
        arts.append(art)
        g.add((art, RDF.type, KG.Article))
        g.add((art, SDO.identifier, Literal(f"a{a:05d}")))
        g.add((art, SDO.headline, Literal(f"Headline of article {a}")))
        g.add((art, RDFS.label, Literal(f"Headline of article {a}")))
    mentioned: dict[URIRef, set[URIRef]] = {e: set() for e in ents}
    for i, ent in enumerate(ents):
        k = max(1, min(n_articles, round(n_articles * 0.5 / (1 + i / 10))))
        for art in rnd.sample(arts, k):
            mentioned[ent].add(art)
    for ent, in_arts in mentioned.items():
        g.add((ent, KG.mentionCount, Literal(len(in_arts))))
        for art in sorted(in_arts):
            g.add((art, SDO.mentions, ent))
            m = ID[f"mention/{local(art)}/{local(ent)}"]
            g.add((m, RDF.type, KG.Mention))
            g.add((m, KG.refersTo, ent))
            g.add((m, KG.article, art))
            g.add((m, KG.sentence, Literal(f"{g.value(ent, RDFS.label)} was in the news again.")))
    if facts:
        add_facts(g, ents, arts)
    return g


def local(node: URIRef) -> str:
    return str(node).rsplit("/", 1)[-1]


def _evidence(g: Graph, fact: URIRef, art: URIRef, sentence: str) -> None:
    ev = URIRef(str(fact) + "/ev")
    g.add((fact, KG.evidence, ev))
    g.add((ev, RDF.type, KG.Evidence))
    g.add((ev, KG.article, art))
    g.add((ev, KG.sentence, Literal(sentence)))


def add_facts(g: Graph, ents: list[URIRef], arts: list[URIRef]) -> None:
    """A post, an inspection, a rating, a quote and a succession among the first entities."""
    person, org, person2, org2 = ents[0], ents[1], ents[3], ents[4]
    post, role = ID["post/p1"], ID["role/chief-executive"]
    g.add((post, RDF.type, KG.Post))
    g.add((post, ORG.member, person))
    g.add((post, ORG.organization, org))
    g.add((post, ORG.role, role))
    g.add((role, RDFS.label, Literal("chief executive")))
    _evidence(g, post, arts[0], "Person 00000 is chief executive of Org 00001.")
    ev = ID["event/inspection1"]
    g.add((ev, RDF.type, KG.Inspection))
    g.add((ev, KG.agent, org2))
    g.add((ev, KG.affected, org))
    g.add((ev, KG.date, Literal("2019-07", datatype=XSD.gYearMonth)))
    _evidence(g, ev, arts[1], "Org 00004 inspected Org 00001 in July 2019.")
    ev2 = ID["event/appointment1"]
    g.add((ev2, RDF.type, KG.Appointment))
    g.add((ev2, KG.appointee, person2))
    g.add((ev2, KG.date, Literal("2018", datatype=XSD.gYear)))
    _evidence(g, ev2, arts[2], "Person 00003 was appointed in 2018.")
    r = ID["rating/r1"]
    g.add((r, RDF.type, KG.Rating))
    g.add((r, KG.subject, org))
    g.add((r, KG.inspector, org2))
    g.add((r, KG.level, KG.Inadequate))
    g.add((KG.Inadequate, RDFS.label, Literal("inadequate")))
    g.add((r, KG.date, Literal("2019-07", datatype=XSD.gYearMonth)))
    _evidence(g, r, arts[1], "Org 00001 was rated inadequate in July 2019.")
    q = ID["quote/q1"]
    g.add((q, RDF.type, KG.Quote))
    g.add((q, KG.speaker, person))
    g.add((q, KG.quoteText, Literal("We are improving.")))
    _evidence(g, q, arts[0], "\"We are improving,\" said Person 00000.")
    s = ID["succession/s1"]
    g.add((s, RDF.type, KG.Succession))
    g.add((s, KG.successor, person2))
    g.add((s, KG.predecessor, person))
    _evidence(g, s, arts[2], "Person 00003 replaced Person 00000.")


def hostile_graph() -> Graph:
    """A small graph whose every article-derived string is an HTML/JS payload."""
    g = synthetic_graph(12, 4, facts=True)
    for i, node in enumerate(sorted(set(g.subjects(RDF.type, KG.Person)))[:2]
                             + sorted(set(g.subjects(RDF.type, KG.Organisation)))[:2]):
        bad = PAYLOADS[i % len(PAYLOADS)]
        g.set((node, RDFS.label, Literal(f"Evil {i} {bad}")))
        g.add((node, SKOS.altLabel, Literal(PAYLOADS[(i + 1) % len(PAYLOADS)])))
    for art in g.subjects(RDF.type, KG.Article):
        g.set((art, SDO.headline, Literal("Headline " + PAYLOADS[1])))
        g.set((art, RDFS.label, Literal("Headline " + PAYLOADS[2])))
        g.set((art, SDO.url, Literal("javascript:window.__xss=6")))
    for m in list(g.subjects(KG.sentence, None)):
        g.set((m, KG.sentence, Literal("Sentence " + " ".join(PAYLOADS))))
    for q in g.subjects(RDF.type, KG.Quote):
        g.set((q, KG.quoteText, Literal("Quote " + " ".join(PAYLOADS))))
    for ev in g.subjects(RDF.type, KG.Inspection):
        g.add((ev, RDFS.label, Literal("inspection " + PAYLOADS[0])))
    g.set((ID["role/chief-executive"], RDFS.label, Literal("role " + PAYLOADS[3])))
    return g


# ---------------------------------------------------------------- networkx view

def test_networkx_view_has_classes_labels_and_folded_facts() -> None:
    nxg = to_networkx(synthetic_graph(12, 4))
    assert nxg.nodes[str(ID["person/e00000"])]["cls"] == "Person"
    assert nxg.nodes[str(ID["org/e00001"])]["kind"] == "regulator"
    assert nxg.nodes[str(ID["event/inspection1"])] == {
        **nxg.nodes[str(ID["event/inspection1"])], "cls": "Event", "label": "inspection 2019-07"}
    rel = {(u.rsplit("/", 1)[-1], v.rsplit("/", 1)[-1]): a["relation"] for u, v, a in nxg.edges(data=True)
           if a["kind"] == "fact"}
    assert rel[("e00000", "e00001")] == "chief executive"
    assert rel[("e00004", "e00001")] == "rated inadequate 2019-07"
    assert rel[("e00003", "e00000")] == "succeeded"
    assert rel[("inspection1", "e00004")] == "agent"
    assert rel[("appointment1", "e00003")] == "appointee"


def test_networkx_view_exports_to_graphml_and_gexf() -> None:
    nxg = to_networkx(synthetic_graph(12, 4))
    for write in (nx.write_graphml, nx.write_gexf):
        buf = io.BytesIO()
        write(nxg, buf)
        assert b"Person 00000" in buf.getvalue()


def test_details_gather_posts_ratings_quotes_and_evidence_with_article_names() -> None:
    g = synthetic_graph(12, 4)
    info = details(g, [str(ID["person/e00000"]), str(ID["org/e00001"])])
    person, org = info[str(ID["person/e00000"])], info[str(ID["org/e00001"])]
    assert person.posts == ["chief executive, Org 00001"]
    assert person.quotes == [{"text": "We are improving.", "article": "Headline of article 0"}]
    assert org.ratings == ["inadequate 2019-07, by Org 00004"]
    assert org.posts == ["Person 00000, chief executive"]
    assert all(e["article"].startswith("Headline of article") for e in person.evidence)
    assert person.evidence_total == len(person.evidence) > 0


@pytest.mark.parametrize("url, ok", [("https://example.org/a", True), ("http://x.y/z?q=1", True),
                                     ("javascript:alert(1)", False), (" JaVaScRiPt:alert(1)", False),
                                     ("data:text/html,<b>", False), ("https://x.y/\"onmouseover=", False)])
def test_safe_url_only_lets_http_links_through(url: str, ok: bool) -> None:
    assert (safe_url(url) == url) is ok


# ---------------------------------------------------------------- selection

def test_cap_keeps_the_most_mentioned_entities_and_exactly_n_nodes() -> None:
    nxg = to_networkx(synthetic_graph(400, 60))
    shown = select(nxg, 100)
    assert shown.number_of_nodes() == 100
    ents = sorted((n for n, a in nxg.nodes(data=True) if a["cls"] in ("Person", "Organisation", "Place")),
                  key=lambda n: -nxg.nodes[n]["mentions"])
    assert set(ents[:50]) <= set(shown)
    assert {a["cls"] for _, a in shown.nodes(data=True)} >= {"Person", "Organisation", "Place", "Article"}
    assert select(nxg, None).number_of_nodes() == nxg.number_of_nodes()


def test_focus_draws_the_neighbourhood_within_hops() -> None:
    nxg = to_networkx(synthetic_graph(30, 10))
    root = str(ID["person/e00000"])
    one = select(nxg, None, focus="person 00000", hops=1)
    assert set(one) == {root} | set(nx.all_neighbors(nxg, root))
    two = select(nxg, None, focus="Person 00000", hops=2)
    assert set(one) < set(two)
    assert root in select(nxg, 5, focus="Person 00000", hops=2)
    assert find_node(nxg, "ORG1") == str(ID["org/e00001"])
    with pytest.raises(errors.KGError, match="no entity matches"):
        select(nxg, None, focus="Nobody At All")


# ---------------------------------------------------------------- the page

def _json_blob(html: str) -> str:
    return re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S).group(1)


def test_page_is_self_contained() -> None:
    html = render_html(synthetic_graph(20, 5))
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=", html, re.I)
    assert not re.search(r"//cdn|cdnjs|jsdelivr|unpkg", html)
    assert "bootstrap" not in html.lower() and "tom-select" not in html.lower()
    assert "var network" in html and "new vis.Network" in html
    assert "default-src 'none'" in html


def test_hostile_text_never_reaches_the_page_as_markup() -> None:
    g = hostile_graph()
    html = render_html(g)
    blob = _json_blob(html)
    for tag in ("<script>window", "<img", "<svg", "<b "):
        assert tag not in html
    assert "\\u003cscript\\u003ewindow.__xss=1" in blob  # the payload is there, as data
    ours = html.replace(str(_asset("vis-network.min.js")), "")
    assert ours.count("<script") == 3  # data blob, vis-network, our code: nothing injected
    assert "javascript:" not in ours


def test_timeline_escapes_hostile_text_and_drops_script_urls() -> None:
    page = render_timeline(hostile_graph())
    for tag in ("<script", "<img", "<svg", "<b "):
        assert tag not in page
    assert "&lt;script&gt;window.__xss=1" in page
    assert "javascript:" not in page


def test_timeline_groups_by_organisation_in_date_order_with_evidence_links() -> None:
    g = synthetic_graph(12, 4)
    its, evidence = items(g)
    grouped = {gr.name: gr for gr in groups(its)}
    assert [i.kind for i in grouped["Org 00001"].items] == ["inspection", "rating"]
    assert [i.kind for i in grouped["Org 00004"].items] == ["inspection", "rating"]
    assert [i.kind for i in grouped[UNGROUPED].items] == ["appointment"]
    assert list(grouped)[-1] == UNGROUPED
    page = render_timeline(g)
    links = set(re.findall(r'href="#(ev-\d+)"', page))
    anchors = set(re.findall(r'id="(ev-\d+)"', page))
    assert links and links == anchors == {f"ev-{e.number}" for e in evidence}
    assert "Org 00004 inspected Org 00001 in July 2019." in page
    assert not re.search(r"<(script|link|img)\b", page)


def test_default_cap_applies_to_build_output() -> None:
    nxg = to_networkx(synthetic_graph(DEFAULT_MAX_NODES + 50, 10, facts=False))
    html = render_html(synthetic_graph(DEFAULT_MAX_NODES + 50, 10, facts=False))
    assert f'"shown":{DEFAULT_MAX_NODES},"total":{nxg.number_of_nodes()}' in html


# ---------------------------------------------------------------- the commands

def test_render_and_timeline_commands_on_the_seeds(seed_build: Path, tmp_path: Path, run_cli) -> None:
    out = tmp_path / "g.html"
    code, _, err = run_cli("render", "--store", seed_build, "-o", out)
    assert code == 0 and out.is_file(), err
    blob = _json_blob(out.read_text(encoding="utf-8"))
    for name in ("Newsam", "Christie", "Foster", "Hodges", "Ofsted", "NSCB", "trust"):
        assert name in blob
    code, _, err = run_cli("render", "--store", seed_build, "-o", tmp_path / "f.html",
                           "--focus", "Newsam", "--hops", "1")
    assert code == 0, err
    focused = _json_blob((tmp_path / "f.html").read_text(encoding="utf-8"))
    assert '"focus":"Newsam"' in focused and "Social Work Academy" not in focused
    code, _, err = run_cli("timeline", "--store", seed_build, "-o", tmp_path / "t.html")
    assert code == 0 and (tmp_path / "t.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_commands_report_user_mistakes_in_one_line(seed_build: Path, tmp_path: Path, run_cli) -> None:
    code, _, err = run_cli("render", "--store", seed_build, "-o", tmp_path / "x.html", "--focus", "Nobody Here")
    assert code == 1 and err.strip().startswith("Error: [E025] no entity matches") and "Traceback" not in err
    code, _, err = run_cli("render", "--store", tmp_path / "missing", "-o", tmp_path / "x.html")
    assert code == 1 and err.startswith("Error:")
    code, _, err = run_cli("timeline", "--store", seed_build, "-o", tmp_path / "no" / "dir" / "t.html")
    assert code == 1 and err.startswith("Error:")


@pytest.mark.parametrize("command", ["render", "timeline"])
def test_help_has_an_example(command: str, run_cli) -> None:
    code, out, _ = run_cli(command, "--help")
    assert code == 0 and f"Example: kg {command}" in out


def test_canvas_label_adds_an_organisations_acronym() -> None:
    from kg.views.render import display_label

    org = {"label": "Northamptonshire Safeguarding Children Board", "cls": "Organisation",
           "aliases": "NSCB; Northamptonshire Children Safeguarding Board"}
    assert display_label(org) == "Northamptonshire Safeguarding Children Board (NSCB)"
    assert display_label({**org, "cls": "Person"}) == org["label"]
    assert display_label({**org, "aliases": "the board"}) == org["label"]
