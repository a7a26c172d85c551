"""newskg: news articles in, a provenance-tracked RDF knowledge graph out.

Library entry points (the ``kg`` CLI is a thin layer over these; importing this package
does not load spaCy):

* :func:`kg.build.build` — build a graph folder from article files.
* :func:`kg.query.run` / :func:`kg.query.named` — SPARQL over a build folder or an RDF file.
* :func:`kg.evaluate.evaluate` — score a build against gold answers.
* :func:`kg.explain.explain` — every fact about one entity, with evidence.
* :func:`kg.correct.correct` / :func:`kg.correct.undo` — users' corrections, kept in ``DIR/corrections.toml``.
"""
__version__ = "0.1.0"
