"""The command line: the one place that turns the tool's errors into exit code 2.

Results go to stdout (or ``--output``, written only once everything succeeded); notes and
errors go to stderr. Heavy modules (pyarrow, numpy, the profiler) are imported inside the
commands that need them, so ``--help``, ``rules`` and ``explain`` start fast.
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Iterable
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from advisor import __version__
from advisor.errors import EXIT_ERROR, EXIT_FINDINGS, InputError
from advisor.frameworks import knowledge


class _Group(TyperGroup):
    """Catches :class:`InputError` from any command, and click's usage errors: one line per
    problem on stderr, exit 2 (click would print a usage block and a framed message).

    An ``OSError`` that escapes a command is the file system refusing a path the user gave (a
    name too long, a permission, a device that fails): it is reported the same way, with the
    path, since no traceback can help the user and exit 2 is what the refusal means.
    """

    def main(self, args=None, prog_name=None, complete_var=None,  # type: ignore[override]
             standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False,
                                  **extra)
        except Exception as exc:  # click's exception classes differ across typer versions
            if type(exc).__name__ == "NoArgsIsHelpError" or not hasattr(exc, "format_message"):
                if type(exc).__name__ == "Abort":
                    typer.echo("Aborted!", err=True)
                    sys.exit(1)
                if hasattr(exc, "show"):
                    exc.show()
                    sys.exit(getattr(exc, "exit_code", EXIT_ERROR))
                raise
            ctx = getattr(exc, "ctx", None)
            hint = f"; see '{ctx.command_path} --help'" if ctx is not None else ""
            message = exc.format_message().rstrip(".")
            say(f"lossadvisor: error: {message}{hint}")
            sys.exit(getattr(exc, "exit_code", EXIT_ERROR))
        sys.exit(result if isinstance(result, int) else 0)

    def invoke(self, ctx):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except InputError as exc:
            for line in exc.one_line().splitlines():
                say(f"lossadvisor: error: {line}")
            raise typer.Exit(EXIT_ERROR) from None
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename is not None else ""
            say(f"lossadvisor: error: {where}{exc.strerror or exc}; check the path")
            raise typer.Exit(EXIT_ERROR) from None


app = typer.Typer(
    cls=_Group,
    help="Recommends the losses and metrics that fit a dataset's target, with the evidence.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


FORMAT_ALIASES = {"table": "text"}
"""Old names still accepted, so CI scripts written for them keep working."""
REPORT_FORMATS = ("text", "json", "markdown", "html")
DOC_FORMATS = ("text", "json", "markdown")
LINT_FORMATS = ("text", "json", "github", "sarif", "markdown")


def _format_option(choices: tuple[str, ...], default: str | None, help_text: str) -> Any:
    """``--format``/``-f`` with one name for the human format (``text``) in every command."""

    def check(value: str | None) -> str | None:
        if value is None:
            return None
        name = FORMAT_ALIASES.get(value.lower(), value.lower())
        if name not in choices:
            raise typer.BadParameter(f"'{value}' is not one of {', '.join(choices)}")
        return name

    return typer.Option("--format", "-f", callback=check, metavar=f"[{'|'.join(choices)}]",
                        show_default=default is not None, help=help_text)


class Color(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


class Engine(str, Enum):
    local = "local"
    dask = "dask"


Framework = Enum(  # type: ignore[misc]
    "Framework", {fw: fw for fw in knowledge().ids(snippets_only=True)}, type=str)
"""``--framework`` choices: the frameworks rules/frameworks.yaml gives snippets for."""


def _version(value: bool) -> None:
    if value:
        typer.echo(f"lossadvisor {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", "-V", callback=_version, is_eager=True,
                           help="Print the version and exit.")
    ] = False,
) -> None:
    """Recommends the losses and metrics that fit a dataset's target, with the evidence."""
    _VERBOSITY["level"] = 1


# -- shared helpers ------------------------------------------------------------------------
_VERBOSITY = {"level": 1}
"""0 with --quiet (results only), 1 by default (notes), 2 with --verbose (also what was read,
which rules were loaded and how long each step took)."""


def _set_verbosity(quiet: bool, verbose: bool) -> None:
    if quiet and verbose:
        raise InputError("--quiet and --verbose contradict each other", None, "pass one")
    _VERBOSITY["level"] = 0 if quiet else 2 if verbose else 1


def say(message: str) -> None:
    """Every line lossadvisor writes to stderr: it quotes input, so control characters in it
    are made visible here, once, instead of reaching the terminal."""
    from advisor.render.visible import visible

    typer.echo(visible(message), err=True)


def note(message: str) -> None:
    """A note on stderr (the guessed target, a fallback encoding); silent with --quiet."""
    if _VERBOSITY["level"] >= 1:
        say(f"lossadvisor: {message}")


def detail(message: str) -> None:
    """What only --verbose shows."""
    if _VERBOSITY["level"] >= 2:
        say(f"lossadvisor: {message}")


def color_mode(choice: Color, to_file: bool) -> str:
    """``never``, ``always`` or ``env`` (styled, with NO_COLOR honoured), as rich decides.

    ``--color always|never`` wins over the environment; ``auto`` follows rich: NO_COLOR removes
    colour, FORCE_COLOR (non-empty) styles output that is not a terminal, and otherwise only a
    terminal gets styles. A file named with --output never gets escape codes under ``auto``.
    """
    if choice is not Color.auto:
        return choice.value
    if to_file:
        return "never"
    forced = os.environ.get("FORCE_COLOR")
    if forced is not None:
        return "env" if forced != "" else "never"
    return "env" if _is_tty(sys.stdout) else "never"


def terminal_width() -> int:
    """The real width: $COLUMNS, else the terminal's, else 100 (a pipe or a file)."""
    return max(shutil.get_terminal_size((100, 24)).columns, 40)


def _is_tty(stream: Any) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


Reads = Iterable[str | Path]
"""Every file a run reads: data, configs, the tool config, rule files. ``--output`` may be none
of them."""


def check_output(output: Path | None, reads: Reads = ()) -> None:
    """Refuse a bad ``--output``, and one that is (or links to) a file the run reads.

    Paths are compared after resolving symbolic links, and by device and inode, so a hard link
    or a ``sub/../`` spelling of an input is refused too.
    """
    if output is None:
        return
    try:
        target = output.resolve()
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL in the path
        raise InputError("cannot use this --output path", str(output)) from None
    for path in reads:
        if _same_file(Path(path), output, target):
            raise InputError(f"--output would overwrite the input {path}", str(output),
                             "lossadvisor never writes a file it reads; choose another path")
    try:
        is_dir, folder_exists = target.is_dir(), target.parent.is_dir()
    except OSError as exc:  # a name too long for the file system
        raise InputError(f"cannot use this --output path ({exc.strerror})", str(output)) from None
    if is_dir:
        raise InputError("--output is a directory", str(output), "name a file")
    if not folder_exists:
        raise InputError("the output folder does not exist", str(output))


def _same_file(path: Path, output: Path, target: Path) -> bool:
    if str(path) == "-":
        return False
    try:
        if path.resolve() == target:
            return True
        read, written = path.stat(), output.stat()
    except (OSError, RuntimeError, ValueError):
        return False
    return (read.st_dev, read.st_ino) == (written.st_dev, written.st_ino)


def rule_files(rules: list[Path] | None) -> list[Path]:
    """The files the rule loader reads: the built-in knowledge and every ``--rules`` folder."""
    from advisor.resources import builtin_rules_dir

    folders = [builtin_rules_dir(), *(rules or [])]
    return [path for folder in folders
            for path in ([folder] if folder.is_file() else
                         sorted(folder.iterdir()) if folder.is_dir() else [])
            if path.is_file()]


def emit(text: str, output: Path | None, reads: Reads = ()) -> None:
    """Write the result to stdout, or atomically to ``output`` after everything succeeded.

    The output is checked again against everything the run read (configs name their data only
    once they are read), and the file gets the permissions the umask gives a new file, or keeps
    those of the file it replaces.
    """
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    check_output(output, reads)
    target = output.resolve()
    folder = target.parent
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".lossadvisor-", suffix=".tmp")
    except OSError as exc:
        raise InputError(f"cannot write ({exc.strerror})", str(output)) from None
    try:
        os.chmod(tmp, _mode(target))
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"cannot write ({exc.strerror})", str(output)) from None


def _mode(target: Path) -> int:
    """Permissions for the output: the replaced file's, else what the umask allows."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


PROGRESS_DELAY = 1.0
"""Seconds a read must take before a progress bar appears."""


@contextmanager
def _progress_bar():
    """A progress bar on stderr for reads longer than about a second, only on a terminal.

    Yields a factory the reader calls with the opened source; rich is imported only once the
    delay has passed, so short runs and pipes pay nothing.
    """
    if not _is_tty(sys.stderr) or _VERBOSITY["level"] == 0:
        yield None
        return
    state: dict[str, Any] = {}

    def factory(source):
        total = source.total_bytes() if source is not None else None  # stdin: no total
        start = time.monotonic()

        def report(done: int) -> None:
            if "bar" not in state:
                if time.monotonic() - start < PROGRESS_DELAY:
                    return
                from rich.console import Console
                from rich.progress import (
                    BarColumn,
                    DownloadColumn,
                    Progress,
                    TextColumn,
                    TimeRemainingColumn,
                )

                bar = Progress(TextColumn("reading"), BarColumn(), DownloadColumn(),
                               TimeRemainingColumn(), console=Console(stderr=True),
                               transient=True)
                bar.start()
                state["bar"], state["task"] = bar, bar.add_task("read", total=total or None)
            state["bar"].update(state["task"], completed=done)

        return report

    try:
        yield factory
    finally:
        if "bar" in state:
            state["bar"].stop()


def _render(doc: dict[str, Any], fmt: str, color: str, show_all: bool) -> str:
    if fmt == "json":
        from advisor.render.json import render_json

        return render_json(doc)
    if fmt == "markdown":
        from advisor.render.markdown import render_markdown

        return render_markdown(doc)
    if fmt == "html":
        from advisor.render.html import render_html

        return render_html(doc)
    from advisor.render.table import render_table

    return render_table(doc, width=terminal_width(), color=color,
                        limit=None if show_all else TOP)


TOP = 5
"""Losses and metrics the terminal view shows before ``--all``."""


def _load_ruleset(rules: list[Path] | None):
    from advisor.ruleset import load_rules

    started = time.perf_counter()
    ruleset = load_rules(rules or [])
    user = sum(not r.builtin for r in ruleset.rules)
    detail(f"{len(ruleset.rules)} rules loaded ({user} from --rules) in "
           f"{time.perf_counter() - started:.2f} s")
    return ruleset


def _snippet(advice, ruleset, framework: Framework | None, facts,
             fill: str = "only data can give them: profile the data") -> dict[str, str] | None:
    if framework is None:
        return None
    from advisor.engine import snippet

    found = snippet(advice, ruleset, framework.value, facts)
    if found is None:
        note(f"no recommended loss has a {framework.value} snippet")
        return None
    loss, code, holes = found
    if advice.losses and loss != advice.losses[0].id:
        note(f"the top loss ({advice.losses[0].id}) has no {framework.value} snippet; "
             f"showing {loss}")
    from advisor.snippets import with_imports

    code = with_imports(code, knowledge().frameworks[framework.value].imports)
    out: dict[str, Any] = {"framework": framework.value, "loss": loss, "code": code}
    if holes:
        from advisor.vocabulary import STATISTICS

        out["placeholders"] = {h: STATISTICS.get(h.lower(), "") for h in holes}
        note(f"the snippet leaves {', '.join(holes)} to fill in; {fill}")
    return out


ReportFormatOption = Annotated[str, _format_option(
    REPORT_FORMATS, "text", "Output format: text for terminals, json, markdown for pull "
    "requests, html for one self-contained page.")]
DocFormatOption = Annotated[str, _format_option(DOC_FORMATS, "text", "Output format.")]
ColorOption = Annotated[
    Color, typer.Option("--color", help="Colour the text format: auto follows the terminal, "
                        "NO_COLOR and FORCE_COLOR.")
]
QuietOption = Annotated[
    bool, typer.Option("--quiet", "-q", help="Results only: no notes or progress on stderr.")
]
VerboseOption = Annotated[
    bool, typer.Option("--verbose", "-v", help="Also say what was read and loaded, and how "
                       "long it took.")
]
AllOption = Annotated[
    bool, typer.Option("--all", help="Show every ranked loss and metric, not the top "
                       f"{TOP}.")
]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write the result to this file (only after success)."),
]
RulesOption = Annotated[
    list[Path] | None,
    typer.Option("--rules", help="A rule file or a folder of them; a rule with a built-in "
                 "id replaces it. Repeatable."),
]
FrameworkOption = Annotated[
    Framework | None,
    typer.Option("--framework", help="Print a snippet for the top loss in this framework."),
]

TrialFlag = Annotated[
    bool, typer.Option("--trial", help="Also fit the top losses on this data (cross-validated) "
                       "and show the evidence beside each; see `lossadvisor trial --help`."),
]


# -- commands ------------------------------------------------------------------------------
@app.command()
def profile(
    paths: Annotated[list[str], typer.Argument(
        metavar="PATH...", help="CSV/TSV (optionally .gz/.bz2/.xz), Parquet, or - for stdin; "
        "several files, globs ('data/*.parquet'), directories and pyarrow.fs URIs (s3://, "
        "gs://) are read as one dataset.")],
    target: Annotated[
        str | None,
        typer.Option("--target", "-t", help="Target column, or several: a,b,c. Guessed when "
                     "omitted."),
    ] = None,
    task: Annotated[
        str | None,
        typer.Option("--task", help="Override the inferred task (binary, multiclass, "
                     "multilabel, regression, count); checked against the data."),
    ] = None,
    group: Annotated[
        str | None,
        typer.Option("--group", metavar="COL", help="Query/group id column: rank the target "
                     "(relevance) within groups (task ranking)."),
    ] = None,
    exposure: Annotated[
        str | None,
        typer.Option("--exposure", metavar="COL", help="Exposure column (time at risk, "
                     "policy-years): the counts are rates over it."),
    ] = None,
    censor: Annotated[
        str | None,
        typer.Option("--censor", metavar="COL", help="Event indicator (1 = event, 0 = "
                     "censored): the target is a duration (task survival)."),
    ] = None,
    fmt: ReportFormatOption = "text",
    output: OutputOption = None,
    framework: FrameworkOption = None,
    rules: RulesOption = None,
    show_all: AllOption = False,
    color: ColorOption = Color.auto,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
    no_advice: Annotated[
        bool, typer.Option("--no-advice", help="Profile only; skip the rule engine.")
    ] = False,
    stream: Annotated[
        bool | None,
        typer.Option("--stream/--no-stream", help="Read in one bounded-memory pass. Default: "
                     "only when the data would not fit comfortably in memory."),
    ] = None,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=1, help="Fold the files in this many processes "
                          "(or Dask workers of a local cluster).")
    ] = 1,
    engine: Annotated[
        Engine, typer.Option("--engine", help="local, or dask to fold the files on a Dask "
                             "cluster (pip install 'lossadvisor[dask]').")
    ] = Engine.local,
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="Dask scheduler address "
                                 "(tcp://host:8786); default: a LocalCluster on this machine.")
    ] = None,
    trial: TrialFlag = False,
) -> None:
    """Profile the target of a dataset and recommend losses and metrics, with the evidence."""
    from advisor.analyze import analyze
    from advisor.context import ContextRequest
    from advisor.report import build_report
    from advisor.thresholds import DEFAULT_THRESHOLDS
    from advisor.toolconfig import find_tool_config

    _set_verbosity(quiet, verbose)
    data: list[str] = paths
    if output is not None and "-" not in paths:
        from advisor.sources import expand

        data = expand(paths).paths  # never replace a file of the dataset
    reads: list[str | Path] = [*data, *([] if no_advice else rule_files(rules))]
    config = find_tool_config(Path.cwd(), reads)
    check_output(output, reads)
    if scheduler and engine is not Engine.dask:
        raise InputError("--scheduler needs --engine dask", scheduler)
    if trial:
        _trial_path(paths)
    thresholds = config.thresholds if config else DEFAULT_THRESHOLDS
    ruleset = None if no_advice else _load_ruleset(rules)  # bad rules fail before reading data
    started = time.perf_counter()
    with _progress_bar() as progress:
        analysis = analyze(paths, target, thresholds, task=task, stream=stream,
                           progress=progress, context=ContextRequest(group, exposure, censor),
                           notice_context=True, jobs=jobs, engine=engine.value,
                           scheduler=scheduler)
    detail(f"read and profiled {', '.join(paths)} in {time.perf_counter() - started:.2f} s")
    for message in analysis.notes + analysis.hint_notes:
        note(message)
    facts = analysis.profile.facts()
    advice = None
    snippet = None
    columns = [(single, None, None) for single in analysis.columns]
    if ruleset is not None:
        from advisor.engine import advise

        if analysis.columns:
            columns = []
            for single in analysis.columns:
                single_facts = single.facts()
                found = advise(single_facts, ruleset, thresholds)
                columns.append((single, found,
                                _snippet(found, ruleset, framework, single_facts)))
        else:
            advice = advise(facts, ruleset, thresholds)
            detail(f"rules fired: {', '.join(advice.fired) or 'none'}")
    trials = None
    if trial:
        from advisor.trial import TrialOptions, measured_facts

        if ruleset is None:
            raise InputError("--trial needs the advice", None, "drop --no-advice")
        trials = _run_trials(paths[0], analysis, advice, [c[1] for c in columns],
                             TrialOptions())
        if "one" in trials:
            facts = {**facts, **measured_facts(trials["one"])}  # e.g. Huber's residual delta
    if advice is not None and not analysis.columns:
        snippet = _snippet(advice, ruleset, framework, facts,
                           "the target alone cannot give them (see each placeholder's "
                           "meaning; --trial measures some on fitted models)")
    doc = build_report(analysis.profile, advice, snippet, columns)
    if trials is not None:
        from advisor.render.common import clean

        doc = clean(_attach_trials(doc, trials))
    emit(_render(doc, fmt, color_mode(color, output is not None), show_all), output, reads)


def _trial_path(paths: str | list[str]) -> None:
    """The trial reads one file twice (the target's profile, then a row sample)."""
    paths = [paths] if isinstance(paths, str) else paths
    if "-" in paths:
        raise InputError("the trial reads the data twice and cannot use stdin", "-",
                         "save the data to a file first")
    if len(paths) != 1:
        raise InputError("the trial reads one file", None, "pass a single PATH")


def _run_trials(path: str, analysis, advice, column_advice: list, options
                ) -> dict[str, Any]:
    """The trial's sections: ``one`` for one target; ``columns``, one per column of a
    multi-output target; or ``labels``, one binary trial per label of a multilabel target
    (per-label binary cross-entropy is what a multilabel loss fits)."""
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # before OpenMP starts (see README)
    from advisor.trial_spec import load_trial_spec

    spec = load_trial_spec()
    prof = analysis.profile
    names = tuple(prof.target)
    if analysis.columns:
        return {"columns": [
            _trial(path, single.target[0], single.task, single.stats.get("positive_label"),
                   found, spec, options, names)
            for single, found in zip(analysis.columns, column_advice, strict=True)]}
    if prof.task == "multilabel":
        from advisor.trial_spec import choose_candidates

        # the same candidates for every label: a bad --losses fails here, not once per label
        choose_candidates([rec.id for rec in advice.losses], "binary", spec,
                          asked=options.losses)
        sections: list[dict[str, Any]] = []
        for label in names:
            try:
                sections.append(_trial(path, label, "binary", "1", advice, spec, options,
                                       names))
            except InputError as err:  # e.g. a label too rare for stratified folds
                reason = err.what + (f"; {err.hint}" if err.hint else "")
                note(f"label {label}: not trialled: {reason}")
                sections.append({"target": label, "skipped": reason})
        return {"labels": sections}
    if len(names) != 1:
        raise InputError("the trial fits one target column, or each of several", None,
                         "pass --target a or --target a,b")
    return {"one": _trial(path, names[0], prof.task, prof.stats.get("positive_label"), advice,
                          spec, options, names)}


def _attach_trials(doc: dict[str, Any], trials: dict[str, Any]) -> dict[str, Any]:
    """The report with the trial's evidence beside the advice (see :func:`_run_trials`)."""
    from advisor.trial import attach, attach_labels
    from advisor.trial_spec import load_trial_spec

    aliases = load_trial_spec().same_as
    if "columns" in trials:
        for column, section in zip(doc["columns"], trials["columns"], strict=True):
            attach(column, section, aliases)
        return doc
    if "labels" in trials:
        return attach_labels(doc, trials["labels"], aliases)
    return attach(doc, trials["one"], aliases)


def _trial(path: str, target: str, task: str, positive: str | None, advice, spec, options,
           names: tuple[str, ...]) -> dict[str, Any]:
    """One trial of one target column; the ``trial`` section."""
    from advisor.trial import run_trial
    from advisor.trial_spec import choose_candidates

    ranked = [rec.id for rec in advice.losses] if advice else []
    candidates = choose_candidates(ranked, task, spec, asked=options.losses)
    prefix = f"{target}: " if len(names) > 1 else ""

    def say(message: str) -> None:
        note(prefix + message)

    for item in candidates.not_trialable:
        say(f"not trialable: {item['id']}: {item['reason']}")
    others = tuple(n for n in names if n != target)
    with _fold_progress(prefix) as progress:
        return run_trial(path, target, task, positive, candidates, spec, options, say,
                         progress, others=others)


@contextmanager
def _fold_progress(prefix: str = ""):
    """A bar per fold on a terminal, as for reading: nothing under --quiet or when stderr is
    not a terminal (then --verbose writes one line per fold, for logs)."""
    if _VERBOSITY["level"] == 0:
        yield None
        return
    start = time.monotonic()
    if not _is_tty(sys.stderr):
        def line(done: int, total: int) -> None:
            detail(f"{prefix}trial: fold {done}/{total} done "
                   f"({time.monotonic() - start:.1f} s)")

        yield line
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn(f"{prefix}trial folds"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn(), console=Console(stderr=True), transient=True)
    task_id = bar.add_task("folds", total=None)
    bar.start()

    def update(done: int, total: int) -> None:
        bar.update(task_id, completed=done, total=total)

    try:
        yield update
    finally:
        bar.stop()


@app.command()
def trial(
    path: Annotated[str, typer.Argument(metavar="PATH", help="CSV/TSV (optionally "
                                        ".gz/.bz2/.xz) or Parquet file.")],
    target: Annotated[
        list[str] | None,
        typer.Option("--target", "-t", help="Target column, guessed when omitted. Several "
                     "(-t a -t b or a,b): one trial per column, or per label of a multilabel "
                     "target."),
    ] = None,
    task: Annotated[
        str | None, typer.Option("--task", help="Override the inferred task."),
    ] = None,
    losses: Annotated[
        str | None,
        typer.Option("--losses", help="Comma-separated catalog loss ids to compare, the first "
                     "taken as the pick (default: the rules' top 3 plus the naive default)."),
    ] = None,
    folds: Annotated[int, typer.Option("--folds", min=2, max=50, help="Folds (K).")] = 5,
    repeats: Annotated[
        int | None,
        typer.Option("--repeats", min=1, max=20, help="Repeats of the K folds (default: 3 up "
                     "to 25,000 rows, else 1)."),
    ] = None,
    rows: Annotated[
        int, typer.Option("--rows", min=100, help="Rows sampled (uniformly, while reading).")
    ] = 100_000,
    budget: Annotated[
        float | None,
        typer.Option("--budget", min=1.0, help="Seconds per target column, reading included; "
                     "stop between folds and compare the complete folds only (makes the "
                     "result depend on machine speed)."),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed for sampling, folds, models.")] = 0,
    group: Annotated[
        str | None, typer.Option("--group", help="Column of groups: no group is in both the "
                                 "training and the test rows of a fold."),
    ] = None,
    time_col: Annotated[
        str | None, typer.Option("--time", help="Column to order by: every fold trains on the "
                                 "past and tests on the future."),
    ] = None,
    threads: Annotated[
        int | None, typer.Option("--threads", min=1, help="OpenMP threads per fit (default: "
                                 "OMP_NUM_THREADS if set, else 1: faster on the trial's small "
                                 "fits; see README, Trial speed)."),
    ] = None,
    fmt: ReportFormatOption = "text",
    output: OutputOption = None,
    rules: RulesOption = None,
    color: ColorOption = Color.auto,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Fit the recommended losses and the naive default on this data and compare them."""
    from advisor.analyze import analyze
    from advisor.engine import advise
    from advisor.report import build_report
    from advisor.thresholds import DEFAULT_THRESHOLDS
    from advisor.toolconfig import find_tool_config
    from advisor.trial import TrialOptions

    _set_verbosity(quiet, verbose)
    config = find_tool_config(Path.cwd())
    reads = [path, *([config.path] if config else []), *rule_files(rules)]
    check_output(output, reads)
    _trial_path(path)
    if group and time_col:
        raise InputError("--group and --time cannot be combined", None, "choose one")
    options = TrialOptions(
        losses=[x.strip() for x in losses.split(",") if x.strip()] if losses else None,
        folds=folds, repeats=repeats, rows=rows, budget=budget, seed=seed, group=group,
        time=time_col, threads=threads,
    )
    ruleset = _load_ruleset(rules)
    if options.losses:
        unknown = [x for x in options.losses if not ruleset.catalog.has("loss", x)]
        if unknown:
            from advisor.errors import did_you_mean

            raise InputError(f"unknown loss '{unknown[0]}'"
                             f"{did_you_mean(unknown[0], ruleset.catalog.ids('loss'))}",
                             "--losses", "use catalog ids such as poisson, mse, weighted_bce")
    thresholds = config.thresholds if config else DEFAULT_THRESHOLDS
    wanted = ",".join(target) if target else None
    analysis = analyze(path, wanted, thresholds, task=task)
    for message in analysis.notes:
        note(message)
    advice = None if analysis.columns else advise(analysis.profile.facts(), ruleset, thresholds)
    columns = [(single, advise(single.facts(), ruleset, thresholds), None)
               for single in analysis.columns]
    doc = build_report(analysis.profile, advice, None, columns)
    from advisor.render.common import clean

    trials = _run_trials(path, analysis, advice, [c[1] for c in columns], options)
    doc = clean(_attach_trials(doc, trials))
    mode = color_mode(color, output is not None)
    if fmt == "text":
        from advisor.render.trial import render_trial_table

        emit(render_trial_table(doc, width=terminal_width(), color=mode), output, reads)
        return
    emit(_render(doc, fmt, mode, True), output, reads)


@app.command()
def recommend(
    task: Annotated[str, typer.Option("--task", help="binary, multiclass, multilabel, "
                                      "regression, count, segmentation, detection, "
                                      "metric_learning or generative.")],
    trait: Annotated[
        list[str] | None,
        typer.Option("--trait", help="A trait the data has (imbalanced, heavy_tailed, ...). "
                     "Repeatable."),
    ] = None,
    fmt: ReportFormatOption = "text",
    output: OutputOption = None,
    framework: FrameworkOption = None,
    rules: RulesOption = None,
    show_all: AllOption = False,
    color: ColorOption = Color.auto,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Recommend losses and metrics without data: for tasks a CSV cannot show."""
    from advisor.engine import advise
    from advisor.errors import did_you_mean
    from advisor.profile import Profile, Trait
    from advisor.report import build_report
    from advisor.thresholds import DEFAULT_THRESHOLDS
    from advisor.toolconfig import find_tool_config
    from advisor.vocabulary import ALL_TASKS, TRAITS

    _set_verbosity(quiet, verbose)
    reads: list[str | Path] = rule_files(rules)
    config = find_tool_config(Path.cwd(), reads)
    check_output(output, reads)
    if task not in ALL_TASKS:
        raise InputError(f"unknown task '{task}'{did_you_mean(task, ALL_TASKS)}", "--task",
                         f"use one of: {', '.join(ALL_TASKS)}")
    traits = []
    for name in trait or []:
        if name not in TRAITS:
            raise InputError(f"unknown trait '{name}'{did_you_mean(name, TRAITS)}", "--trait",
                             "`lossadvisor traits` lists them")
        traits.append(Trait(name, "given with --trait"))
    ruleset = _load_ruleset(rules)
    prof = Profile(task=task, task_reason="given with --task", traits=traits)
    facts = prof.facts()
    advice = advise(facts, ruleset, config.thresholds if config else DEFAULT_THRESHOLDS)
    doc = build_report(prof, advice, _snippet(advice, ruleset, framework, facts))
    emit(_render(doc, fmt, color_mode(color, output is not None), show_all), output, reads)


class RuleKind(str, Enum):
    recommend = "recommend"
    lint = "lint"


def _test_examples(ruleset: Any, user_only: bool, output: Path | None, reads: Reads) -> None:
    """``rules --test``: every lint example, read and checked as a project's config would be."""
    from advisor.lint.cases import run_cases
    from advisor.render.visible import visible

    rules = [r for r in ruleset.of_kind("lint") if not (user_only and r.builtin)]
    outcomes = run_cases(rules, ruleset)
    failed = [o for o in outcomes if o.problem]
    lines = [visible(f"{o.case.where}: {o.rule.id} example ({'fires' if o.case.fires else 'quiet'}"
                     f"): {o.problem}") for o in failed]
    lines.append(f"{len(outcomes) - len(failed)} of {len(outcomes)} examples of {len(rules)} "
                 "lint rules hold")
    emit("\n".join(lines) + "\n", output, reads)
    if failed:
        raise typer.Exit(EXIT_FINDINGS)


@app.command("rules")
def list_rules(
    fmt: DocFormatOption = "text",
    kind: Annotated[
        RuleKind | None, typer.Option("--kind", help="Only recommendation or lint rules.")
    ] = None,
    rules: RulesOption = None,
    output: OutputOption = None,
    color: ColorOption = Color.auto,
    test: Annotated[
        bool, typer.Option("--test", help="Run the lint rules' examples (those of --rules "
                           "files when given) through `lint`; exit 1 if one does not hold.")
    ] = False,
) -> None:
    """List every rule: id, name, kind and summary."""
    from advisor.render.rules import render_rule_list

    check_output(output, rule_files(rules))
    ruleset = _load_ruleset(rules)
    if test:
        _test_examples(ruleset, bool(rules), output, rule_files(rules))
        return
    emit(render_rule_list(ruleset, fmt, kind.value if kind else None, terminal_width(),
                          color_mode(color, output is not None)), output, rule_files(rules))


@app.command()
def explain(
    rule_id: Annotated[
        str | None, typer.Argument(metavar="RULE", help="A rule id such as REC032.")
    ] = None,
    all_rules: Annotated[
        bool, typer.Option("--all", help="Every rule: the full reference (docs/rules.md).")
    ] = False,
    fmt: DocFormatOption = "text",
    rules: RulesOption = None,
    output: OutputOption = None,
    color: ColorOption = Color.auto,
) -> None:
    """Show one rule's documentation, condition, effects and examples."""
    from advisor.errors import did_you_mean
    from advisor.render.rules import render_rule, rules_reference_markdown

    reads = rule_files(rules)
    check_output(output, reads)
    ruleset = _load_ruleset(rules)
    width, mode = terminal_width(), color_mode(color, output is not None)
    if all_rules:
        if fmt == "markdown":
            emit(rules_reference_markdown(ruleset), output, reads)
        else:
            emit("".join(render_rule(r, fmt, width, mode) for r in ruleset.rules), output,
                 reads)
        return
    if rule_id is None:
        raise InputError("name a rule, or pass --all", None, "`lossadvisor rules` lists them")
    rule = ruleset.by_id(rule_id)
    if rule is None:
        ids = [r.id for r in ruleset.rules]
        raise InputError(f"no rule '{rule_id}'{did_you_mean(rule_id, ids)}", None,
                         "`lossadvisor rules` lists them")
    emit(render_rule(rule, fmt, width, mode), output, reads)


@app.command()
def traits(fmt: DocFormatOption = "text", color: ColorOption = Color.auto) -> None:
    """List the traits and statistics rules can use, and the thresholds behind the traits."""
    from advisor.render.rules import render_vocabulary
    from advisor.toolconfig import load_thresholds

    emit(render_vocabulary(load_thresholds(Path.cwd()), fmt, terminal_width(),
                           color_mode(color, False)), None)


class Severity(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


@app.command()
def lint(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(metavar="[CONFIG]...",
                       help="Config files (YAML, JSON, TOML, LightGBM .conf). Default: the "
                       "[tool.lossadvisor] config of ./pyproject.toml or ./lossadvisor.toml and "
                       "the files its 'configs' lists."),
    ] = None,
    data: Annotated[
        str | None, typer.Option("--data", help="The training data; overrides the configs'.")
    ] = None,
    target: Annotated[
        str | None, typer.Option("--target", "-t", help="Target column(s) in --data.")
    ] = None,
    fmt: Annotated[str | None, _format_option(
        LINT_FORMATS, None, "Output format (default text; github is chosen automatically "
        "inside GitHub Actions).")] = None,
    fail_on: Annotated[
        Severity, typer.Option("--fail-on", help="Exit 1 on findings at or above this severity.")
    ] = Severity.warning,
    dialect: Annotated[
        str | None, typer.Option("--dialect", help="Read every config as this dialect instead "
                                 "of detecting it (yaml, json, toml, lightgbm, ludwig, ...).")
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 when a config is not understood (no loss "
                           "or metric recognized in it).")
    ] = False,
    rules: RulesOption = None,
    output: OutputOption = None,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Check the losses and metrics in ML configs against the data and each other."""
    from advisor.lint.check import lint_paths, project_data, severity_at_least
    from advisor.lint.paths import expand
    from advisor.render.lint import RENDERERS, detail_lines, summary_line
    from advisor.thresholds import DEFAULT_THRESHOLDS
    from advisor.toolconfig import find_tool_config

    _set_verbosity(quiet, verbose)
    reads: list[str | Path] = [*(paths or []), *([data] if data else []), *rule_files(rules)]
    project = find_tool_config(Path.cwd(), reads)
    defaults: tuple[str | None, str | None] = (None, None)
    if not paths:
        if project is None:
            raise InputError(
                "nothing to lint: no config files given and no [tool.lossadvisor] in "
                "./pyproject.toml or ./lossadvisor.toml", None,
                "pass config files, e.g. `lossadvisor lint configs/train.yaml --data train.csv`",
            )
        base = Path(os.path.relpath(project.path)) if project.path.is_relative_to(
            Path.cwd()) else project.path
        paths = [base] + [base.parent / p for p in project.section.get("configs", [])]
        reads += paths
        defaults = project_data(project)
    paths = expand(list(paths))
    reads += paths
    check_output(output, reads)
    if fmt is None:
        fmt = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    ruleset = _load_ruleset(rules)
    result = lint_paths(list(paths), ruleset, data, target, project.ignore if project else [],
                        project.thresholds if project else DEFAULT_THRESHOLDS, dialect,
                        defaults)
    for message in result.notes:
        note(message)
    emit(RENDERERS[fmt](result, ruleset), output, [*reads, *result.data_files])
    if _VERBOSITY["level"]:
        say(summary_line(result))
    for line in detail_lines(result):
        detail(line)
    if any(severity_at_least(f.severity, fail_on.value) for f in result.findings):
        raise typer.Exit(EXIT_FINDINGS)
    if strict and result.not_understood():
        raise typer.Exit(EXIT_FINDINGS)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
