"""The domain layer: one owner for every table, checked on load; extending it needs no Python."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg import domain, errors

PACKAGED = Path(domain.__file__).parent
NEW_EVENT = {"type": "suspension", "class": "Suspension", "person_role": "affected", "primary": ["affected"],
             "triggers": ["suspended"]}
NEW_TERMS = ('\nkg:Suspension a owl:Class ; rdfs:subClassOf kg:Event ; rdfs:label "suspension"@en ;'
             ' rdfs:comment "A body or a person suspended."@en .\n'
             'kg:YouthClub a owl:Class ; rdfs:subClassOf kg:Organisation ; rdfs:label "youth club"@en ;'
             ' rdfs:comment "A youth club."@en .\n')
ARTICLE = ("Council suspends youth club\n\nPublished: 4 March 2024\n\n"
           "Brookfield Council suspended Hillside Youth Club on 3 March 2024 after complaints from parents.\n")


def copy_domain(tmp_path: Path) -> Path:
    """A full copy of the packaged domain to edit (an override folder for KG_DOMAIN_DIR)."""
    d = tmp_path / "domain"
    shutil.copytree(PACKAGED / "data", d / "data")
    shutil.copytree(PACKAGED / "ontology", d / "ontology")
    return d


def edit(path: Path, change) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


@pytest.fixture
def override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    d = copy_domain(tmp_path)
    monkeypatch.setenv(domain.OVERRIDE_ENV, str(d))
    domain.reset()
    yield d
    monkeypatch.delenv(domain.OVERRIDE_ENV)
    domain.reset()


def test_packaged_domain_is_consistent() -> None:
    domain.reset()
    domain.check()
    types = domain.event_types()
    assert {"inspection", "intervention", "spending_control", "other"} <= set(types)
    assert types["report"].primary == ("agent",) and types["appointment"].person_role == "appointee"
    assert "local_authority" in domain.subject_types() and "regulator" in domain.publisher_types()
    assert "regulator" not in domain.subject_types()


def test_every_event_and_org_class_is_declared_by_the_ontology() -> None:
    terms = domain.declared_terms()
    assert all(t.cls in terms["event"] for t in domain.event_types().values())
    assert all(t.cls in terms["organisation"] for t in domain.org_types().values())


@pytest.mark.parametrize("change,key", [
    (lambda d: d["events"][0].update({"class": "Nope"}), "events[0].class"),
    (lambda d: d["events"][0].pop("person_role"), "events[0].person_role"),
    (lambda d: d["events"][1].update({"primary": ["bystander"]}), "events[1]"),
    (lambda d: d.pop("rating_cues"), "rating_cues"),
    (lambda d: d.update({"rating_cues": "rated"}), "rating_cues"),
    (lambda d: d.update({"ratng_cues": []}), "ratng_cues"),
    (lambda d: d["event_roles"].update({"agent": "agentt"}), "event_roles.agent"),
])
def test_a_bad_facts_file_is_one_coded_line_naming_file_and_key(override: Path, change, key: str) -> None:
    edit(override / "data" / "facts.json", change)
    with pytest.raises(errors.KGError) as e:
        domain.check()
    msg = str(e.value)
    assert msg.startswith("[E030] domain data file facts.json") and f"key '{key}'" in msg and "\n" not in msg


@pytest.mark.parametrize("change,key", [
    (lambda d: d["types"]["school"].update({"class": "Schoool"}), "types.school.class"),
    (lambda d: d["types"]["school"].update({"class": "Inspection"}), "types.school.class"),  # an event class
    (lambda d: d["heads"].append(["youth club", "youth_club"]), "heads["),
    (lambda d: d["types"].update({"club": "Club"}), "types.club"),
])
def test_a_bad_bodies_file_is_one_coded_line(override: Path, change, key: str) -> None:
    edit(override / "data" / "bodies.json", change)
    with pytest.raises(errors.KGError) as e:
        domain.check()
    assert str(e.value).startswith("[E030] domain data file bodies.json") and key in str(e.value)


def test_unparsable_data_file_names_the_file(override: Path) -> None:
    (override / "data" / "people.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(errors.KGError) as e:
        domain.check()
    assert str(e.value).startswith("[E031] cannot read domain file") and "people.json" in str(e.value)


def test_bad_data_file_stops_a_build_before_any_article(override: Path, run_cli, tmp_path: Path) -> None:
    edit(override / "data" / "facts.json", lambda d: d["events"][0].update({"class": "Nope"}))
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    code, out, err = run_cli("build", src, "--out", tmp_path / "out", "--model", "")
    assert code == 1 and err.startswith("Error: [E030] domain data file facts.json: key 'events[0].class'")
    assert not (tmp_path / "out" / "graph.ttl").exists()


@pytest.mark.model
def test_new_event_type_and_org_type_need_one_data_edit_and_one_term_each(tmp_path: Path) -> None:
    """A project adds 'suspension' events and 'youth club' bodies without touching Python."""
    d = copy_domain(tmp_path)
    edit(d / "data" / "facts.json", lambda f: f["events"].append(NEW_EVENT))
    edit(d / "data" / "bodies.json", lambda b: (b["types"].update({"youth_club": {
        "class": "YouthClub", "subject": True, "publisher": False}}), b["heads"].append(["youth club", "youth_club"])))
    onto = d / "ontology" / "kg.ttl"
    onto.write_text(onto.read_text(encoding="utf-8") + NEW_TERMS, encoding="utf-8")
    src = tmp_path / "articles"
    src.mkdir()
    (src / "a1.txt").write_text(ARTICLE, encoding="utf-8")
    env = {**os.environ, domain.OVERRIDE_ENV: str(d)}
    kg = [sys.executable, "-m", "kg"]

    def run(*args: str) -> str:
        r = subprocess.run([*kg, *args], env=env, capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr
        return r.stdout

    run("build", str(src), "--out", str(tmp_path / "out"))
    events = run("query", "--named", "events", "--store", str(tmp_path / "out"), "--format", "json")
    rows = {(r["type"], r["date"], r["participant"]) for r in json.loads(events)}
    assert ("suspension", "2024-03-03", "Hillside Youth Club") in rows
    typed = run("query", "PREFIX kg: <https://w3id.org/newskg/ns#> SELECT ?l WHERE { ?o a kg:YouthClub ; "
                "<http://www.w3.org/2000/01/rdf-schema#label> ?l }", "--store", str(tmp_path / "out"), "--format", "csv")
    assert "Hillside Youth Club" in typed
    assert "Conforms" in run("validate", "--store", str(tmp_path / "out"))
