#!/usr/bin/env python3
"""Runs the lessons in notebooks-text/ in a real Jupyter kernel and compares.

Each lesson is a pair: NAME.md, the Jupytext Markdown that people edit and
review, and NAME.ipynb, the same cells with the output every cell printed when
the lesson was last written (`make notebooks`). This script opens each .md with
Jupytext, executes it with nbclient in bash_kernel (the kernel JupyterLab uses),
in notebooks-text/ with the built `convmat` first on PATH, and checks:

- the .md has the bash kernelspec and is paired with its .ipynb
  (`formats: ipynb,md`), and no Markdown cell holds an ```output block (the
  expected output lives in the .ipynb, where a reader sees it once);
- every cell runs only convmat, cat, echo and printf, and every `convmat NAME`
  is a subcommand that `convmat --help` lists;
- Run All goes through: a cell that exits non-zero must be tagged
  ```bash tags=["raises-exception"]``` (nbclient stops at any other, as
  JupyterLab does), and a tagged cell must exit non-zero;
- the .ipynb holds the same cells as the .md, and every cell prints what the
  .ipynb shows: the text of its output, plus `[exit status N]` when bash_kernel
  reports the cell's exit status N as an error.

With --update the .ipynb files are rewritten from the .md and the outputs just
printed, instead of compared (old-style ```output blocks are removed from the
.md first). Review `git diff notebooks-text/` afterwards: the update makes the
check pass by construction.

Needs: jupytext, nbclient, bash_kernel (pip) and the bash kernelspec
(`python3 -m bash_kernel.install --sys-prefix`); `make setup-jupyter` installs them.
Exit status: 0 when every lesson passes, 1 otherwise, 2 when a tool is missing.
"""

import argparse
import asyncio
import difflib
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LESSONS = ROOT / "notebooks-text"
ALLOWED_PROGRAMS = {"convmat", "cat", "echo", "printf"}
RAISES = "raises-exception"

try:
    import jupytext
    import nbclient
    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager
except ImportError as error:
    print(f"run_lessons.py: {error}; install with: python3 -m pip install jupytext nbclient bash_kernel "
          "(make setup-jupyter does it)", file=sys.stderr)
    sys.exit(2)


def shell_words(command):
    """Words and separators (newline, ;, |, &, ||, &&) of a cell, enough to find the programs it runs."""
    words, current = [], ""
    for character in command.replace("\\\n", " "):
        if character in " \t()`":
            if current:
                words.append(current)
                current = ""
        elif character in "\n;|&":
            if current:
                words.append(current)
                current = ""
            if character in "|&" and words and words[-1] == character:
                words[-1] += character
            else:
                words.append(character)
        else:
            current += character
    if current:
        words.append(current)
    return words


def programs(command):
    """The first word of every simple command (split at newlines, ;, |, &&, ||)."""
    found, at_start = [], True
    for word in shell_words(command):
        if word in {";", "|", "&&", "||", "\n"}:
            at_start = True
        elif at_start:
            found.append(word)
            at_start = False
    return found


def convmat_subcommands(command):
    """The word after each `convmat` that is not an option (`convmat --help` names none)."""
    words = shell_words(command)
    return [words[n + 1] for n, word in enumerate(words)
            if (word == "convmat" or word.endswith("/convmat")) and n + 1 < len(words) and not words[n + 1].startswith("-")]


def known_subcommands(convmat):
    """convmat's subcommands, read from its own --help."""
    text = subprocess.run([convmat, "--help"], capture_output=True, text=True, env={"COLUMNS": "100"}).stdout
    names, listing = {"help"}, False
    for line in text.splitlines():
        if line.startswith("SUBCOMMANDS:"):
            listing = True
        elif listing and line.startswith("  ") and line.split():
            names.add(line.split()[0])
        elif listing and line:
            listing = False
    return names


OUTPUT_FENCE = re.compile(r"^(`{3,})(output|text)\s*$")


def without_output_blocks(text):
    """The lesson text without ```output / ```text blocks that follow a ```bash cell (the old format)."""
    lines = text.split("\n")
    kept, n, after_cell = [], 0, False
    while n < len(lines):
        line = lines[n]
        fence = OUTPUT_FENCE.match(line)
        if after_cell and fence:
            close = n + 1
            while close < len(lines) and lines[close].rstrip() != fence.group(1):
                close += 1
            while kept and not kept[-1].strip():
                kept.pop()
            n = close + 1
            after_cell = False
            continue
        if line.rstrip().startswith("```bash"):
            close = n + 1
            while close < len(lines) and lines[close].rstrip() != "```":
                close += 1
            kept.extend(lines[n:close + 1])
            n = close + 1
            after_cell = True
            continue
        if line.strip():
            after_cell = False
        kept.append(line)
        n += 1
    return "\n".join(kept)


def shown_text(outputs):
    """What a reader sees under a cell: the text of its outputs; an error output is bash_kernel's exit status."""
    text = ""
    for output in outputs:
        if output.get("output_type") == "stream":
            text += output.get("text", "")
        elif output.get("output_type") == "error":
            if text and not text.endswith("\n"):
                text += "\n"
            text += f"[exit status {output.get('evalue', '?')}]\n"
        else:
            text += f"[{output.get('output_type')}: {', '.join(sorted(output.get('data', {})))}]\n"
    return text


def coalesced(outputs):
    """Consecutive stream outputs of one stream joined, as JupyterLab shows them (bash_kernel sends a line at a time)."""
    result = []
    for output in outputs:
        if result and output.get("output_type") == "stream" and result[-1].get("output_type") == "stream" \
                and result[-1].get("name") == output.get("name"):
            result[-1]["text"] += output["text"]
        else:
            result.append(output)
    return result


def cell_lines(text):
    """1-based line of each ```bash fence, for messages (Jupytext makes one code cell per fence)."""
    return [n + 1 for n, line in enumerate(text.split("\n")) if line.startswith("```bash")]


class Lesson:
    def __init__(self, path, update, subcommands, timeout):
        self.path = path
        self.ipynb = path.with_suffix(".ipynb")
        self.update = update
        self.subcommands = subcommands
        self.timeout = timeout
        self.problems = []
        self.kernel_log = []

    def where(self, index, lines):
        return f"{self.path.name}:{lines[index]}" if index < len(lines) else self.path.name

    def static_checks(self, notebook, text):
        metadata = notebook.metadata
        if metadata.get("kernelspec", {}).get("name") != "bash":
            self.problems.append(f"{self.path.name}: the YAML header needs a bash kernelspec (name: bash)")
        formats = metadata.get("jupytext", {}).get("formats", "")
        if "ipynb" not in formats.split(","):
            self.problems.append(f"{self.path.name}: the YAML header needs `formats: ipynb,md` under jupytext:, "
                                 "pairing it with its .ipynb")
        codes = [cell for cell in notebook.cells if cell.cell_type == "code"]
        if not codes:
            self.problems.append(f"{self.path.name}: has no ```bash cells")
        lines = cell_lines(text)
        for index, cell in enumerate(codes):
            if cell.source.startswith("%%"):
                self.problems.append(f"{self.where(index, lines)}: a {cell.source.split()[0]} cell: write ```bash, "
                                     "not ```sh (Jupytext turns other languages into cell magics)")
                continue
            for program in programs(cell.source):
                if program not in ALLOWED_PROGRAMS:
                    self.problems.append(f"{self.where(index, lines)}: the cell runs {program}; cells may run only "
                                         f"{', '.join(sorted(ALLOWED_PROGRAMS))}")
            for name in convmat_subcommands(cell.source):
                if name not in self.subcommands:
                    self.problems.append(f"{self.where(index, lines)}: the cell names `convmat {name}`, which does "
                                         f"not exist (known: {', '.join(sorted(self.subcommands))}); commands that "
                                         "do not exist yet belong in prose, not in a cell")
        for cell in notebook.cells:
            if cell.cell_type == "markdown" and any(OUTPUT_FENCE.match(line) for line in cell.source.split("\n")):
                first = cell.source.split("\n")[0]
                self.problems.append(f"{self.path.name}: a Markdown cell holds an ```output block (it starts "
                                     f"{first[:60]!r}); the expected output lives in {self.ipynb.name}: "
                                     "run make notebooks, which removes the block")

    async def run(self):
        text = self.path.read_text(encoding="utf-8")
        if self.update:
            stripped = without_output_blocks(text)
            if stripped != text:
                self.path.write_text(stripped, encoding="utf-8")
                text = stripped
        notebook = jupytext.reads(text, fmt="md")
        self.static_checks(notebook, text)
        if self.problems:
            return
        lines = cell_lines(text)
        codes = [cell for cell in notebook.cells if cell.cell_type == "code"]
        client = nbclient.NotebookClient(
            notebook, kernel_name="bash", timeout=self.timeout, allow_errors=False, record_timing=False,
            resources={"metadata": {"path": str(LESSONS)}})
        try:
            # The kernel's own log goes to a file, shown only when the lesson fails: every
            # kernel warns that it talks over local TCP, which says nothing about the lesson.
            with tempfile.TemporaryFile(mode="w+") as log:
                try:
                    await client.async_execute(stderr=log)
                finally:
                    log.seek(0)
                    self.kernel_log = [line for line in log.read().splitlines()
                                       if "Kernel is running over TCP without encryption" not in line]
        except nbclient.exceptions.CellExecutionError:
            failed = next((n for n, cell in enumerate(codes)
                           if any(o.get("output_type") == "error" for o in cell.get("outputs", []))
                           and RAISES not in cell.metadata.get("tags", [])), None)
            status = next((o.get("evalue") for o in codes[failed].outputs if o.get("output_type") == "error"), "?") \
                if failed is not None else "?"
            self.problems.append(f"{self.where(failed or 0, lines)}: the cell exits with status {status} but is not "
                                 f"tagged {RAISES}, so Run All stops there: if the failure is the lesson's point, "
                                 f"open the cell with ```bash tags=[\"{RAISES}\"]; otherwise the lesson is wrong\n"
                                 + shown_text(codes[failed].outputs if failed is not None else []))
            return
        for index, cell in enumerate(codes):
            cell.outputs = coalesced(cell.outputs)
            failed = any(o.get("output_type") == "error" for o in cell.outputs)
            if RAISES in cell.metadata.get("tags", []) and not failed:
                self.problems.append(f"{self.where(index, lines)}: the cell is tagged {RAISES} but exits with "
                                     "status 0; remove the tag or make the cell show the refusal")
        if self.update:
            self.write(notebook)
        else:
            self.compare(notebook, codes, lines)

    def write(self, notebook):
        """The .ipynb: the .md's cells with their outputs, in a form that does not change from run to run."""
        for index, cell in enumerate(notebook.cells):
            cell.id = f"{cell.cell_type}-{index + 1}"
        notebook.metadata.get("jupytext", {}).pop("text_representation", None)
        self.ipynb.write_text(jupytext.writes(notebook, fmt="ipynb"), encoding="utf-8")

    def compare(self, executed, codes, lines):
        if not self.ipynb.exists():
            self.problems.append(f"{self.path.name}: {self.ipynb.name} is missing; run make notebooks")
            return
        committed = nbformat.read(self.ipynb, as_version=4)
        def cells(notebook):
            return [(cell.cell_type, cell.source, sorted(cell.metadata.get("tags", []))) for cell in notebook.cells]
        if cells(committed) != cells(executed):
            difference = "\n".join(difflib.unified_diff(
                [repr(cell) for cell in cells(committed)], [repr(cell) for cell in cells(executed)],
                self.ipynb.name, self.path.name, lineterm="", n=0))
            self.problems.append(f"{self.path.name}: {self.ipynb.name} does not hold the same cells; run make "
                                 f"notebooks (or jupytext --sync) after editing the .md\n{difference}")
            return
        expected_cells = [cell for cell in committed.cells if cell.cell_type == "code"]
        for index, (expected, actual) in enumerate(zip(expected_cells, codes)):
            # bash_kernel reads the terminal in chunks and turns its \r\n into \n chunk by chunk; under load
            # a chunk can end between \r and \n and leave a \r\n that a reader never sees (two fresh-clone
            # runs failed lesson 2 with the same lines): line ends are compared as \n.
            want, got = (shown_text(outputs).replace("\r\n", "\n") for outputs in (expected.outputs, actual.outputs))
            if want != got:
                difference = "\n".join(difflib.unified_diff(
                    want.splitlines(), got.splitlines(), f"{self.ipynb.name} (expected)", "printed now", lineterm=""))
                if not difference:
                    # The same lines, split differently (a carriage return, a form feed): show the characters.
                    difference = f"expected {want!r}\nprinted  {got!r}"
                self.problems.append(f"{self.where(index, lines)}: `{actual.source}` printed something else; if "
                                     f"the change is deliberate, run make notebooks and review the diff\n{difference}")


async def run_all(lessons, jobs):
    limit = asyncio.Semaphore(jobs)
    async def one(lesson):
        async with limit:
            try:
                await lesson.run()
            except Exception as error:  # a kernel that dies or a timeout: report it with the lesson's name
                lesson.problems.append(f"{lesson.path.name}: {type(error).__name__}: {error}")
    await asyncio.gather(*(one(lesson) for lesson in lessons))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("lessons", nargs="*", help="lesson files (default: every notebooks-text/*.md)")
    parser.add_argument("--update", action="store_true", help="rewrite the .ipynb outputs instead of comparing")
    parser.add_argument("--convmat-directory", default=str(ROOT / ".build" / "debug"),
                        help="folder holding the convmat to run (default: .build/debug)")
    parser.add_argument("--jobs", type=int, default=2, help="lessons run at once (default: 2)")
    parser.add_argument("--timeout", type=int, default=300, help="seconds a cell may take (default: 300)")
    arguments = parser.parse_args()

    convmat = Path(arguments.convmat_directory) / "convmat"
    if not os.access(convmat, os.X_OK):
        print(f"run_lessons.py: {convmat} is missing; build convmat first (make test does)", file=sys.stderr)
        return 2
    if "bash" not in KernelSpecManager().find_kernel_specs():
        print("run_lessons.py: no bash kernelspec; install it with python3 -m bash_kernel.install --sys-prefix "
              "(make setup-jupyter does it)", file=sys.stderr)
        return 2
    # The kernel inherits this environment: the convmat under test comes first.
    os.environ["PATH"] = f"{convmat.parent}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}"
    paths = [Path(p).resolve() for p in arguments.lessons] or sorted(LESSONS.glob("*.md"))
    subcommands = known_subcommands(str(convmat))
    lessons = [Lesson(path, arguments.update, subcommands, arguments.timeout) for path in paths]
    asyncio.run(run_all(lessons, max(1, arguments.jobs)))

    failed = [lesson for lesson in lessons if lesson.problems]
    for lesson in failed:
        for problem in lesson.problems:
            print(f"FAIL {problem}", file=sys.stderr)
        if lesson.kernel_log:
            print(f"the kernel's log for {lesson.path.name}:\n" + "\n".join(lesson.kernel_log), file=sys.stderr)
    cells = 0
    for lesson in lessons:
        if lesson.ipynb.exists():
            cells += sum(1 for cell in nbformat.read(lesson.ipynb, as_version=4).cells if cell.cell_type == "code")
    print(f"{cells} cells of {len(lessons)} lessons ran in a bash kernel"
          + (f"; outputs written to the .ipynb files" if arguments.update else ""))
    print(f"lessons: {len(lessons) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
