#!/usr/bin/env python3
"""Fails when a page of a built DocC archive lists symbols in groups that DocC made up itself.

DocC puts every public symbol that no `## Topics` group names into generated groups ("Structures",
"Instance Methods", "Extended Modules", …), which the reader sees as a catch-all at the end. The
landing page of the module and the pages of its types curate their children by hand where they
have `## Topics`; this script reads the archive's render JSON and reports each page whose hand-made
groups leave symbols over.

Usage: python3 Tools/check-docc-topics.py ARCHIVE [--all]
Without --all only the module's landing page is checked: every public type, function and extended
module must be in one of its topic groups (types' members may stay in DocC's generated groups).
"""
import json
import sys
from pathlib import Path


def main(argv):
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    archive = Path(argv[0])
    pages = sorted((archive / "data" / "documentation").glob("*.json"))
    if not pages:
        print(f"check-docc-topics: no module page in {archive}/data/documentation", file=sys.stderr)
        return 2
    if "--all" in argv:
        pages = sorted((archive / "data" / "documentation").rglob("*.json"))
    problems = 0
    for page in pages:
        document = json.loads(page.read_text(encoding="utf-8"))
        for section in document.get("topicSections", []):
            if section.get("generated"):
                names = [identifier.rsplit("/", 1)[-1] for identifier in section["identifiers"]]
                print(f"{page.relative_to(archive)}: not in any topic group ({section['title']}): {', '.join(names)}")
                problems += 1
    print(f"check-docc-topics: {len(pages)} page(s), {problems} generated group(s)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
