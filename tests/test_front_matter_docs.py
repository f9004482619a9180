"""Front-matter keys are documented (issue 13, item 7): the cadence rule depends on `to`,
`date`, `interview_date`, `type` and `offer`, which a user found only through a warning. The
README's table lists exactly the keys the reader knows, its example is read without a warning,
and `--init-draft FILE` writes a commented draft template."""
from __future__ import annotations

import datetime as dt
import re

from conftest import ROOT, run_cli
from etiquette_lint.drafts.frontmatter import KNOWN_KEYS, parse_front_matter
from etiquette_lint.drafts.model import MESSAGE_TYPES

README = (ROOT / "README.md").read_text(encoding="utf-8")
SECTION = README.split("\n### Front matter\n", 1)[1].split("\n## ", 1)[0]


def test_the_readme_table_lists_every_front_matter_key():
    keys = re.findall(r"^\| `([\w-]+)` \|", SECTION, re.MULTILINE)
    assert sorted(keys) == sorted(KNOWN_KEYS)
    for message_type in MESSAGE_TYPES:
        assert f"`{message_type}`" in SECTION


def test_the_readme_example_is_read_without_a_warning():
    example = re.search(r"```yaml\n(---\n.*?\n---\n)```", SECTION, re.DOTALL).group(1)
    front = parse_front_matter(example + "Dear Ana,\n")
    assert front.problems == []
    context = front.context
    assert context.to_address and context.company and context.type == "follow-up"
    assert context.date and context.interview_date and context.offer is False


def test_init_draft_writes_a_template_that_fails_until_its_slots_are_filled(tmp_path):
    run = run_cli("--init-draft", "acme-thank-you.md", cwd=tmp_path)
    assert run.returncode == 0, run.stderr.decode()
    template = (tmp_path / "acme-thank-you.md").read_text(encoding="utf-8")
    front = parse_front_matter(template)
    assert front.problems == []  # every key known and valid as written
    assert front.context.type == "thank-you" and front.context.date == dt.date.today()
    assert all(f"{key}:" in template for key in KNOWN_KEYS)

    lint = run_cli("--no-cache", "--select", "personalisation.placeholder", "acme-thank-you.md", cwd=tmp_path)
    assert lint.returncode == 1 and "error [personalisation.placeholder]" in lint.stdout.decode()
    filled = re.sub(r"\[[^\]\n]+\]", "Acme", template.split("\n---\n", 1)[1])
    (tmp_path / "filled.md").write_text(template.split("\n---\n", 1)[0] + "\n---\n" + filled, encoding="utf-8")
    assert run_cli("--no-cache", "--select", "personalisation.placeholder", "filled.md", cwd=tmp_path).returncode == 0

    again = run_cli("--init-draft", "acme-thank-you.md", cwd=tmp_path)
    assert again.returncode == 2 and "already exists" in again.stderr.decode()
    assert (tmp_path / "acme-thank-you.md").read_text(encoding="utf-8") == template
