"""Strip outputs and execution counts from notebooks/*.ipynb, as they are kept in git.

Run it before committing a notebook you ran: ``make strip-notebooks``.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def main() -> None:
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            if cell.cell_type == "code":
                cell.outputs = []
                cell.execution_count = None
            cell.metadata.pop("execution", None)
        nbformat.write(notebook, path)
        print(path)


if __name__ == "__main__":
    main()
