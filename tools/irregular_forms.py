"""Write src/etiquette_lint/data/irregular-forms.json: each lemma's irregular forms, inverted
from the English pipeline's own lemmatizer exception tables (took -> take, paid -> pay).

Term lists are matched on lemmas by the pipeline; their *triggers* (the cheap text gate that
decides which sentences the pipeline sees) must find every form without the pipeline, so a
lemma's trigger is its regular inflections plus these forms. Run again when the pinned pipeline changes:
    .venv/bin/python tools/irregular_forms.py"""
from __future__ import annotations

import json
from pathlib import Path

from etiquette_lint.pipeline import load_pipeline, resolve_model_name

OUT = Path(__file__).resolve().parent.parent / "src" / "etiquette_lint" / "data" / "irregular-forms.json"


def main() -> None:
    nlp = load_pipeline(resolve_model_name(None), [])
    tables = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_exc")
    forms: dict[str, set[str]] = {}
    for pos_table in tables.values():
        for form, lemmas in pos_table.items():
            for lemma in lemmas:
                lemma, form = lemma.lower(), form.lower()
                if form != lemma:
                    forms.setdefault(lemma, set()).add(form)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({k: sorted(v) for k, v in sorted(forms.items())}, indent=0) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(forms)} lemmas")


if __name__ == "__main__":
    main()
