"""Every command in the README's code blocks runs as written (GitHub issue 10, item 1).

The test reads the fenced code blocks of ``README.md`` (and of every ``docs/**/*.md``, when that folder exists),
picks out each ``snakemake``/``darkreach`` command line and runs it the way a user would type it in a fresh
clone, so that the documentation and the code cannot drift apart:

- **where**: a session-wide copy of the repository's files (``git ls-files``: tracked files, plus untracked files
  that are not ignored, i.e. what the next commit will hold; symlinks kept as symlinks) with the test's virtualenv
  linked in as ``.venv``, so ``.venv/bin/snakemake`` resolves; cwd is that copy and ``.venv/bin`` leads ``PATH``,
  so a bare ``darkreach`` or ``python`` is the virtualenv's (as after ``source .venv/bin/activate``). The
  ``darkreach`` package itself is the virtualenv's (editable) install.
- **how**: ``shlex.split``, no shell, ``PYTHONHASHSEED=0``. ``export NAME=VALUE`` lines earlier in the same block
  (and ``NAME=VALUE`` prefixes) set the environment; ``$NAME`` is expanded, with :data:`DUMMY_ENV` (or
  ``"dummy"``) for a variable the block does not set.
- **Snakemake lines** run with ``--dry-run`` appended (the DAG is built and the config validated) and must exit 0.
  A line needing a tool that is absent here (conda, an executor plugin) is skipped with the tool named. A line
  that works on a finished run (``--report``, :data:`POST_RUN_OPTIONS`) runs for real after the session's tiny
  end-to-end run, in its directory.
- **darkreach lines** run for real and must exit 0; ``reach`` gets :data:`TINY_REACH` options unless the line
  sets them (the copy has no workflow samples, so ``reach`` generates small ones into the copy's
  ``results/cli_cache``, and later lines reuse them). With ``--json``, stdout must be one JSON object; when a
  console block shows the output under the command, every key shown must be in the real output and every value
  shown must match (numbers to 1e-6 relative), except the values in :data:`STATISTICAL_KEYS`, which depend on the
  Monte Carlo sample size.
- **placeholders** of usage lines (``<name>``, ``my.yaml``) are replaced or created from :data:`PLACEHOLDERS` and
  :data:`PLACEHOLDER_FILES`; an unknown ``<placeholder>`` fails the test, naming it.

A parser that finds no command fails (``test_docs_contain_commands``), and each command is its own test case,
named by the command text.
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO, TEST_CONFIG

#: The Markdown files whose code blocks are checked: the README and any documentation added under docs/.
DOC_FILES: list[Path] = [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]

#: Info strings of fenced blocks that hold shell commands ("" = no language given).
SHELL_LANGUAGES = {"", "bash", "sh", "shell", "zsh", "console", "shell-session", "sh-session"}
#: Of these, the ones in which commands carry a ``$ `` prompt and the other lines are output.
CONSOLE_LANGUAGES = {"console", "shell-session", "sh-session"}

#: Placeholders of usage lines and what the test types instead.
PLACEHOLDERS: dict[str, str] = {
    "<name>": "na62",  # an experiment/figure target of config/paper.yaml
    "<target>": "na62",
    "<experiment>": "na62",
    "<figure>": "fig_na62_3",
    "<partition>": "debug",  # a SLURM partition (only a dry run here)
    "<account>": "dummy",
}

#: Files that usage lines name but the repository does not hold, created in the copy with this content.
PLACEHOLDER_FILES: dict[str, str] = {
    # "your own config": the smallest valid one, the embedded default by inheritance
    "my.yaml": "extends: default\n",
}

#: Values for environment variables a command or its profile needs and the block does not set.
DUMMY_ENV: dict[str, str] = {"DARKREACH_SLURM_PARTITION": "debug"}

#: Options added to ``darkreach reach`` unless the line sets them: few simulated mesons and small PYTHIA samples.
TINY_REACH: dict[str, str] = {"--events": "500", "--sample-events": "500"}

#: JSON keys whose shown values depend on the Monte Carlo statistics (or on TINY_REACH): only their presence
#: is checked.
STATISTICAL_KEYS = {"intervals", "max_events", "events_simulated", "warning"}

#: Snakemake options that act on the outputs of a finished run, where a dry run means nothing (``--report``
#: ignores ``--dry-run`` and fails in a fresh clone, as nothing has been run). A line with one runs for real in
#: the directory of the session's tiny end-to-end run (conftest ``tiny_workflow``: ``.test/config.yaml`` run to
#: completion), with that run's ``--snakefile`` and ``--configfile`` added: "the last run" is that run.
POST_RUN_OPTIONS = ("--report",)

#: Snakemake executors built into Snakemake itself (any other needs snakemake-executor-plugin-<name>).
BUILTIN_EXECUTORS = {"local", "dryrun", "touch"}

TIMEOUT_S = 600
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)")
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_VARIABLE = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")
_PLACEHOLDER = re.compile(r"<[A-Za-z][A-Za-z0-9_-]*>")


@dataclass(frozen=True)
class DocCommand:
    """One command line of a code block."""

    text: str  #: the command as written (continuations joined, comment and prompt removed)
    kind: str  #: "snakemake" or "darkreach"
    sources: tuple[str, ...]  #: file:line of every place it is written
    exports: tuple[tuple[str, str], ...] = ()  #: ``export NAME=VALUE`` lines before it in its block
    shown_output: str = ""  #: the lines a console block shows below it

    @property
    def id(self) -> str:
        return self.text


@dataclass
class _Block:
    language: str
    lines: list[tuple[int, str]] = field(default_factory=list)


def _code_blocks(text: str) -> list[_Block]:
    """Fenced code blocks of a Markdown text, with 1-based line numbers."""
    blocks: list[_Block] = []
    fence: str | None = None
    current: _Block | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        m = _FENCE.match(line)
        if fence is None:
            if m:
                fence, current = m.group(1), _Block(m.group(2).lower())
        elif m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line.strip(" `~"):
            blocks.append(current)
            fence, current = None, None
        else:
            current.lines.append((number, line))
    return blocks


def _logical_lines(block: _Block) -> list[tuple[int, str, bool]]:
    """(line number, text, is a command) with ``\\`` continuations joined; in console blocks only ``$`` lines
    are commands (the prompt is removed) and continuation lines may carry a ``> `` prompt."""
    console = block.language in CONSOLE_LANGUAGES
    out: list[tuple[int, str, bool]] = []
    lines = iter(block.lines)
    for number, line in lines:
        is_command = True
        if console:
            stripped = line.lstrip()
            is_command = stripped == "$" or stripped.startswith("$ ")
            if is_command:
                line = stripped[1:].lstrip()
        while is_command and line.rstrip().endswith("\\"):
            try:
                _, following = next(lines)
            except StopIteration:
                break
            following = following.lstrip()
            if console and following.startswith("> "):
                following = following[2:]
            line = line.rstrip()[:-1] + " " + following
        out.append((number, line, is_command))
    return out


def _command_kind(tokens: list[str]) -> str | None:
    """ "snakemake", "darkreach" or None for a line of other tokens (after NAME=VALUE prefixes)."""
    words = list(tokens)
    while words and _ASSIGNMENT.match(words[0]):
        words = words[1:]
    if not words:
        return None
    program = words[0].removeprefix("./")
    if program in ("snakemake", ".venv/bin/snakemake"):
        return "snakemake"
    if program in ("darkreach", ".venv/bin/darkreach"):
        return "darkreach"
    if program in ("python", "python3", ".venv/bin/python", ".venv/bin/python3") and words[1:3] == ["-m", "darkreach"]:
        return "darkreach"
    return None


def _split(line: str) -> list[str] | None:
    try:
        return shlex.split(line, comments=True)
    except ValueError:  # unbalanced quotes: not a line we can run as written
        return None


def parse_commands(text: str, name: str) -> list[DocCommand]:
    """The snakemake/darkreach command lines of the Markdown ``text`` (file ``name``), in order."""
    commands: list[DocCommand] = []
    for block in _code_blocks(text):
        if block.language not in SHELL_LANGUAGES:
            continue
        exports: list[tuple[str, str]] = []
        lines = _logical_lines(block)
        for i, (number, line, is_command) in enumerate(lines):
            if not is_command:
                continue
            tokens = _split(line)
            if tokens is None:  # unbalanced quotes: kept if it is one of ours, and its test fails on splitting it
                words = line.split()
                kind = _command_kind(words)
                if kind is not None:
                    commands.append(
                        DocCommand(text=line.strip(), kind=kind, sources=(f"{name}:{number}",), exports=tuple(exports))
                    )
                continue
            if tokens[:1] == ["export"]:
                for assignment in tokens[1:]:
                    if "=" in assignment:
                        key, value = assignment.split("=", 1)
                        exports.append((key, value))
                continue
            kind = _command_kind(tokens)
            if kind is None:
                continue
            shown = []
            for _, output, output_is_command in lines[i + 1 :]:
                if output_is_command:
                    break
                shown.append(output)
            commands.append(
                DocCommand(
                    text=shlex.join(tokens),
                    kind=kind,
                    sources=(f"{name}:{number}",),
                    exports=tuple(exports),
                    shown_output="\n".join(shown).strip() if block.language in CONSOLE_LANGUAGES else "",
                )
            )
    return commands


def collect_commands(files: list[Path]) -> list[DocCommand]:
    """The commands of all ``files``; a command written more than once runs once (all its places are kept)."""
    merged: dict[tuple[Any, ...], DocCommand] = {}
    for path in files:
        if not path.is_file():
            continue
        for cmd in parse_commands(path.read_text(encoding="utf-8"), str(path.relative_to(REPO))):
            key = (cmd.text, cmd.exports)
            if key in merged:
                old = merged[key]
                merged[key] = DocCommand(
                    old.text, old.kind, old.sources + cmd.sources, old.exports, old.shown_output or cmd.shown_output
                )
            else:
                merged[key] = cmd
    return list(merged.values())


COMMANDS: list[DocCommand] = collect_commands(DOC_FILES)


# --------------------------------------------------------------------------------------------------------------
# fast checks of the parser itself


def test_docs_contain_commands() -> None:
    """Guard against a parser that silently finds nothing."""
    assert COMMANDS, f"no snakemake/darkreach command found in the code blocks of {[str(p) for p in DOC_FILES]}"


def test_parser_on_a_sample() -> None:
    sample = "\n".join(
        [
            "text `snakemake inline` is not in a block",
            "```bash",
            "make run   # not ours",
            "export DARKREACH_SLURM_PARTITION=<partition>   # required",
            ".venv/bin/snakemake --cores 2 \\",
            "    --configfile=config/paper.yaml fig_scalar_4   # one figure",
            "```",
            "```console",
            "$ darkreach lifetime --model idm-dipole --json",
            '{"model": "idm-dipole", ...}',
            "$ python -m darkreach --version",
            "```",
            "```yaml",
            "snakemake: not a command in a YAML block",
            "```",
        ]
    )
    cmds = parse_commands(sample, "sample.md")
    assert [c.text for c in cmds] == [
        ".venv/bin/snakemake --cores 2 --configfile=config/paper.yaml fig_scalar_4",
        "darkreach lifetime --model idm-dipole --json",
        "python -m darkreach --version",
    ]
    assert [c.kind for c in cmds] == ["snakemake", "darkreach", "darkreach"]
    assert cmds[0].exports == (("DARKREACH_SLURM_PARTITION", "<partition>"),) and cmds[0].sources == ("sample.md:5",)
    assert cmds[1].shown_output == '{"model": "idm-dipole", ...}' and cmds[2].shown_output == ""
    assert shown_fields('{"a": 1, ..., "b": {"x": ...}, "c": [[1, 2]], "d": "s"}') == {
        "a": 1,
        "b": ELIDED,
        "c": [[1, 2]],
        "d": "s",
    }


# --------------------------------------------------------------------------------------------------------------
# the fresh clone and the command runner


@pytest.fixture(scope="session")
def fresh_clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository's files with the test's virtualenv linked in as ``.venv``."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed: cannot list the repository's files")
    listing = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        timeout=120,
    )
    if listing.returncode != 0:
        pytest.skip(f"{REPO} is not a git work tree: {listing.stderr.decode(errors='replace').strip()}")
    clone = tmp_path_factory.mktemp("readme_clone")
    for name in sorted(set(listing.stdout.decode().split("\0")) - {""}):
        src = REPO / name
        if not os.path.lexists(src) or (src.is_dir() and not src.is_symlink()):  # deleted, or a submodule
            continue
        dest = clone / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dest, follow_symlinks=False)
    venv = Path(sys.prefix) if sys.prefix != sys.base_prefix else REPO / ".venv"
    (clone / ".venv").symlink_to(venv, target_is_directory=True)
    for name, content in PLACEHOLDER_FILES.items():
        if not (clone / name).exists():
            (clone / name).write_text(content)
    return clone


def _substitute(text: str) -> str:
    for placeholder, value in PLACEHOLDERS.items():
        text = text.replace(placeholder, value)
    left = _PLACEHOLDER.findall(text)
    if left:
        pytest.fail(f"unknown placeholder(s) {left} in {text!r}: add them to PLACEHOLDERS in {Path(__file__).name}")
    return text


def _expand(token: str, env: dict[str, str]) -> str:
    def value(m: re.Match[str]) -> str:
        name = m.group(1) or m.group(2)
        if name not in env:
            env[name] = DUMMY_ENV.get(name, "dummy")
        return env[name]

    return _VARIABLE.sub(value, token)


def _prepare(cmd: DocCommand, clone: Path) -> tuple[list[str], dict[str, str]]:
    """argv (program resolved) and environment of ``cmd`` run in ``clone``."""
    env = {k: v for k, v in os.environ.items()}
    env["PATH"] = f"{clone / '.venv' / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONHASHSEED"] = "0"
    for key, value in cmd.exports:
        env[key] = _expand(_substitute(value), env)
    argv = shlex.split(_substitute(cmd.text))
    while argv and _ASSIGNMENT.match(argv[0]):
        key, value = argv.pop(0).split("=", 1)
        env[key] = _expand(value, env)
    argv = [_expand(token, env) for token in argv]
    for name in DUMMY_ENV:  # e.g. a profile's "$DARKREACH_SLURM_PARTITION"
        env.setdefault(name, DUMMY_ENV[name])
    program = argv[0]
    if "/" in program:
        resolved = program if os.path.isabs(program) else str(clone / program)
    else:
        resolved = shutil.which(program, path=env["PATH"])
        assert resolved is not None, f"{program!r} is not on PATH"
    return [resolved, *argv[1:]], env


def _option_values(argv: list[str], *names: str, several: bool = False) -> list[str]:
    """Values of the options ``names``: ``--opt=VALUE``, or ``--opt VALUE`` (with ``several``, every value up to
    the next option)."""
    values: list[str] = []
    for i, token in enumerate(argv):
        for name in names:
            if token.startswith(name + "="):
                values.append(token.split("=", 1)[1])
            elif token == name:
                for value in argv[i + 1 :]:
                    if value.startswith("-"):
                        break
                    values.append(value)
                    if not several:
                        break
    return values


def _missing_snakemake_requirement(argv: list[str], clone: Path, env: dict[str, str]) -> str | None:
    """Why the Snakemake line cannot run here even as a dry run (the missing tool named), or None."""
    methods = set(_option_values(argv, "--software-deployment-method", "--sdm", "--deployment-method", several=True))
    if "--use-conda" in argv:
        methods.add("conda")
    if "--use-apptainer" in argv or "--use-singularity" in argv:
        methods.add("apptainer")
    if "conda" in methods and shutil.which("conda", path=env["PATH"]) is None:
        return (
            "conda is not installed (no `conda` on PATH); `--software-deployment-method conda` runs "
            "`conda info --json` even in a dry run"
        )
    if (
        "apptainer" in methods
        and shutil.which("apptainer", path=env["PATH"]) is None
        and shutil.which("singularity", path=env["PATH"]) is None
    ):
        return "apptainer/singularity is not installed; `--software-deployment-method apptainer` needs it"

    executors = _option_values(argv, "--executor", "-e")
    profiles = _option_values(argv, "--workflow-profile", "--profile") or ["workflow/profiles/default"]
    for profile in profiles:
        path = Path(profile) if os.path.isabs(profile) else clone / profile
        config = path / "config.yaml"
        if config.is_file():
            executor = (yaml.safe_load(config.read_text()) or {}).get("executor")
            if executor:
                executors.append(str(executor))
    for executor in executors:
        if executor in BUILTIN_EXECUTORS:
            continue
        module = "snakemake_executor_plugin_" + executor.replace("-", "_")
        if importlib.util.find_spec(module) is None:
            hint = " (`pip install -e '.[slurm]'`, as CI does)" if executor == "slurm" else ""
            return (
                f"snakemake-executor-plugin-{executor} is not installed{hint}: the executor {executor!r} is needed "
                f"even for a dry run"
            )
    return None


def _is_dry_run(argv: list[str]) -> bool:
    """Whether the line already asks for a dry run (``-n``, ``--dry-run``, ``--dryrun``, or ``-n`` among short flags)."""
    return any(t in ("--dry-run", "--dryrun") or re.fullmatch(r"-[A-Za-z]*n[A-Za-z]*", t) for t in argv[1:])


def _run(argv: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT_S)


def _failure(cmd: DocCommand, argv: list[str], proc: subprocess.CompletedProcess[str], what: str) -> str:
    return (
        f"{what}\n  written at {', '.join(cmd.sources)}: {cmd.text}\n  ran: {shlex.join(argv)}\n"
        f"  exit status {proc.returncode}\n--- stdout (tail) ---\n{proc.stdout[-3000:]}\n"
        f"--- stderr (tail) ---\n{proc.stderr[-3000:]}"
    )


class _Elided:
    def __repr__(self) -> str:
        return "ELIDED"


#: A shown value that is not JSON (``...``, or an object/array containing ``...``): only the key is checked.
ELIDED = _Elided()
_KEY = re.compile(r'"((?:[^"\\]|\\.)*)"\s*:\s*')


def _skip_value(text: str, start: int) -> int:
    """Index after the bracketed value starting at ``start`` (strings respected), or ``start`` + 1."""
    if start >= len(text) or text[start] not in "[{":
        return start + 1
    depth, i, in_string = 0, start, False
    while i < len(text):
        c = text[i]
        if in_string:
            if c == "\\":
                i += 1
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c in "[{":
            depth += 1
        elif c in "]}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return i


def shown_fields(text: str) -> dict[str, Any] | None:
    """Top-level keys and values of a shown JSON object, which may elide parts with ``...``; None if the shown
    output is not a JSON object."""
    text = text.strip()
    if not text.startswith("{"):
        return None
    try:
        obj = json.loads(text)
        return obj if isinstance(obj, dict) else None
    except json.JSONDecodeError:
        pass
    decoder = json.JSONDecoder()
    fields: dict[str, Any] = {}
    i = 1
    while i < len(text):
        m = _KEY.match(text, i)
        if not m:
            i += 1
            continue
        key = json.loads(f'"{m.group(1)}"')
        try:
            fields[key], i = decoder.raw_decode(text, m.end())
        except json.JSONDecodeError:
            fields[key] = ELIDED
            i = _skip_value(text, m.end())
    return fields


def _same(shown: Any, real: Any) -> bool:
    if isinstance(shown, bool) or isinstance(real, bool):
        return shown is real
    if isinstance(shown, (int, float)) and isinstance(real, (int, float)):
        return math.isclose(shown, real, rel_tol=1e-6, abs_tol=0.0)
    if isinstance(shown, list) and isinstance(real, list):
        return len(shown) == len(real) and all(_same(a, b) for a, b in zip(shown, real))
    if isinstance(shown, dict) and isinstance(real, dict):
        return shown.keys() == real.keys() and all(_same(shown[k], real[k]) for k in shown)
    return shown == real


@pytest.mark.slow
@pytest.mark.parametrize("cmd", COMMANDS, ids=[c.id for c in COMMANDS])
def test_documented_command_runs(cmd: DocCommand, fresh_clone: Path, request: pytest.FixtureRequest) -> None:
    argv, env = _prepare(cmd, fresh_clone)
    if cmd.kind == "snakemake":
        missing = _missing_snakemake_requirement(argv, fresh_clone, env)
        if missing:
            pytest.skip(f"{missing} ({', '.join(cmd.sources)})")
        if any(t == o or t.startswith(o + "=") for t in argv for o in POST_RUN_OPTIONS):
            own = _option_values(argv, "--snakefile", "-s", "--configfile", "--configfiles")
            assert not own, (
                f"{cmd.text}: a post-run command with its own Snakefile/config ({own}) cannot use the "
                f"tiny run; extend POST_RUN_OPTIONS handling in {Path(__file__).name}"
            )
            workdir: Path = request.getfixturevalue("tiny_workflow")  # conftest: REPO/Snakefile, TEST_CONFIG
            argv += ["--snakefile", str(REPO / "Snakefile"), f"--configfile={TEST_CONFIG}"]
            proc = _run(argv, env, workdir)
            assert proc.returncode == 0, _failure(cmd, argv, proc, "the documented Snakemake command fails after a run")
            for report in _option_values(argv, "--report"):
                assert (workdir / report).is_file(), _failure(cmd, argv, proc, f"no report written at {report}")
            return
        if not _is_dry_run(argv):
            argv.append("--dry-run")
        proc = _run(argv, env, fresh_clone)
        assert proc.returncode == 0, _failure(cmd, argv, proc, "the documented Snakemake command fails as a dry run")
        return

    subcommand = next((t for t in argv[1:] if not t.startswith("-") and t not in ("-m", "darkreach")), None)
    if subcommand == "reach":
        for option, value in TINY_REACH.items():
            if not any(t == option or t.startswith(option + "=") for t in argv):
                argv += [option, value]
    proc = _run(argv, env, fresh_clone)
    assert proc.returncode == 0, _failure(cmd, argv, proc, "the documented darkreach command fails")
    if "--json" not in argv:
        return
    try:
        real = json.loads(proc.stdout)
    except json.JSONDecodeError as err:
        pytest.fail(_failure(cmd, argv, proc, f"--json did not print one JSON object ({err})"))
    assert isinstance(real, dict), _failure(cmd, argv, proc, "--json printed JSON that is not an object")
    shown = shown_fields(cmd.shown_output)
    if not shown:
        return
    missing_keys = [k for k in shown if k not in real]
    wrong = {
        k: (v, real[k])
        for k, v in shown.items()
        if k in real and k not in STATISTICAL_KEYS and v is not ELIDED and not _same(v, real[k])
    }
    problems = []
    if missing_keys:
        problems.append(f"keys shown in the docs but absent from the output: {missing_keys}")
    if wrong:
        problems.append(
            "values shown in the docs differ from the output (shown, real): "
            + ", ".join(f"{k}: {v[0]!r} vs {v[1]!r}" for k, v in wrong.items())
        )
    assert not problems, (
        f"{'; '.join(problems)}\n  written at {', '.join(cmd.sources)}: {cmd.text}\n"
        f"  shown: {cmd.shown_output}\n  real: {proc.stdout.strip()}"
    )
