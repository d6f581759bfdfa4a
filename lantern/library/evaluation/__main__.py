"""python -m lantern.library.evaluation [--json] [--errors] [--generated N] [--write]"""

from __future__ import annotations

import argparse
import json
import sys

from lantern.library.evaluation.evaluate import FIGURES_PATH, errors, evaluate_devset, run
from lantern.library.evaluation.scoring import SCALAR_KEYS

SETS = ("devset_held_out", "devset_all", "generated")


def table(results: dict) -> str:
    names = [name for name in SETS if name in results]
    lines = ["| Field | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for key in SCALAR_KEYS:
        cells = []
        for name in names:
            f = results[name]["fields"][key]
            cells.append(f"{f['accuracy']:.2f} ({f['correct']}/{f['items']})")
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    for measure in ("precision", "recall", "f1"):
        cells = [str(results[name]["themes"][measure]) for name in names]
        lines.append(f"| themes {measure} | " + " | ".join(cells) + " |")
    if "generated" in results and "recommendations" in results["generated"]:
        for measure, value in results["generated"]["recommendations"].items():
            cells = ["-" if name != "generated" else str(value) for name in names]
            lines.append(f"| recommendations {measure} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lantern.library.evaluation")
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--errors", action="store_true", help="list every miss on the development set"
    )
    parser.add_argument(
        "--generated", type=int, default=80, help="generated reports to score (0: none)"
    )
    parser.add_argument(
        "--write", action="store_true", help=f"record the figures in {FIGURES_PATH.name}"
    )
    args = parser.parse_args(argv)
    if args.errors:
        for name, score in evaluate_devset().items():
            if name == "devset_all":
                for error in errors(score):
                    print(json.dumps(error, ensure_ascii=False))
        return 0
    results = run(generated=args.generated)
    if args.write:
        FIGURES_PATH.write_text(
            json.dumps(results, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )
    if args.json:
        json.dump(results, sys.stdout, indent=1, sort_keys=True)
        print()
    else:
        print(table(results))
        if "generated" in results:
            print(results["generated"]["timing"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
