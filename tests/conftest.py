"""Shared fixtures: the seed build is made once per test session."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "data" / "seeds-gold.json"


# Fixtures that load the statistical model: a test that uses one is marked ``model`` automatically,
# so ``pytest -m "not model"`` never loads it.
MODEL_FIXTURES = {"seed_build", "pipeline"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if MODEL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.model)


def pytest_configure(config: pytest.Config) -> None:
    """With KG_FORBID_MODEL=1, loading a statistical model fails the test (checks the 'model' marks)."""
    import os

    if os.environ.get("KG_FORBID_MODEL") == "1":
        import spacy

        real = spacy.load

        def forbidden(name, *args, **kwargs):
            if name:
                raise RuntimeError(f"test loaded the model {name} but is not marked 'model'")
            return real(name, *args, **kwargs)

        spacy.load = forbidden


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build of the five seed articles with the default model (integration tests)."""
    from kg.build import build

    out = tmp_path_factory.mktemp("seed-build")
    build([SEEDS], out)
    return out


@pytest.fixture(scope="session")
def blank_nlp():
    """The project's pipeline on a blank English model (no statistical model)."""
    from kg import nlp

    return nlp.create(model="")


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture):
    """Run ``kg ARGS`` in-process; returns (exit code, stdout, stderr)."""
    from kg.cli import main

    def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["kg", *map(str, args)])
        if stdin is not None:
            import io
            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        with pytest.raises(SystemExit) as exc:
            main()
        out, err = capsys.readouterr()
        return int(exc.value.code or 0), out, err

    return run
